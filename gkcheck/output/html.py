"""A self-contained HTML dashboard for the supervising office (one file, works from disk).

Verdicts per agency and year, the failure rate of each rule, filters (verdict, level, year,
rule; also read from the URL, e.g. audit.html#verdict=fail&rule=t2.row_total), a drill-down
to each report's findings with evidence and legal basis, and a print view.

Safety: every piece of report text goes through html.escape; the only data handed to the
script is JSON in <script type="application/json"> with < > & escaped; the page's CSP allows
no network access and no script but its own (pinned by hash), so even a slip in escaping
could not run an injected <script> or onerror= handler.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from html import escape
from importlib import resources

from gkcheck.output.stream import writable
from gkcheck.output.summary import (
    Tally,
    agencies_over_years,
    digest,
    rate,
    score_change,
    severity_counts,
)
from gkcheck.output.text import SEVERITY, STATUS, _where, score_text
from gkcheck.ruleset.model import LEVEL_LABELS

MAX_EVIDENCE = 10
MAX_TEXT = 500
UNKNOWN_LEVEL = "unknown"


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def script_json(value) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@cache
def _asset(name: str) -> str:
    return resources.files("gkcheck.output").joinpath(name).read_text("utf-8")


def _evidence_html(item, form: str | None = None) -> str:
    if isinstance(item, dict):
        text = item.get("text") if item.get("text") is not None else item.get("value")
        where = _where(item.get("location"), form)
        return f"<li>「{_e(_clip(str(text)))}」" + (f"<span class='src'>（{_e(where)}）</span>" if where else "") + "</li>"
    return f"<li>{_e(_clip(str(item)))}</li>"


def _findings(entry: dict) -> str:
    results = entry["results"]
    failed = [r for r in results if r["status"] == "fail"]
    passed = sum(1 for r in results if r["status"] == "pass")
    na = sum(1 for r in results if r["status"] == "not_applicable")
    info = entry["report"] or {}
    facts = (f"发布 {_e(info.get('published') or '未知')} · 落款 {_e(info.get('signed') or '未知')} · 规则包 "
             f"{_e('、'.join(p['id'] for p in entry['packs']) or '无')}")
    head = f"{len(failed)} 条不通过（通过 {passed}，不适用 {na}）"
    if not failed:
        return f"<details><summary>{head}</summary><p class='rtitle'>{facts}</p></details>"
    rows = []
    form = info.get("form")  # lines of html, pdf and docx are lines of the extracted text
    for r in failed:
        ev = r.get("evidence") or []
        more = f"<li>…另有 {len(ev) - MAX_EVIDENCE} 条</li>" if len(ev) > MAX_EVIDENCE else ""
        rows.append(
            f"<tr class='sev-{_e(r['severity'])}'><td><code>{_e(r['rule'])}</code><div class='rtitle'>{_e(r['title'])}"
            f"</div></td><td class='sev {_e(r['severity'])}'>{_e(SEVERITY.get(r['severity'], r['severity']))}</td>"
            f"<td>{_e(r['message'])}</td><td>{_e(r.get('basis'))}</td>"
            f"<td><ul>{''.join(_evidence_html(x, form) for x in ev[:MAX_EVIDENCE])}{more}</ul></td>"
            f"<td>{_e(_where(r.get('location'), form))}</td></tr>")
    return (f"<details><summary>{head}</summary><p class='rtitle'>{facts}</p><table class='findings'><thead><tr>"
            "<th>规则</th><th>严重程度</th><th>说明</th><th>法律依据</th><th>证据</th><th>位置</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></details>")


def piece(entry: dict, index: int = 0, **_options) -> str:
    """One report as a <tbody>: its row, and a drill-down row with the findings."""
    info = entry.get("report") or {}
    agency = info.get("agency") or {}
    verdict = entry["verdict"]
    failed = [r for r in entry.get("results") or [] if r["status"] == "fail"]
    counts = severity_counts((r["rule"], r["severity"]) for r in failed)
    level = agency.get("level")
    attrs = (f"class='rep' id='r{index}' data-verdict='{_e(verdict)}' data-level='{_e(level or UNKNOWN_LEVEL)}' "
             f"data-year='{_e(info.get('year') or '')}' data-rules='{_e(' '.join(r['rule'] for r in failed))}'")
    if verdict == "error":
        row = (f"<tr class='row'><td><span class='v error'>{STATUS['error']}</span></td><td colspan='6' "
               f"class='errmsg'>{_e(entry.get('error'))}</td><td class='src'>{_e(entry['source'])}</td></tr>")
        return f"<tbody {attrs}>{row}</tbody>\n"
    row = (f"<tr class='row'><td><span class='v {_e(verdict)}'>{_e(STATUS[verdict])}</span></td>"
           f"<td>{_e(agency.get('name') or '?')}<div class='rtitle'>{_e(info.get('title'))}</div></td>"
           f"<td>{_e(LEVEL_LABELS.get(level, '未识别'))}</td><td>{_e(info.get('year'))}</td>"
           f"<td class='n' title='{_e((entry.get('score') or {}).get('note') or '')}'>{_e(score_text(entry.get('score')))}</td>"
           f"<td class='n'>{counts['error']}</td><td class='n'>{counts['warning']}</td>"
           f"<td class='src'>{_e(entry['source'])}</td></tr>")
    return f"<tbody {attrs}>{row}<tr class='drill'><td colspan='8'>{_findings(entry)}</td></tr></tbody>\n"


def _cards(tally: Tally, pairs: list, interrupted: bool) -> str:
    s = tally.summary()
    cards = "".join(f"<div class='card {k}'><b>{s[k]}</b>{label}</div>" for k, label in
                    (("reports", "份报告"), ("pass", "通过"), ("fail", "不通过"), ("error", "无法检查")))
    cards += f"<div class='card'><b>{len(pairs)}</b>组跨年度配对</div>"
    warn = "<p class='warn'>检查被中断：以下只是已完成的部分。</p>" if interrupted else ""
    return f"<section class='cards'>{cards}</section>{warn}"


def _filters(tally: Tally) -> str:
    def select(key, label, options):
        opts = "".join(f"<option value='{_e(v)}'>{_e(t)}</option>" for v, t in options)
        return f"<label for='f-{key}'>{label}</label><select id='f-{key}'><option value=''>全部</option>{opts}</select>"

    reports = tally.reports or []
    levels = sorted({r["level"] or UNKNOWN_LEVEL for r in reports}, key=lambda v: list(LEVEL_LABELS).index(v)
                    if v in LEVEL_LABELS else 99)
    years = sorted({r["year"] for r in reports if r["year"]})
    rules = sorted(r for r, i in tally.rules.items() if i["fail"])
    return ("<nav id='filters'>"
            + select("verdict", "结论", [(k, STATUS[k]) for k in ("pass", "fail", "error")])
            + select("level", "层级", [(v, LEVEL_LABELS.get(v, "未识别")) for v in levels])
            + select("year", "年度", [(str(y), f"{y} 年度") for y in years])
            + select("rule", "不通过的规则", [(r, f"{r} {tally.rules[r]['title']}") for r in rules])
            + "<button type='button' id='f-reset'>清除筛选</button>"
            + "<span>显示 <b id='shown'></b> / <span id='total'></span> 份</span></nav>")


def _rule_chart(tally: Tally) -> str:
    """Rules that failed somewhere, by failure rate; the ones that never failed are only listed."""
    failing = sorted(((r, i) for r, i in tally.rules.items() if i["fail"]), key=lambda x: (-rate(x[1]), x[0]))
    clean = sorted(r for r, i in tally.rules.items() if i["applied"] and not i["fail"])
    out = []
    for rule, info in failing:
        pct = rate(info) * 100
        sev = info["severity"]
        out.append(
            f"<tr class='sev-{_e(sev)}'><td><button type='button' class='rulebtn' data-rule='{_e(rule)}' "
            f"title='只看此规则不通过的报告'><code>{_e(rule)}</code></button><div class='rtitle'>{_e(info['title'])}</div></td>"
            f"<td class='sev {_e(sev)}'>{_e(SEVERITY.get(sev, ''))}</td>"
            f"<td><svg class='bar' viewBox='0 0 100 10' preserveAspectRatio='none' role='img' aria-label='{pct:.0f}%'>"
            f"<rect width='{pct:.2f}' height='10'/></svg></td>"
            f"<td class='n'>{info['fail']} / {info['applied']}</td><td class='n'>{pct:.1f}%</td></tr>")
    table = ("<table class='ruletable'><thead><tr><th>规则（点击筛选）</th><th>严重程度</th><th>不通过率</th>"
             "<th>不通过 / 适用</th><th></th></tr></thead><tbody>" + "".join(out) + "</tbody></table>") if out \
        else "<p>没有不通过的规则。</p>"
    if clean:
        table += (f"<details class='noprint'><summary>其余 {len(clean)} 条适用的规则全部通过</summary><p>"
                  + "、".join(f"<code>{_e(r)}</code>" for r in clean) + "</p></details>")
    return table


def _matrix(tally: Tally, pairs: list) -> str:
    """Agencies × years: each report's verdict, score and number of failures, and the change of
    score from the agency's first year to its last (an agency is its name as the batch pairs
    names, or a report with the previous-year report it was paired with)."""
    agencies = agencies_over_years(tally.reports or [], pairs, min_years=1)
    if not agencies:
        return "<p>没有可显示的报告。</p>"
    years = sorted({r["year"] for g in agencies for r in g})

    def badge(r):
        score = "" if r.get("score") is None else f" {r['score']:.1f}"
        return (f"<a class='v {_e(r['verdict'])}' href='#r{r['index']}' title='{_e(r['source'])}'>"
                f"{_e(STATUS[r['verdict']])}{score}</a><span class='nf'>问题 {r.get('failures', 0)}</span>")

    def change(group):
        delta = score_change(group)
        if delta is None:
            return "<td></td>"
        return f"<td class='n {'up' if delta > 0 else 'down' if delta < 0 else ''}'>{delta:+.1f}</td>"

    rows = "".join(f"<tr><td>{_e(group[-1]['agency'] or '?')}</td>"
                   + "".join("<td>" + " ".join(badge(r) for r in group if r["year"] == y) + "</td>" for y in years)
                   + change(group) + "</tr>"
                   for group in agencies)  # in agencies_over_years' order: by name
    head = "".join(f"<th>{_e(y)}</th>" for y in years)
    return (f"<div class='matrix'><table><thead><tr><th>机关</th>{head}<th>得分变化</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def _pairs(pairs: list) -> str:
    if not pairs:
        return "<p>没有配对（同一机关相邻年度的报告都在本批中时自动配对，用于跨年度规则）。</p>"
    items = "".join(f"<li>{_e(p['agency'])}：{_e(p['year'])} 年度 ← {_e(p['previous_year'])} 年度 "
                    f"<span class='src'>{_e(p['source'])} ← {_e(p['previous_source'])}</span></li>" for p in pairs)
    return f"<details><summary>{len(pairs)} 组配对</summary><ul>{items}</ul></details>"


def page_head(tally: Tally, pairs: list, interrupted: bool) -> str:
    from gkcheck import __version__

    js = _asset("dashboard.js")
    digest_b64 = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest_b64}'"
    return ("<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>政府信息公开工作年度报告批量检查</title><style>" + _asset("dashboard.css") + "</style></head><body>"
            "<h1>政府信息公开工作年度报告批量检查</h1>"
            f"<p class='sub'>gkcheck {_e(__version__)} · 规则依据见各条发现</p>"
            + _cards(tally, pairs, interrupted) + _filters(tally)
            + "<h2>各规则不通过率</h2>" + _rule_chart(tally)
            + "<h2>各机关各年度结论、得分与问题数</h2>" + _matrix(tally, pairs)
            + "<h2>跨年度配对</h2>" + _pairs(pairs)
            + "<h2 id='reports'>逐份报告</h2><table class='reports'><thead><tr><th>结论</th><th>机关 / 标题</th>"
            "<th>层级</th><th>年度</th><th>得分</th><th>错误</th><th>警告</th><th>文件</th></tr></thead>\n")


def page_tail(tally: Tally) -> str:
    meta = {"reports": tally.summary()["reports"]}
    return ("</table><script type='application/json' id='gk-meta'>" + script_json(meta) + "</script>"
            "<script>" + _asset("dashboard.js") + "</script></body></html>\n")


class Writer:
    """The summary sections come first on the page but are known last: pieces wait in a temp file."""

    def __init__(self, out, **_options):
        self.out = writable(out)
        self.spool = None

    def begin(self) -> None:
        import tempfile

        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, text: str | bytes) -> None:
        self.spool.write(text.decode("utf-8") if isinstance(text, bytes) else text)

    def end(self, tally: Tally, pairs: list, interrupted: bool, extras: dict | None = None) -> None:
        import shutil

        self.out.write(page_head(tally, pairs, interrupted))
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, self.out)
        self.spool.close()
        self.out.write(page_tail(tally))


def render(doc: dict, **_options) -> str:
    import io

    tally = Tally(keep_reports=True)
    buf = io.StringIO()
    writer = Writer(buf)
    writer.begin()
    for i, entry in enumerate(doc["reports"]):
        tally.add(digest(entry, i))
        writer.add(piece(entry, index=i))
    writer.end(tally, doc.get("pairs") or [], bool(doc.get("interrupted")))
    return buf.getvalue()

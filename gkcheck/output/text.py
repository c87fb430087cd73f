"""Human text for the terminal; colour only when asked (the CLI asks when stdout is a TTY).

Report text is shown with its control characters and bidi overrides escaped (output/terminal.py)."""

from __future__ import annotations

STATUS = {"pass": "通过", "fail": "不通过", "error": "无法检查"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
UNKNOWN_LABELS = {"agency": "机关", "agency_kind": "机关类型", "agency_level": "机关层级", "published": "发布日期",
                  "year": "报告年度"}
COLOURS = {"error": "31", "warning": "33", "info": "36", "pass": "32", "fail": "31"}
FAIL_ON_TEXT = {"warning": "警告及以上的问题计为不通过（fail_on: warning）",
                "info": "提示及以上的问题计为不通过（fail_on: info）",
                "never": "问题不使报告不通过（fail_on: never）"}

# Forms whose location "line" is a line of the file itself. For html, pdf and docx it is a line
# of the text extracted from the file, which no editor or code-scanning service can show.
FILE_LINE_FORMS = ("text", "yaml", "json")


def form_of(entry: dict) -> str | None:
    """The report's form (text, html, pdf, docx, yaml, json); None for an unreadable input."""
    return (entry.get("report") or {}).get("form")


def file_lines(form: str | None) -> bool:
    """Whether a location's "line" is a line of the report file (known forms only)."""
    return form in FILE_LINE_FORMS


def _paint(text: str, key: str, color: bool) -> str:
    return f"\x1b[{COLOURS[key]}m{text}\x1b[0m" if color else text


def _where(loc: dict | None, form: str | None = None) -> str:
    """A location in words: 第N页, 表格N第r行第c列, 第N行 (抽取文本第N行 when the report's form says
    the line is one of the extracted text, not of the file), section, JSON path. Without a form
    (callers that do not know it) the line is shown as 第N行."""
    if not loc:
        return ""
    parts = []
    if loc.get("page"):
        parts.append(f"第{loc['page']}页")
    if loc.get("table"):
        cell = (f"第{loc['row']}行" if loc.get("row") else "") + (f"第{loc['column']}列" if loc.get("column") else "")
        parts.append(f"表格{loc['table']}{cell}")
    if loc.get("line"):
        extracted = form is not None and not file_lines(form)
        parts.append(f"{'抽取文本' if extracted else ''}第{loc['line']}行")
    if loc.get("section"):
        parts.append(loc["section"])
    if loc.get("path"):
        parts.append(loc["path"])
    return "，".join(parts)


def finding_location(res: dict) -> dict | None:
    """The finding's own location, else the first evidence location (a finding may have none)."""
    for loc in [res.get("location")] + [e.get("location") for e in res.get("evidence") or [] if isinstance(e, dict)]:
        if isinstance(loc, dict) and loc:
            return loc
    return None


def _evidence(item, form: str | None = None) -> str:
    if isinstance(item, dict):
        text = item.get("text") if item.get("text") is not None else item.get("value")
        where = _where(item.get("location"), form)
        return f"「{text}」" + (f"（{where}）" if where else "")
    return str(item)


def render_report(r: dict, color: bool = False, verbose: bool = False, fail_on: str | None = None) -> list[str]:
    lines = [f"== {r['source']}"]
    if r["verdict"] == "error":
        lines.append(_paint(f"   无法检查：{r['error']}", "error", color))
        return lines
    info = r["report"]
    form = form_of(r)
    agency = info.get("agency") or {}
    lines.append(f"   {agency.get('name', '?')} · {info.get('year')} 年度 · 发布 {info.get('published') or '未知'}"
                 f" · 落款 {info.get('signed') or '未知'} · 适用 {'、'.join(p['id'] for p in r['packs']) or '无'}")
    for field, reason in (info.get("unknown") or {}).items():
        lines.append(f"   未能确定{UNKNOWN_LABELS.get(field, field)}：{reason}")
    for res in r["results"]:
        status = res["status"]
        if status not in ("fail", "pass", "not_applicable") or status != "fail" and not verbose:
            continue
        if status == "fail":
            tag = _paint(f"[{SEVERITY[res['severity']]}]", res["severity"], color)
        elif status == "pass":
            tag = _paint("[通过]", "pass", color)
        else:
            tag = "[不适用]"
        lines.append(f"   {tag} {res['rule']} {res['message']}")
        if status == "fail":
            lines.append(f"       依据：{res['basis']}")
            for ev in res["evidence"][:5]:
                lines.append(f"       证据：{_evidence(ev, form)}")
            where = _where(res.get("location"), form)
            if where:
                lines.append(f"       位置：{where}")
    lines.append(f"   结论：{_paint(STATUS[r['verdict']], r['verdict'], color)}（{_tally(r, fail_on)}）")
    if r.get("score"):
        lines.append(f"   得分：{score_line(r['score'])}")
    return lines


def score_text(score: dict | None) -> str:
    """The total as printed: 82.5, or — when nothing could be scored."""
    total = (score or {}).get("total")
    return "—" if total is None else f"{total:.1f}"


def score_line(score: dict) -> str:
    """得分：90.0（发布时效 20/20、…；note）— the categories that applied, then how the total was reached."""
    parts = [f"{c['name']} {c['score']}/{c['points']}" for c in score["categories"] if c["applicable"]]
    return f"{score_text(score)}（{'、'.join(parts)}；{score['note']}）" if parts else f"—（{score['note']}）"


def _tally(r: dict, fail_on: str | None) -> str:
    """The counts behind a verdict; waived and baselined findings and a fail_on other than error
    are named, since they are why a report with failures can pass (or one with warnings fail)."""
    results = r["results"]
    counts = {k: sum(1 for x in results if x["status"] == k) for k in ("pass", "fail", "not_applicable", "waived")}
    by_sev = {s: sum(1 for x in results if x["status"] == "fail" and x["severity"] == s) for s in SEVERITY}
    baselined = sum(1 for x in results if x["status"] == "fail" and x.get("baseline"))
    text = (f"通过 {counts['pass']}，不通过 {counts['fail']}：错误 {by_sev['error']}、警告 {by_sev['warning']}、"
            f"提示 {by_sev['info']}")
    if baselined:
        text += f"，其中基线中已有 {baselined}"
    text += f"；不适用 {counts['not_applicable']}"
    if counts["waived"]:
        text += f"；已豁免 {counts['waived']}"
    if fail_on in FAIL_ON_TEXT:
        text += f"；{FAIL_ON_TEXT[fail_on]}"
    return text


def render(doc: dict, color: bool = False, verbose: bool = False, **_options) -> str:
    from gkcheck.output.terminal import shown_all

    doc, tail = _view(shown_all(doc))  # report text never drives the terminal
    out: list[str] = []
    for r in doc["reports"]:
        out += render_report(r, color, verbose, doc.get("fail_on"))
        out.append("")
    s = doc["summary"]
    if s["reports"] > 1:
        out.append(f"共 {s['reports']} 份：通过 {s['pass']}，不通过 {s['fail']}，无法检查 {s['error']}")
    out += tail
    return "\n".join(out).rstrip("\n") + "\n"


def _view(doc: dict) -> tuple[dict, list[str]]:
    """For the text format: baselined findings are marked (waived ones are not listed with the
    report's findings but after them, see render_report); plus the closing lines about waivers
    and the baseline."""
    marked = any(r["status"] == "waived" or r.get("baseline") for e in doc["reports"] for r in e.get("results") or [])
    if not marked and not any(doc.get(k) for k in ("fixed", "unused_waivers", "expired_waivers")):
        return doc, []
    reports = []
    for entry in doc["reports"]:
        results = []
        for res in entry.get("results") or []:
            if res.get("baseline") and res["status"] == "fail":
                res = {**res, "message": f"〔基线中已有〕{res['message']}"}
            results.append(res)
        reports.append({**entry, "results": results})
    return {**doc, "reports": reports}, _waiver_lines(doc) + _baseline_lines(doc)


def _waiver_lines(doc: dict) -> list[str]:
    """Waived findings, and expired or unused waivers, for the end of the text output."""
    lines = []
    for entry in doc["reports"]:
        for res in entry.get("results") or []:
            w = res.get("waiver")
            if res["status"] == "waived":
                lines.append(f"[已豁免] {entry['source']}: {res['rule']} {res['message']}"
                             f" — 理由：{w['reason']}（批准：{w['approver']}，有效至 {w['expires']}）")
    for hit in doc.get("expired_waivers") or []:
        w = hit["waiver"]
        lines.append(f"[豁免已过期] {hit['report']}: {hit['rule']} — 豁免于 {w['expires']} 到期（{w['source']}），"
                     f"问题仍计为不通过")
    for w in doc.get("unused_waivers") or []:
        lines.append(f"[未使用的豁免] {w['rule']} — 没有匹配任何问题（{w['source']}）")
    return lines


def _baseline_lines(doc: dict) -> list[str]:
    """Baselined findings and baseline findings now fixed, for the end of the text output."""
    lines = []
    for entry in doc["reports"]:
        n = sum(1 for r in entry.get("results") or [] if r.get("baseline") and r["status"] == "fail")
        if n:
            lines.append(f"[基线] {entry['source']}: {n} 个问题已记录在基线中，不计入退出码")
    for f in doc.get("fixed") or []:
        lines.append(f"[已修复] {f['report']}: {f['rule']} — 基线中的问题本次未再出现")
    return lines

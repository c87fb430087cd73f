"""The batch's terminal summary, and audit's text format (a line per report, pairs, summary);
report text in them is shown with control characters escaped (output/terminal.py).

digest() runs in the worker and keeps what the summaries need from an entry; Tally adds
digests up in the parent, so no full report is held.
"""

from __future__ import annotations

import heapq

from gkcheck.chinese.normalize import agency_key
from gkcheck.output.stream import writable
from gkcheck.output.terminal import shown, shown_all
from gkcheck.output.text import SEVERITY, STATUS, render_report, score_text
from gkcheck.ruleset.model import LEVEL_LABELS

TOP_RULES = 10
RANKED = 10  # the text summary names the lowest and the highest scores, this many of each


def digest(entry: dict, index: int = 0) -> dict:
    info = entry.get("report") or {}
    agency = info.get("agency") or {}
    results = entry.get("results") or []
    return {
        "index": index,
        "source": entry["source"],
        "verdict": entry["verdict"],
        "agency": agency.get("name"),
        "key": agency_key(agency.get("name")),
        "level": agency.get("level"),
        "year": info.get("year"),
        "failed": [(r["rule"], r["severity"], r["title"]) for r in results if r["status"] == "fail"],
        "applied": [r["rule"] for r in results if r["status"] != "not_applicable"],
        "score": (entry.get("score") or {}).get("total"),
    }


def severity_counts(failed) -> dict:
    counts = dict.fromkeys(SEVERITY, 0)
    for _rule, severity, *_ in failed:
        counts[severity] = counts.get(severity, 0) + 1
    return counts


class Tally:
    """Counts per verdict and per rule; with keep_reports, one small digest per report (HTML)."""

    def __init__(self, keep_reports: bool = False):
        self.counts = {"reports": 0, "pass": 0, "fail": 0, "error": 0}
        self.rules: dict[str, dict] = {}
        self.reports: list[dict] | None = [] if keep_reports else None
        self.scored, self.score_sum = 0, 0.0
        self.low: list[tuple] = []   # heaps of (±score, -index, row): the RANKED lowest and highest
        self.high: list[tuple] = []

    def add(self, d: dict) -> None:
        self.counts["reports"] += 1
        self.counts[d["verdict"]] += 1
        if d.get("score") is not None:
            self._score(d)
        for rule in d["applied"]:
            self._rule(rule)["applied"] += 1
        for rule, severity, title in d["failed"]:
            info = self._rule(rule)
            info["fail"] += 1
            info["title"], info["severity"] = title, severity
        if self.reports is not None:
            self.reports.append({**{k: d[k] for k in ("index", "source", "verdict", "agency", "key", "level", "year")},
                                 "score": d.get("score"), "failures": len(d["failed"])})

    def _score(self, d: dict) -> None:
        self.scored += 1
        self.score_sum += d["score"]
        row = (d["score"], d["agency"], d["year"], d["source"])
        for heap, key in ((self.low, -d["score"]), (self.high, d["score"])):
            item = (key, -d["index"], row)  # ties: the earlier report ranks first
            if len(heap) < RANKED:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)

    def average(self) -> float | None:
        return round(self.score_sum / self.scored, 1) if self.scored else None

    def ranked(self, lowest: bool) -> list[tuple]:
        """(score, agency, year, source) of the lowest (or highest) scores, worst (best) first."""
        return [row for _k, _i, row in sorted(self.low if lowest else self.high, reverse=True)]

    def rankings(self) -> list[tuple[str, list[tuple]]]:
        """(label, rows): every report best first when there are few, else the best and the worst."""
        if self.scored <= 2 * RANKED:  # the two heaps hold them all
            rows = {-i: row for _k, i, row in self.low + self.high}
            order = sorted(rows, key=lambda i: (-rows[i][0], i))
            return [("按得分排名", [rows[i] for i in order])]
        return [(f"得分最高的 {RANKED} 份", self.ranked(False)), (f"得分最低的 {RANKED} 份", self.ranked(True))]

    def _rule(self, rule: str) -> dict:
        if rule not in self.rules:
            self.rules[rule] = {"title": "", "severity": "", "fail": 0, "applied": 0}
        return self.rules[rule]

    def summary(self) -> dict:
        """The document's summary block (same shape as gkcheck.output.document)."""
        return dict(self.counts)

    def failing_rules(self, limit: int | None = None) -> list[tuple[str, dict]]:
        """Rules that failed at least once, most failures first."""
        rows = sorted(((r, i) for r, i in self.rules.items() if i["fail"]), key=lambda x: (-x[1]["fail"], x[0]))
        return rows[:limit] if limit else rows


def by_year(chain: list[dict]) -> dict:
    """An agency's rows by year; two reports of one year (an HTML and a PDF): the first, as
    pairing takes it."""
    years: dict = {}
    for r in chain:
        years.setdefault(r["year"], r)
    return years


def score_change(chain: list[dict]) -> float | None:
    """Last scored year's score minus the first's (None with fewer than two scored years)."""
    years = by_year(chain)
    scored = [years[y]["score"] for y in sorted(years) if years[y].get("score") is not None]
    return round(scored[-1] - scored[0], 1) if len(scored) > 1 else None


def agencies_over_years(rows: list[dict], pairs: list, min_years: int = 2) -> list[list[dict]]:
    """Each agency's reports (of `min_years` years or more), as lists of rows (index, source,
    verdict, key, agency, year, …), oldest first: the same
    agency is the same name (as the batch pairs them: width, spacing, 人民政府 = 政府), or a report
    and the previous-year report the batch paired it with (洪泽区政府 ← 淮安市洪泽区政府)."""
    parent: dict = {}

    def root(node):
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    def join(a, b):
        a, b = root(a), root(b)
        if a != b:
            parent[a] = b

    first = {}
    for r in rows:
        if r["verdict"] != "error" and r["year"]:
            first.setdefault(r["source"], r["index"])
            if r["key"]:
                join(("row", r["index"]), ("key", r["key"]))
    for p in pairs:
        if p["source"] in first and p["previous_source"] in first:
            join(("row", first[p["source"]]), ("row", first[p["previous_source"]]))
    groups: dict = {}
    for r in rows:
        if r["verdict"] != "error" and r["year"]:
            groups.setdefault(root(("row", r["index"])), []).append(r)
    chains = [sorted(g, key=lambda r: (r["year"], r["index"])) for g in groups.values()
              if len({r["year"] for r in g}) >= min_years]
    return sorted(chains, key=lambda g: (str(g[-1]["agency"]), g[0]["index"]))


def rate(info: dict) -> float:
    return info["fail"] / info["applied"] if info["applied"] else 0.0


def summary_text(tally: Tally, pairs: int, interrupted: bool = False, skipped: int = 0) -> str:
    s = tally.counts
    lines = [f"共 {s['reports']} 份：通过 {s['pass']}，不通过 {s['fail']}，无法检查 {s['error']}；"
             f"跨年度配对 {pairs} 组" + (f"；跳过不支持的文件 {skipped} 个" if skipped else "")]
    if interrupted:
        lines.append("已中断：以上只是已完成的部分。")
    if tally.scored:
        lines.append(f"平均得分 {tally.average():.1f}（{tally.scored} 份评分）")
        for label, rows in tally.rankings():
            lines.append(f"{label}：")
            lines += [f"  {score:5.1f}  {shown(agency or '?')}  {year} 年度  {shown(source)}"
                      for score, agency, year, source in rows]
    top = tally.failing_rules(TOP_RULES)
    if top:
        lines.append("不通过最多的规则：")
        width = max(len(r) for r, _ in top)
        for rule, info in top:
            lines.append(f"  {rule:<{width}}  {SEVERITY.get(info['severity'], info['severity'])}  "
                         f"{info['fail']}/{info['applied']} 份（{rate(info):.0%}）  {info['title']}")
    return "\n".join(lines) + "\n"


def print_rich(tally: Tally, pairs: int, console, interrupted: bool = False, skipped: int = 0) -> None:
    """The same summary as tables, for a terminal (rich is imported only by the caller's choice)."""
    from rich.table import Table
    from rich.text import Text

    s = tally.counts
    head = Table(title="批量检查结果" + ("（已中断，部分结果）" if interrupted else ""), show_header=True)
    for col in ("报告", "通过", "不通过", "无法检查", "跨年度配对"):
        head.add_column(col, justify="right")
    head.add_row(str(s["reports"]), f"[green]{s['pass']}[/]", f"[red]{s['fail']}[/]", f"[yellow]{s['error']}[/]",
                 str(pairs))
    console.print(head)
    if tally.scored:
        console.print(f"平均得分 {tally.average():.1f}（{tally.scored} 份评分）")
        for label, rows in tally.rankings():
            ranked = Table(title=label)
            for col, justify in (("得分", "right"), ("机关", "left"), ("年度", "right"), ("文件", "left")):
                ranked.add_column(col, justify=justify)
            for score, agency, year, source in rows:
                ranked.add_row(f"{score:.1f}", Text(shown(agency or "?")), str(year), Text(shown(source)))
            console.print(ranked)
    if skipped:
        console.print(f"跳过不支持的文件 {skipped} 个")
    top = tally.failing_rules(TOP_RULES)
    if top:
        rules = Table(title="不通过最多的规则")
        for col, justify in (("规则", "left"), ("严重程度", "left"), ("不通过", "right"), ("适用", "right"),
                             ("比例", "right"), ("标题", "left")):
            rules.add_column(col, justify=justify)
        for rule, info in top:
            rules.add_row(rule, SEVERITY.get(info["severity"], info["severity"]), str(info["fail"]),
                          str(info["applied"]), f"{rate(info):.0%}", Text(info["title"]))
        console.print(rules)


# --- audit's text format -----------------------------------------------------------------
def piece(entry: dict, details: bool = False, color: bool = False, **_options) -> str:
    """One line per report; with details, the full text of gkcheck check."""
    if details:
        return "\n".join(render_report(shown_all(entry), color)) + "\n\n"
    if entry["verdict"] == "error":
        return f"{STATUS['error']}  {shown(entry['error'])}\n"
    info = entry["report"] or {}
    counts = severity_counts((r["rule"], r["severity"]) for r in entry["results"] if r["status"] == "fail")
    level = LEVEL_LABELS.get((info.get("agency") or {}).get("level"), "")
    scored = f"得分 {score_text(entry['score'])}  " if entry.get("score") else ""
    return (f"{STATUS[entry['verdict']]}  {shown((info.get('agency') or {}).get('name', '?'))}"
            f"{'（' + level + '）' if level else ''}  {info.get('year')} 年度  {scored}"
            f"错误 {counts['error']} · 警告 {counts['warning']} · 提示 {counts['info']}  {shown(entry['source'])}\n")


class Writer:
    def __init__(self, out, console=None, skipped: int = 0, **_options):
        self.out, self.console, self.skipped = writable(out), console, skipped

    def begin(self) -> None:
        pass

    def add(self, text: str | bytes) -> None:
        self.out.write(text)

    def end(self, tally: Tally, pairs: list[dict], interrupted: bool, extras: dict | None = None) -> None:
        if pairs:
            self.out.write("\n" + "".join(pair_line(p) + "\n" for p in pairs))
        self.out.write("\n")
        if self.console is not None:
            self.out.flush()
            print_rich(tally, len(pairs), self.console, interrupted, self.skipped)
        else:
            self.out.write(summary_text(tally, len(pairs), interrupted, self.skipped))


def pair_line(p: dict) -> str:
    return (f"配对：{shown(p['agency'])} {p['year']} 年度 ← {p['previous_year']} 年度"
            f"（{shown(p['source'])} ← {shown(p['previous_source'])}）")

"""An Excel workbook for the supervising office (--format xlsx -o audit.xlsx; XlsxWriter).

Sheets: 汇总 (a row per report, ranked by score), 问题清单 (a row per finding), 规则统计 (per
rule: reports checked, failed, share), 历年对比 (an agency's score and failures year on year),
无法检查 (inputs in error, with the reason), 运行记录 (what the run depended on).

Streaming: a worker renders each report to one JSON line (its summary row and its finding
rows); the parent writes the finding rows straight to a constant-memory worksheet and keeps only
the summary row, so memory grows with the reports, never with the findings. The ranked sheets
are written at the end from those rows and the run's counters.

Report text is untrusted: every text cell is written with write_string, so nothing becomes a
formula (= + - @), a link or a number; numbers are numbers, dates are dates.
"""

from __future__ import annotations

import datetime as dt
import json

from gkcheck.chinese.normalize import agency_key
from gkcheck.output.csv_format import deducted
from gkcheck.output.stream import writable
from gkcheck.output.summary import (
    Tally,
    agencies_over_years,
    by_year,
    rate,
    score_change,
)
from gkcheck.output.text import SEVERITY, STATUS, _evidence, _where
from gkcheck.ruleset.model import LEVEL_LABELS
from gkcheck.util import regex

MAX_CELL = 32000        # Excel holds 32,767 characters in a cell
MAX_WIDTH = 60          # columns wider than this wrap
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no place in a cell (PDF text has \f)
FINDING_STATUS = {"fail": "不通过", "waived": "已豁免"}
FINDING_COLUMNS = ("机关", "年度", "规则", "标题", "严重程度", "状态", "扣分", "依据", "说明", "证据", "位置", "文件")
RULE_COLUMNS = ("规则", "标题", "严重程度", "检查份数", "不通过份数", "不通过比例")
ERROR_COLUMNS = ("文件", "原因")


def clean(text) -> str:
    text = str(text)
    if not text.isprintable():  # most cells: no control character to replace (a C-speed test)
        text = _CONTROL.sub(" ", text)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"


def summary_columns(categories) -> tuple:
    return ("排名", "机关", "层级", "年度", "结论", "得分", *(name for _cid, name in categories), "错误", "警告", "提示",
            "已豁免", "基线中已有", "发布日期", "落款日期", "文件", "对照的上一年度报告", "评分说明")


def summary_row(entry: dict, index: int, categories) -> dict:
    """What the 汇总 and 历年对比 sheets need of a report (kept in the parent, a few hundred bytes)."""
    info = entry.get("report") or {}
    agency = info.get("agency") or {}
    results = entry.get("results") or []
    counts = {k: 0 for k in ("error", "warning", "info", "waived", "baseline")}
    for r in results:
        if r["status"] == "fail":
            counts["baseline" if r.get("baseline") else r["severity"]] += 1
        elif r["status"] == "waived":
            counts["waived"] += 1
    score = entry.get("score") or {}
    by_id = {c["id"]: c["score"] for c in score.get("categories") or []}
    return {"index": index, "source": entry["source"], "agency": agency.get("name"), "key": agency_key(agency.get("name")),
            "level": LEVEL_LABELS.get(agency.get("level"), agency.get("level")), "year": info.get("year"),
            "verdict": entry["verdict"], "score": score.get("total"),
            "categories": [by_id.get(cid) for cid, _name in categories], "counts": counts,
            "failures": counts["error"] + counts["warning"] + counts["info"] + counts["baseline"],
            "published": info.get("published"), "signed": info.get("signed"),
            "previous": (info.get("previous") or {}).get("source"), "note": score.get("note"),
            "error": entry.get("error")}


def finding_rows(entry: dict) -> list[list]:
    info = entry.get("report") or {}
    agency = (info.get("agency") or {}).get("name")
    form = info.get("form")  # lines of html, pdf and docx are lines of the extracted text
    points = deducted(entry)
    rows = []
    for r in entry.get("results") or []:
        if r["status"] not in FINDING_STATUS:
            continue
        status = "基线中已有" if r.get("baseline") and r["status"] == "fail" else FINDING_STATUS[r["status"]]
        rows.append([agency, info.get("year"), r["rule"], r.get("title"), SEVERITY.get(r["severity"], r["severity"]),
                     status, points.get(r["rule"], 0), r.get("basis"), r.get("message"),
                     "\n".join(_evidence(e, form) for e in r.get("evidence") or []),
                     _where(r.get("location"), form), entry["source"]])
    return rows


def piece(entry: dict, index: int = 0, categories=(), **_options) -> str:
    return json.dumps({"s": summary_row(entry, index, categories), "f": finding_rows(entry)},
                      ensure_ascii=False, default=str) + "\n"


def _date(value):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _width(text: str) -> int:
    """Display width, about: a CJK character (3 bytes in UTF-8) takes two columns, ASCII one."""
    return (len(text.encode("utf-8", "replace")) + len(text)) // 2


class _Sheet:
    """A worksheet written row by row (constant memory), remembering the width each column needs."""

    def __init__(self, ws, columns, formats: dict, frozen_columns: int = 0):
        self.ws, self.formats = ws, formats
        self.columns, self.row = columns, 0
        self.widths = [_width(c) + 2 for c in columns]
        self.write_row(list(columns), header=True)
        ws.freeze_panes(1, frozen_columns)

    def write_row(self, values: list, header: bool = False, kinds: dict | None = None) -> None:
        ws, r = self.ws, self.row
        for c, value in enumerate(values):
            kind = (kinds or {}).get(c)
            if value is None or value == "":
                continue
            if header:
                ws.write_string(r, c, value, self.formats["header"])
            elif kind == "date" and _date(value):
                ws.write_datetime(r, c, _date(value), self.formats["date"])
            elif isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否")
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, self.formats.get(kind) if kind else None)
            else:
                text = clean(value)
                long = "\n" in text or len(text) > MAX_WIDTH // 2
                ws.write_string(r, c, text, self.formats["wrap"] if long else None)
                if self.widths[c] < MAX_WIDTH:  # a column already at the widest wraps: no need to measure
                    width = max(map(_width, text.split("\n"))) if "\n" in text else _width(text)
                    self.widths[c] = max(self.widths[c], min(MAX_WIDTH, width + 2))
                continue
            self.widths[c] = max(self.widths[c], 12 if kind == "date" else len(str(value)) + 2)
        self.row += 1

    def finish(self) -> None:
        for c, w in enumerate(self.widths):
            self.ws.set_column(c, c, w)
        self.ws.autofilter(0, 0, max(self.row - 1, 0), len(self.columns) - 1)


class Writer:
    """Findings and inputs in error are written as they come; the rest at the end."""

    def __init__(self, out, categories=(), **_options):
        self.out = writable(out)
        self.categories = list(categories)
        self.rows: list[dict] = []

    def begin(self) -> None:
        import xlsxwriter  # only for this format: the cold start does not pay for it

        target = self.out.target
        self.book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                                 "strings_to_urls": False, "strings_to_numbers": False})
        b = self.book
        self.formats = {"header": b.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                                                "valign": "top", "border": 1}),
                        "wrap": b.add_format({"text_wrap": True, "valign": "top"}),
                        "date": b.add_format({"num_format": "yyyy-mm-dd"}),
                        "score": b.add_format({"num_format": "0.0"}),
                        "percent": b.add_format({"num_format": "0.0%"})}
        # sheets in the order the office reads them; 汇总 and the others are filled at the end
        self.summary = _Sheet(b.add_worksheet("汇总"), summary_columns(self.categories), self.formats, 2)
        self.findings = _Sheet(b.add_worksheet("问题清单"), FINDING_COLUMNS, self.formats, 1)
        self.rules = _Sheet(b.add_worksheet("规则统计"), RULE_COLUMNS, self.formats, 1)
        self.trends = b.add_worksheet("历年对比")
        self.errors = _Sheet(b.add_worksheet("无法检查"), ERROR_COLUMNS, self.formats)
        self.record = _Sheet(b.add_worksheet("运行记录"), ("项目", "内容"), self.formats)

    def add(self, text: str | bytes) -> None:
        data = json.loads(text)
        row = data["s"]
        self.rows.append(row)
        for finding in data["f"]:
            self.findings.write_row(finding)
        if row["verdict"] == "error":
            self.errors.write_row([row["source"], row["error"]])

    def end(self, tally: Tally, pairs: list, interrupted: bool, extras: dict | None = None) -> None:
        self._summary()
        self._rules(tally)
        _trends(self.trends, self.rows, pairs, self.formats)
        self._record(tally, pairs, interrupted, extras or {})
        for sheet in (self.findings, self.errors):
            sheet.finish()
        self.book.close()

    def _summary(self) -> None:
        ranked = sorted(self.rows, key=lambda r: (r["score"] is None, -(r["score"] or 0), r["index"]))
        n = len(self.categories)
        kinds = {5 + i: "score" for i in range(n + 1)}
        kinds.update({11 + n: "date", 12 + n: "date"})
        rank, last = 0, None
        for i, r in enumerate(ranked, 1):
            if r["score"] is not None and r["score"] != last:
                rank, last = i, r["score"]
            c = r["counts"]
            self.summary.write_row(
                [rank if r["score"] is not None else None, r["agency"], r["level"], r["year"], STATUS[r["verdict"]],
                 r["score"], *r["categories"], c["error"], c["warning"], c["info"], c["waived"], c["baseline"],
                 r["published"], r["signed"], r["source"], r["previous"], r["note"] or r["error"]], kinds=kinds)
        self.summary.finish()

    def _rules(self, tally: Tally) -> None:
        rows = sorted(tally.rules.items(), key=lambda x: (-x[1]["fail"], -rate(x[1]), x[0]))
        for rule, info in rows:
            if info["applied"]:
                self.rules.write_row([rule, info["title"], SEVERITY.get(info["severity"], ""), info["applied"],
                                      info["fail"], rate(info)], kinds={5: "percent"})
        self.rules.finish()

    def _record(self, tally: Tally, pairs: list, interrupted: bool, extras: dict) -> None:
        from gkcheck import __version__

        run = extras.get("run") or {}
        s = tally.summary()
        items = [("gkcheck 版本", run.get("version") or __version__), ("运行时间（UTC）", run.get("time")),
                 ("报告", s["reports"]), ("通过", s["pass"]), ("不通过", s["fail"]), ("无法检查", s["error"]),
                 ("平均得分", tally.average()), ("跨年度配对", len(pairs)),
                 ("判定级别（fail_on）", extras.get("fail_on"))]
        if interrupted:
            items.append(("已中断", "检查被中断，本工作簿只有已完成的部分"))
        card = run.get("scorecard") or {}
        if card:
            items.append(("评分表", f"{card.get('id')} {card.get('version') or ''}（{card.get('file')}，sha256 "
                                    f"{card.get('sha256')}）"))
        for p in run.get("rule_packs") or []:
            items.append((f"规则包 {p['pack']}", f"{p['file']}（sha256 {p['sha256']}）"))
        if run.get("options"):
            items.append(("影响结果的设置", json.dumps(run["options"], ensure_ascii=False, default=str)))
        for key, value in items:
            self.record.write_row([key, value])
        self.record.finish()


def _trends(ws, rows: list[dict], pairs: list, formats: dict) -> None:
    chains = agencies_over_years(rows, pairs)
    years = sorted({r["year"] for g in chains for r in g})
    if not chains:
        ws.write_string(0, 0, "本批没有同一机关相邻年度的报告（配对后才能比较历年得分）。")
        return
    head = ["机关"] + [f"{y} 年度{what}" for y in years for what in ("得分", "问题数")] + ["得分变化"]
    sheet = _Sheet(ws, head, formats, 1)
    kinds = {1 + 2 * i: "score" for i in range(len(years))}
    kinds[len(head) - 1] = "score"
    for chain in chains:
        rows = by_year(chain)
        cells: list = [chain[-1]["agency"]]
        for y in years:
            r = rows.get(y)
            cells += [r["score"], r["failures"]] if r else [None, None]
        cells.append(score_change(chain))
        sheet.write_row(cells, kinds=kinds)
    sheet.finish()

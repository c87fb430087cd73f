"""CSV for Excel: UTF-8 with a BOM (so Excel shows Chinese), a row per report or per finding.

Report rows: source, agency, level, year, verdict, errors, warnings, failed rule ids (and the
reason when the report could not be checked). With findings=True, a row per failed rule
instead (a report that could not be checked still gets one row, so none goes missing).
Text that Excel would run as a formula (= + - @ at the start) is prefixed with an apostrophe
(gkcheck.util.spreadsheet). With a scorecard (`categories`: its (id, name) pairs), report rows end
with the total score and each category's score, finding rows with the points the finding deducted.
"""

from __future__ import annotations

import csv
import io

from gkcheck.output.stream import writable
from gkcheck.output.text import SEVERITY, STATUS, _evidence, _where
from gkcheck.ruleset.model import LEVEL_LABELS
from gkcheck.util.spreadsheet import inert

BOM = "\ufeff"
REPORT_COLUMNS = ("文件", "机关", "层级", "年度", "结论", "错误", "警告", "不通过的规则", "无法检查的原因",
                  "对照的上一年度报告")
FINDING_COLUMNS = ("文件", "机关", "年度", "规则", "严重程度", "状态", "说明", "依据", "位置", "证据")
FINDING_STATUS = {"fail": "不通过", "pass": "通过", "not_applicable": "不适用", "error": STATUS["error"]}


def score_cells(entry: dict, categories) -> list:
    """The total and each category's score (blank where not scored or not applicable)."""
    if not categories:
        return []
    score = entry.get("score") or {}
    by_id = {c["id"]: c["score"] for c in score.get("categories") or []}
    return [score.get("total"), *(by_id.get(cid) for cid, _name in categories)]


def deducted(entry: dict) -> dict:
    """rule → the points its failure deducted."""
    return {d["rule"]: d["points"] for c in (entry.get("score") or {}).get("categories") or []
            for d in c["deductions"]}


def _rows_for(entry: dict, findings: bool, categories=()) -> list[list]:
    info = entry.get("report") or {}
    agency = info.get("agency") or {}
    failed = [r for r in entry.get("results") or [] if r["status"] == "fail"]
    if not findings:
        count = {s: sum(1 for r in failed if r["severity"] == s) for s in ("error", "warning")}
        return [[entry["source"], agency.get("name"), LEVEL_LABELS.get(agency.get("level"), agency.get("level")),
                 info.get("year"), STATUS[entry["verdict"]], count["error"], count["warning"],
                 " ".join(r["rule"] for r in failed), entry.get("error"), (info.get("previous") or {}).get("source"),
                 *score_cells(entry, categories)]]
    scored = [None] if categories else []
    if entry["verdict"] == "error":
        return [[entry["source"], None, None, None, None, FINDING_STATUS["error"], entry["error"], None, None, None,
                 *scored]]
    form = info.get("form")  # lines of html, pdf and docx are lines of the extracted text
    points = deducted(entry) if categories else {}
    return [[entry["source"], agency.get("name"), info.get("year"), r["rule"], SEVERITY.get(r["severity"]),
             FINDING_STATUS.get(r["status"], r["status"]), r["message"], r.get("basis"), _where(r.get("location"), form),
             "；".join(_evidence(e, form) for e in r.get("evidence") or []),
             *([points.get(r["rule"], 0)] if categories else [])] for r in failed]


def piece(entry: dict, findings: bool = False, categories=(), **_options) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows([[inert(v) for v in row] for row in _rows_for(entry, findings, categories)])
    return buf.getvalue()


def header(findings: bool, categories=()) -> tuple:
    if findings:
        return FINDING_COLUMNS + (("扣分",) if categories else ())
    return REPORT_COLUMNS + (("得分", *(name for _cid, name in categories)) if categories else ())


def doc_categories(doc: dict) -> list[tuple]:
    """The scorecard's categories as the document's first scored report shows them."""
    for entry in doc["reports"]:
        if entry.get("score"):
            return [(c["id"], c["name"]) for c in entry["score"]["categories"]]
    return []


class Writer:
    """Streams rows to `out` (opened with newline="" so the CSV's CRLF stays as written)."""

    def __init__(self, out, findings: bool = False, categories=(), **_options):
        self.out, self.findings, self.categories = writable(out), findings, categories

    def begin(self) -> None:
        buf = io.StringIO()
        csv.writer(buf).writerow(header(self.findings, self.categories))
        self.out.write(BOM + buf.getvalue())

    def add(self, text: str | bytes) -> None:
        self.out.write(text)

    def end(self, tally, pairs, interrupted, extras: dict | None = None) -> None:
        pass


def render(doc: dict, findings: bool = False, **_options) -> str:
    buf = io.StringIO()
    categories = doc_categories(doc)
    writer = Writer(buf, findings=findings, categories=categories)
    writer.begin()
    for entry in doc["reports"]:
        writer.add(piece(entry, findings=findings, categories=categories))
    return buf.getvalue()

"""CSV for Excel: UTF-8 with a BOM (so Excel shows Chinese), a row per report or per finding.

Report rows: source, agency, level, year, verdict, errors, warnings, failed rule ids (and the
reason when the report could not be checked). With findings=True, a row per failed rule
instead (a report that could not be checked still gets one row, so none goes missing).
Text that Excel would run as a formula (= + - @ at the start) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io

from gkcheck.output.stream import writable
from gkcheck.output.text import SEVERITY, STATUS, _evidence, _where
from gkcheck.ruleset.model import LEVEL_LABELS

BOM = "\ufeff"
REPORT_COLUMNS = ("文件", "机关", "层级", "年度", "结论", "错误", "警告", "不通过的规则", "无法检查的原因",
                  "对照的上一年度报告")
FINDING_COLUMNS = ("文件", "机关", "年度", "规则", "严重程度", "状态", "说明", "依据", "位置", "证据")
FINDING_STATUS = {"fail": "不通过", "pass": "通过", "not_applicable": "不适用", "error": STATUS["error"]}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA) and not _is_number(value):
        return "'" + value
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _rows_for(entry: dict, findings: bool) -> list[list]:
    info = entry.get("report") or {}
    agency = info.get("agency") or {}
    failed = [r for r in entry.get("results") or [] if r["status"] == "fail"]
    if not findings:
        count = {s: sum(1 for r in failed if r["severity"] == s) for s in ("error", "warning")}
        return [[entry["source"], agency.get("name"), LEVEL_LABELS.get(agency.get("level"), agency.get("level")),
                 info.get("year"), STATUS[entry["verdict"]], count["error"], count["warning"],
                 " ".join(r["rule"] for r in failed), entry.get("error"), (info.get("previous") or {}).get("source")]]
    if entry["verdict"] == "error":
        return [[entry["source"], None, None, None, None, FINDING_STATUS["error"], entry["error"], None, None, None]]
    form = info.get("form")  # lines of html, pdf and docx are lines of the extracted text
    return [[entry["source"], agency.get("name"), info.get("year"), r["rule"], SEVERITY.get(r["severity"]),
             FINDING_STATUS.get(r["status"], r["status"]), r["message"], r.get("basis"), _where(r.get("location"), form),
             "；".join(_evidence(e, form) for e in r.get("evidence") or [])] for r in failed]


def piece(entry: dict, findings: bool = False, **_options) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows([[_safe(v) for v in row] for row in _rows_for(entry, findings)])
    return buf.getvalue()


class Writer:
    """Streams rows to `out` (opened with newline="" so the CSV's CRLF stays as written)."""

    def __init__(self, out, findings: bool = False, **_options):
        self.out, self.findings = writable(out), findings

    def begin(self) -> None:
        buf = io.StringIO()
        csv.writer(buf).writerow(FINDING_COLUMNS if self.findings else REPORT_COLUMNS)
        self.out.write(BOM + buf.getvalue())

    def add(self, text: str | bytes) -> None:
        self.out.write(text)

    def end(self, tally, pairs, interrupted, extras: dict | None = None) -> None:
        pass


def render(doc: dict, findings: bool = False, **_options) -> str:
    buf = io.StringIO()
    writer = Writer(buf, findings=findings)
    writer.begin()
    for entry in doc["reports"]:
        writer.add(piece(entry, findings=findings))
    return buf.getvalue()

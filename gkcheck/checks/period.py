"""The statistics period (统计期限): it covers the whole report year, read strictly, or (what:
stated) the report states one at all."""

from __future__ import annotations

import datetime as dt

from gkcheck.result import Outcome

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "when_missing": {"enum": ["not_applicable", "fail"],
                         "description": "a report that states no period"},
        "what": {"enum": ["covers_year", "stated"],
                 "description": "covers_year (default): the period is the whole year; stated: a period is stated"},
    },
}
DEFECTS = {"blank": "日期空白", "partial": "日期不全", "garbled": "日期无法识别"}


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def compile(params: dict):
    when_missing = params.get("when_missing", "not_applicable")
    stated_only = params.get("what") == "stated"

    def run(report) -> Outcome:
        period = report.period
        year = report.year
        expected = f"{year}-01-01至{year}-12-31"
        if not period:
            if when_missing == "fail" or stated_only:
                return Outcome.failed(expected=expected, period="（未说明）")
            return Outcome.not_applicable("报告未说明统计期限", expected=expected)
        location = period.get("location")
        start, end = _date(period.get("start")), _date(period.get("end"))
        defect = period.get("defect")
        if defect:
            shown = f"“{period.get('text') or ''}”（{DEFECTS.get(defect, defect)}）"
        elif start is None:
            shown = f"截至{end.isoformat()}（只写了截止日期）"
        else:
            shown = f"{start.isoformat()}至{end.isoformat()}"
        evidence = [{"text": period.get("text") or shown, "value": shown, "location": location}]
        if stated_only:
            return Outcome.passed(evidence, location, expected=expected, period=shown)
        # A cut-off date alone (统计数据截止时间为12月31日) says the data run to the year's end.
        ok = not defect and end == dt.date(year, 12, 31) and start in (None, dt.date(year, 1, 1))
        make = Outcome.passed if ok else Outcome.failed
        return make(evidence, location, expected=expected, period=shown)

    return run

"""The statistics period (统计期限) covers the whole report year."""

from __future__ import annotations

import datetime as dt

from gkcheck.result import Outcome

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "when_missing": {"enum": ["not_applicable", "fail"],
                         "description": "a report that states no period"},
    },
}


def compile(params: dict):
    when_missing = params.get("when_missing", "not_applicable")

    def run(report) -> Outcome:
        period = report.period
        year = report.year
        expected = f"{year}-01-01至{year}-12-31"
        if not period:
            if when_missing == "fail":
                return Outcome.failed(expected=expected, period="（未说明）")
            return Outcome.not_applicable("报告未说明统计期限", expected=expected)
        start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
        shown = f"{start.isoformat()}至{end.isoformat()}"
        evidence = [{"text": period.get("text") or shown, "value": shown, "location": period.get("location")}]
        ok = start == dt.date(year, 1, 1) and end == dt.date(year, 12, 31)
        make = Outcome.passed if ok else Outcome.failed
        return make(evidence, period.get("location"), expected=expected, period=shown)

    return run

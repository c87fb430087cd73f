"""Publication deadline: published on or before a date computed from the report year."""

from __future__ import annotations

import datetime as dt

from gkcheck.result import Outcome

PARAMS = {
    "type": "object",
    "required": ["month", "day"],
    "additionalProperties": False,
    "properties": {
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "year_offset": {"type": "integer", "description": "due year = report year + this (default 1)"},
    },
}


def compile(params: dict):
    month, day, offset = params["month"], params["day"], params.get("year_offset", 1)
    dt.date(2001, month, day)  # rejects 2-30 and the like when the rule loads

    def run(report) -> Outcome:
        due = dt.date(report.year + offset, month, day)
        published = report.published
        if published is None:
            return Outcome.not_applicable(
                "发布日期未知（可用 --published 指定）", due=due.isoformat())
        loc = report.fact_location("published")
        evidence = [{"value": published.isoformat(), "text": f"发布日期 {published.isoformat()}", "location": loc}]
        make = Outcome.passed if published <= due else Outcome.failed
        return make(evidence, loc, due=due.isoformat(), published=published.isoformat(),
                    days_late=(published - due).days)

    return run

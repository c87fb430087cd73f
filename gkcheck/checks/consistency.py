"""Two facts of the report compared: signature vs publication date, title year vs period year."""

from __future__ import annotations

import operator

from gkcheck.result import Outcome

FACTS = ["year", "published", "signed", "period_start", "period_end", "period_year", "title_year"]
LABELS = {"year": "报告年度", "published": "发布日期", "signed": "落款日期", "period_start": "统计期限起",
          "period_end": "统计期限止", "period_year": "统计期限年度", "title_year": "标题年度"}
OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
       ">": operator.gt, ">=": operator.ge}

PARAMS = {
    "type": "object",
    "required": ["left", "op", "right"],
    "additionalProperties": False,
    "properties": {
        "left": {"enum": FACTS},
        "op": {"enum": list(OPS)},
        "right": {"enum": FACTS},
    },
}


def _show(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def compile(params: dict):
    left, right, op = params["left"], params["right"], OPS[params["op"]]

    def run(report) -> Outcome:
        facts = report.facts()
        a, b = facts.get(left), facts.get(right)
        missing = [LABELS[n] for n, v in ((left, a), (right, b)) if v is None]
        if missing:
            return Outcome.not_applicable(f"{'、'.join(missing)}未知")
        evidence = [{"text": f"{LABELS[n]} {_show(v)}", "value": _show(v), "location": report.fact_location(n)}
                    for n, v in ((left, a), (right, b))]
        make = Outcome.passed if op(a, b) else Outcome.failed
        return make(evidence, report.fact_location(left), left=_show(a), right=_show(b))

    return run

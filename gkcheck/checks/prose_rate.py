"""A rate stated in the prose agrees with the two counts stated with it in the same sentence.

    kind: prose_rate
    units: [件]
    rates:
      - name: 办结率
        rate: "(?<!按时)(?<!按期)(?<!及时)办结率"     # the rate's word; P% follows it
        numerator: ["办结", "办理完毕"]               # words before the count that is the numerator
        denominator: ["受理", "收到", "新收"]
    unless: ["结转", "上一?年"]                        # the denominator is then not the one stated

"受理申请20件，办结22件，办结率100%" fails: 22 / 20 is 110%, and no count closes more than came in.
The rate must be within one unit of its last printed digit (rounded or cut off: 95.45% reads 95% or 95.4%). A sentence with no count for either side, two candidates for one side,
or an `unless` word (carried-over cases change the base) is not judged and is reported as ambiguous.
"""

from __future__ import annotations

import re
from decimal import Decimal

from gkcheck.checks.prose import clause_start, figure_pattern, figures, normal
from gkcheck.checks.scope import SCOPE_SCHEMA, Scope, compile_patterns, location
from gkcheck.checks.tablecells import show
from gkcheck.result import Outcome

_WORDS = {"type": "array", "minItems": 1, "items": {"type": "string"}}

PARAMS = {
    "type": "object",
    "required": ["units", "rates"],
    "additionalProperties": False,
    "properties": {
        "units": _WORDS,
        "rates": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "rate", "numerator", "denominator"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "rate": {"type": "string"},
                           "numerator": _WORDS, "denominator": _WORDS}}},
        "unless": {"type": "array", "items": {"type": "string"}},
        "scope": SCOPE_SCHEMA,
    },
}

HUNDRED = Decimal(100)


class _Rate:
    def __init__(self, spec: dict):
        self.name = spec["name"]
        self.rate = re.compile(rf"(?:{spec['rate']})\s*(?:为|是|达到?|达)?\s*(?P<p>\d+(?:\.(?P<d>\d+))?)\s*%")
        self.numerator = compile_patterns(spec["numerator"])
        self.denominator = compile_patterns(spec["denominator"])


def compile(params: dict):
    pattern = figure_pattern(params["units"])
    rates = [_Rate(r) for r in params["rates"]]
    unless = compile_patterns(params.get("unless", []))
    scope = Scope(params.get("scope"))

    def sides(text: str, figs, words: re.Pattern) -> list:
        """Counts whose clause names this side before the figure ("办结18件", "受理申请20件")."""
        return [f for f in figs if words.search(text, clause_start(text, f.start), f.start)]

    def run(report) -> Outcome:
        failed, passed, unsure = [], [], []
        for sentence in scope.sentences(report):
            text = normal(sentence.text)
            found = [(r, m) for r in rates for m in r.rate.finditer(text)]
            if not found:
                continue
            figs = figures(text, pattern)
            loc = location(sentence)
            for r, m in found:
                before = [f for f in figs if f.end <= m.start()]
                num, den = sides(text, before, r.numerator), sides(text, before, r.denominator)
                num = [f for f in num if f not in den]
                printed, decimals = Decimal(m.group("p")), len(m.group("d") or "")
                head = f"“{sentence.text}”：{r.name} {show(printed)}%"
                if len(num) != 1 or len(den) != 1:
                    unsure.append({"text": f"{head}（无法判断：同句中没有唯一的分子、分母件数）", "location": loc})
                    continue
                n, d = num[0], den[0]
                counts = f"{text[clause_start(text, d.start):d.end]}，{text[clause_start(text, n.start):n.end]}"
                if unless and unless.search(text) or n.approx or d.approx or not d.value:
                    unsure.append({"text": f"{head}，{counts}（无法判断：含结转、上年数字或约数，基数不明）",
                                   "location": loc})
                    continue
                actual = n.value / d.value * HUNDRED
                value = {"rate": r.name, "printed": show(printed), "numerator": show(n.value),
                         "denominator": show(d.value), "computed": f"{actual:.{decimals + 2}f}"}
                said = f"{head}；{counts}，{show(n.value)}÷{show(d.value)} = {actual:.{decimals + 2}f}%"
                if n.value > d.value:  # without carried-over cases nothing closes more than came in
                    failed.append({"text": f"{said}，{r.name}不能超过100%", "location": loc, "value": value})
                elif abs(actual - printed) < Decimal(1).scaleb(-decimals):
                    passed.append({"text": said, "location": loc, "value": value})
                else:
                    failed.append({"text": f"{said}，与所写相差 {abs(actual - printed):.{decimals + 2}f} 个百分点",
                                   "location": loc, "value": value})
        values = {"count": len(failed), "first": failed[0]["text"] if failed else ""}
        if failed:
            return Outcome.failed(failed + unsure, failed[0]["location"], **values)
        if passed:
            return Outcome.passed(passed + unsure, passed[0]["location"], **values)
        if unsure:
            return Outcome.not_applicable("ambiguous：" + "；".join(u["text"] for u in unsure[:3]), **values)
        return Outcome.not_applicable("正文中没有带件数的办结率、答复率", **values)

    return run


"""A rate stated in the prose agrees with the two counts stated with it in the same sentence.

    kind: prose_rate
    units: [件]
    rates:
      - name: 办结率                                  # the rate as printed (sentences without it are skipped)
        rate: "(?<!按时)(?<!按期)(?<!及时)办结率"     # which occurrences count; P% follows it
        numerator: ["办结", "办理完毕"]               # words before the count that is the numerator
        denominator: ["受理", "收到", "新收"]
    unless: ["结转", "上一?年"]                        # the denominator is then not the one stated

"受理申请20件，办结22件，办结率100%" fails: 22 / 20 is 110%, and no count closes more than came in.
The rate must be within one unit of its last printed digit (rounded or cut off: 95.45% reads 95%
or 95.4%). A sentence with no count for either side, two candidates for one side,
or an `unless` word (carried-over cases change the base) is not judged and is reported as ambiguous.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice

from gkcheck.checks.prose import (
    PER_SENTENCE,
    FigureReader,
    clause_start,
    normal,
    percent,
    verdict,
    within_printed,
)
from gkcheck.checks.scope import SCOPE_SCHEMA, Scope, compile_patterns, location, sentences_to_search
from gkcheck.chinese.numbers import decimal, show
from gkcheck.util import regex
from gkcheck.util.needles import Prefiltered

_WORDS = {"type": "array", "minItems": 1, "items": {"type": "string"}}
_UNITS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}

PARAMS = {
    "type": "object",
    "required": ["units", "rates"],
    "additionalProperties": False,
    "properties": {
        "units": _UNITS,
        "rates": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "rate", "numerator", "denominator"], "additionalProperties": False,
            "properties": {"name": {"type": "string", "minLength": 1, "description": "the rate as printed (办结率)"},
                           "rate": {"type": "string", "description": "regex: the occurrences that count"},
                           "numerator": _WORDS, "denominator": _WORDS}}},
        "unless": {"type": "array", "items": {"type": "string"}},
        "scope": SCOPE_SCHEMA,
    },
}



class _Rate:
    def __init__(self, spec: dict):
        self.name = spec["name"]
        self.rate = regex.compile(rf"(?:{spec['rate']})\s*(?:为|是|达到?|达)?\s*(?P<p>\d+(?:\.(?P<d>\d+))?)\s*%")
        self.numerator = compile_patterns(spec["numerator"])
        self.denominator = compile_patterns(spec["denominator"])


def compile(params: dict):
    names = [r["name"] for r in params["rates"]]  # plain words: looked for before anything is compiled
    named = Prefiltered(regex.compile("|".join(map(re.escape, names))), (tuple(names),))  # a sentence naming a rate
    scope = Scope(params.get("scope"))
    compiled: list = []

    def ready():
        """(figure pattern, rates, unless), compiled when a sentence first names a rate."""
        if not compiled:
            compiled.append((FigureReader(params["units"]), [_Rate(r) for r in params["rates"]],
                             compile_patterns(params.get("unless", []))))
        return compiled[0]

    def sides(text: str, figs, words) -> list:
        """Counts whose clause names this side before the figure ("办结18件", "受理申请20件")."""
        return [f for f in figs if words.search(text, clause_start(text, f.start), f.start)]

    def run(report):
        failed, passed, unsure = [], [], []
        for sentence in sentences_to_search(named, scope, report):  # folding leaves CJK words alone
            reader, rates, unless = ready()
            text = normal(sentence.text)
            found = [(r, m) for r in rates for m in islice(r.rate.finditer(text), PER_SENTENCE)]
            if not found:
                continue
            figs = reader.read(text)
            loc = location(sentence)
            unclear = bool(unless and unless.search(text))
            counted = {}  # per rate: its denominators and numerators in the sentence, and their ends
            for r, m in found:
                if r.name not in counted:
                    den = sides(text, figs, r.denominator)
                    starts = {f.start for f in den}
                    num = [f for f in sides(text, figs, r.numerator) if f.start not in starts]
                    counted[r.name] = (num, [f.end for f in num], den, [f.end for f in den])
                num, num_ends, den, den_ends = counted[r.name]
                before = (bisect_right(num_ends, m.start()), bisect_right(den_ends, m.start()))
                printed, decimals = decimal(m.group("p")), len(m.group("d") or "")
                head = f"“{sentence.text}”：{r.name} {show(printed)}%"
                if before != (1, 1):
                    unsure.append({"text": f"{head}（无法判断：同句中没有唯一的分子、分母件数）", "location": loc})
                    continue
                n, d = num[0], den[0]
                counts = f"{text[clause_start(text, d.start):d.end]}，{text[clause_start(text, n.start):n.end]}"
                if unclear or n.approx or d.approx or not d.value:
                    unsure.append({"text": f"{head}，{counts}（无法判断：含结转、上年数字或约数，基数不明）",
                                   "location": loc})
                    continue
                actual = percent(n.value, d.value)
                value = {"rate": r.name, "printed": show(printed), "numerator": show(n.value),
                         "denominator": show(d.value), "computed": f"{actual:.{decimals + 2}f}"}
                said = f"{head}；{counts}，{show(n.value)}÷{show(d.value)} = {actual:.{decimals + 2}f}%"
                if n.value > d.value:  # without carried-over cases nothing closes more than came in
                    failed.append({"text": f"{said}，{r.name}不能超过100%", "location": loc, "value": value})
                elif within_printed(actual, printed, decimals):
                    passed.append({"text": said, "location": loc, "value": value})
                else:
                    failed.append({"text": f"{said}，与所写相差 {abs(actual - printed):.{decimals + 2}f} 个百分点",
                                   "location": loc, "value": value})
        return verdict(failed, passed, unsure, "正文中没有带件数的办结率、答复率")

    return run


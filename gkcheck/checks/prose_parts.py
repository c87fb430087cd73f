"""A total stated in the prose and its parts stated with it agree: the parts add up, their shares match.

    kind: prose_parts
    compare: sum          # sum: the parts add up to the total; shares: each 占P% matches part / total
    vocabulary: {units: [条, 件, …], markers: [其中, 包括, …], whole: [包括, …], residual: [其他, …],
                 partial: [等], overlap: [网站, 微信, 涉及, …], other_period: [上年, 同比, …], new_total: [共, …]}
    scope: {…}            # optional, default the whole report

sum fails when the parts exceed the total, or when the sentence presents them as the whole
(包括/分为, 分别为 without 其中, a last part 其他/其余) and they fall short; a breakdown whose
parts may overlap (channels), belong to another period or are approximate is not judged.
"其中" alone lists some parts: a shortfall is "ambiguous", not a failure. shares compares
P with part / total × 100 within one unit of the last printed digit (33% and 33.3% both
read 1/3). The evidence names the sentence, each part with its value, the sum and the difference.
"""

from __future__ import annotations

from gkcheck.checks.prose import VOCAB_SCHEMA, Breakdown, Vocabulary, breakdowns, percent, verdict, within_printed
from gkcheck.checks.scope import SCOPE_SCHEMA, Scope, location, sentences_to_search
from gkcheck.chinese.numbers import show

PARAMS = {
    "type": "object",
    "required": ["compare", "vocabulary"],
    "additionalProperties": False,
    "properties": {
        "compare": {"enum": ["sum", "shares"]},
        "vocabulary": VOCAB_SCHEMA,
        "scope": SCOPE_SCHEMA,
    },
}



def figure_text(label: str, value, unit: str) -> str:
    return f"{label} {show(value)}{unit}" if label else f"{show(value)}{unit}"


def parts_text(b: Breakdown) -> str:
    return " + ".join(figure_text(p.label, p.figure.value, p.figure.unit) for p in b.parts)


def judge_sum(b: Breakdown) -> tuple[str, str]:
    """(pass | fail | ambiguous, what was found)."""
    unit, total, parts = b.total.unit, b.total.value, b.sum
    head = f"总数 {figure_text(b.total_label, total, unit)}；分项 {parts_text(b)} = {show(parts)}{unit}"
    if parts == total:
        return "pass", head
    diff = parts - total
    said = f"{head}，{'多出' if diff > 0 else '少'} {show(abs(diff))}{unit}"
    if b.doubts:
        return "ambiguous", f"{said}（无法判断：{'；'.join(b.doubts)}）"
    if diff > 0:
        return "fail", f"{said}：分项之和超过总数"
    if b.whole:
        return "fail", f"{said}：句子把这些分项作为全部，却加不到总数"
    return "ambiguous", f"{said}（无法判断：句子没有说这些分项就是全部）"


def judge_shares(b: Breakdown) -> list[tuple[str, str]]:
    out = []
    if b.total.approx or not b.total.value:
        return out
    for p in b.parts:
        if p.share is None or p.figure.approx:
            continue
        printed, decimals = p.share
        actual = percent(p.figure.value, b.total.value)
        said = (f"{figure_text(p.label, p.figure.value, p.figure.unit)} 占 {show(printed)}%；"
                f"按总数 {show(b.total.value)}{b.total.unit} 计为 {actual:.{decimals + 2}f}%")
        if within_printed(actual, printed, decimals):
            out.append(("pass", said))
        else:
            out.append(("fail", f"{said}，相差 {abs(actual - printed):.{decimals + 2}f} 个百分点"))
    return out


def compile(params: dict):
    vocab = Vocabulary(params["vocabulary"])
    scope = Scope(params.get("scope"))
    compare = params["compare"]

    def parsed(report):
        """(sentence, location, breakdowns) once per report for every rule with this vocabulary."""
        key = (vocab.key, scope.key)
        cache = report._cache
        if key not in cache:
            cache[key] = [(s.text, location(s), found) for s in sentences_to_search(vocab.hint, scope, report)
                          if (found := breakdowns(s.text, vocab))]
        return cache[key]

    def run(report):
        failed, passed, unsure = [], [], []
        for sentence, loc, found in parsed(report):
            for b in found:
                verdicts = [judge_sum(b)] if compare == "sum" else judge_shares(b)
                for status, said in verdicts:
                    entry = {"text": f"“{sentence}”：{said}", "location": loc,
                             "value": _value(b, compare)}
                    {"pass": passed, "fail": failed, "ambiguous": unsure}[status].append(entry)
        what = "总数与分项" if compare == "sum" else "带占比的分项"
        return verdict(failed, passed, unsure, f"正文中没有可核对的{what}", checked=len(failed) + len(passed))

    return run


def _value(b: Breakdown, compare: str) -> dict:
    value = {"total": show(b.total.value), "unit": b.total.unit,
             "parts": [{"label": p.label, "value": show(p.figure.value),
                        **({"share": show(p.share[0])} if p.share else {})} for p in b.parts]}
    if compare == "sum":
        value |= {"sum": show(b.sum), "difference": show(b.sum - b.total.value)}
    return value

"""A statement on a topic within a scope: a sentence that says something about it, negation-aware.

「未收取任何政府信息公开费用」 states the fee situation (negatively); it counts as a fee
statement unless the rule asks for an affirmative one. With expect: absent, a matching
sentence is a failure (e.g. a 2019+ report that still charges 检索、复制、邮寄 fees).

A topic word inside a longer phrase that means something else is not the topic: `unless`
lists those phrases (行政事业性收费, 收费标准, 减免税 for fees), and a topic match that one of
them overlaps is skipped; the same sentence may still state the topic elsewhere
("公开收费标准，全年未收取任何费用").
"""

from __future__ import annotations

import re

from gkcheck.checks.scope import (
    SCOPE_SCHEMA,
    Scope,
    compile_patterns,
    location,
    readings_to_search,
    topic_match,
    unless_patterns,
)
from gkcheck.result import Outcome
from gkcheck.util.needles import unwrapped

# Regexes: a zero count is a negation only as a whole number ("0件", not "120件"); words that
# begin with a negation character without negating are not ones: 未来 (future), 未成年人,
# 无偿 (free of charge), 无论 (whatever), 无障碍 (accessible), 无纸化, 零距离, 零跑腿.
NEGATIONS = ["未(?!来|成年|知)", "没有", "无(?!偿|论|障碍|纸化|线)", "不存在", "暂无", "尚无", "不收取", "不收费",
             "免收", "零(?!距离|跑腿|售|星|时差)", r"(?<![\d.])0\s*(件|元|次|起)"]

PARAMS = {
    "type": "object",
    "required": ["topics"],
    "additionalProperties": False,
    "properties": {
        "scope": SCOPE_SCHEMA,
        "topics": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "patterns"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "patterns": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "unless": {"type": "array", "items": {"type": "string"},
                               "description": "phrases containing the topic word that mean something else "
                                              "(\"@name\": a list of senses.yaml); "
                                              "a topic match they overlap does not count"},
                    "and": {"type": "array", "items": {"type": "string"},
                            "description": "the sentence must also match one of these"},
                    "polarity": {"enum": ["any", "affirmative", "negative"]},
                },
            },
        },
        "exclude": {"type": "array", "items": {"type": "string"},
                    "description": "sentences matching these never count (plans, next year)"},
        "negations": {"type": "array", "items": {"type": "string"},
                      "description": "regexes, in addition to NEGATIONS"},
        "expect": {"enum": ["present", "absent"]},
    },
}


def polarity(sentence: str, match: re.Match, negations) -> str:
    """negative when a negation stands in the same clause as the topic."""
    start = max(sentence.rfind(c, 0, match.start()) for c in ",，、") + 1
    ends = [e for e in (sentence.find(c, match.end()) for c in ",，") if e >= 0]
    clause = sentence[start: min(ends) if ends else len(sentence)]
    return "negative" if negations.search(clause) else "affirmative"


def compile(params: dict):
    scope = Scope(params.get("scope"))
    exclude = compile_patterns(params.get("exclude", []))
    negations = compile_patterns(NEGATIONS + params.get("negations", []))
    expect = params.get("expect", "present")
    topics = [(t["name"], compile_patterns(t["patterns"]), unless_patterns(t.get("unless", [])),
               compile_patterns(t.get("and", [])), t.get("polarity", "any")) for t in params["topics"]]
    topics = [(name, pattern, unwrapped(pattern), *rest) for name, pattern, *rest in topics]

    def run(report) -> Outcome:
        # each topic is taken from the first sentence that states it; a name shared by topics,
        # from the first sentence that states any of them (the earlier topic in a tie)
        first: dict[str, tuple[int, int, dict]] = {}
        for order, (name, pattern, regex, unless, also, wanted) in enumerate(topics):
            for i, sentence, heading_end in readings_to_search(pattern, scope, report):
                if name in first and i >= first[name][0]:
                    break
                text = sentence.text
                if exclude and exclude.search(text):
                    continue
                m = topic_match(text, regex, unless)
                if not m or (heading_end is not None and m.start() >= heading_end):
                    continue
                if also and not also.search(text):
                    continue
                pol = polarity(text, m, negations)
                if wanted != "any" and pol != wanted:
                    continue
                first[name] = (i, order, {"text": text, "topic": name, "polarity": pol,
                                          "location": location(sentence)})
                break
        found = {name: entry for name, (_, _, entry) in sorted(first.items(), key=lambda kv: kv[1][:2])}
        evidence = list(found.values())
        missing = [name for name, *_ in topics if name not in found]
        first_loc = evidence[0]["location"] if evidence else None
        values = {"found": "、".join(found), "missing": "、".join(missing),
                  "quote": evidence[0]["text"] if evidence else ""}
        if expect == "absent":
            return Outcome.failed(evidence, first_loc, **values) if evidence else Outcome.passed(**values)
        if missing:
            return Outcome.failed(evidence, first_loc, **values)
        return Outcome.passed(evidence, first_loc, **values)

    return run

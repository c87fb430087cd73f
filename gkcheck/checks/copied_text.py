"""Narrative repeated from the previous year's report (report.previous).

Sentences of at least `min_chars` characters are compared after normalising digits and
years (2021年 and 二〇二一年 both become #年), whitespace and punctuation; the share is the
repeated sentences' length over the length of all compared sentences. Headings are not
compared (the national format prescribes them); nor are sentences matching `ignore`
(prescribed wording such as the report's opening formula). Wrapped lines are joined first
(see sentences.py), so PDF line breaks do not cut sentences into fragments.
"""

from __future__ import annotations

import unicodedata

from gkcheck.checks.cross_year import previous_year_report
from gkcheck.checks.scope import SCOPE_SCHEMA, Scope, compile_patterns, joined_sentences
from gkcheck.result import Outcome
from gkcheck.util import regex

PARAMS = {
    "type": "object",
    "required": ["threshold"],
    "additionalProperties": False,
    "properties": {
        "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                      "description": "fail when the repeated share reaches this (0–1)"},
        "min_chars": {"type": "integer", "minimum": 1, "description": "shortest sentence compared (default 15)"},
        "min_sentences": {"type": "integer", "minimum": 1,
                          "description": "compare only when this many sentences qualify (default 3)"},
        "scope": SCOPE_SCHEMA,
        "ignore": {"type": "array", "items": {"type": "string"}, "description": "regex: sentences never compared"},
        "examples": {"type": "integer", "minimum": 1, "description": "passages shown (default 5)"},
    },
}

_DIGITS = regex.compile(r"[0-9]+(?:[.,][0-9]+)*")
_CN_YEAR = regex.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_NOISE = regex.compile(r"[\s\W_]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _CN_YEAR.sub("#", text)
    text = _DIGITS.sub("#", text)
    return _NOISE.sub("", text)


def compile(params: dict):
    threshold = params["threshold"]
    min_chars = params.get("min_chars", 15)
    min_sentences = params.get("min_sentences", 3)
    scope = Scope(params.get("scope"))
    ignore = compile_patterns(params.get("ignore", []))
    shown = params.get("examples", 5)

    def sentences(report):
        for _, text, loc in joined_sentences(scope.sections(report)[0], report):
            if ignore and ignore.search(text):
                continue
            key = normalise(text)
            if len(key) >= min_chars:
                yield (text, loc), key

    def run(report) -> Outcome:
        previous, why = previous_year_report(report)
        if previous is None:
            return Outcome.not_applicable(why)
        before = {key for _, key in sentences(previous)}
        current = list(sentences(report))
        if len(current) < min_sentences:
            return Outcome.not_applicable(f"可比较的正文句子不足 {min_sentences} 句")
        total = sum(len(k) for _, k in current)
        repeated = [(s, k) for s, k in current if k in before]
        share = sum(len(k) for _, k in repeated) / total
        pct = f"{share:.0%}"
        evidence = [{"text": text, "location": loc} for (text, loc), _ in repeated[:shown]]
        evidence.append({"text": f"{len(repeated)}/{len(current)} 句与 {previous.year} 年度报告相同"
                                 f"（数字、年份不计），按字数占 {pct}", "value": round(share, 4)})
        values = {"share": pct, "repeated": len(repeated), "sentences": len(current),
                  "previous_year": previous.year, "threshold": f"{threshold:.0%}",
                  "quote": repeated[0][0][0] if repeated else ""}
        if share >= threshold:
            return Outcome.failed(evidence, evidence[0].get("location"), **values)
        return Outcome.passed(evidence, None, **values)

    return run

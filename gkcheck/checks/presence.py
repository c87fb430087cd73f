"""Presence of a section (by heading) or of a topic (by words) in the report."""

from __future__ import annotations

from gkcheck.checks.scope import SCOPE_SCHEMA, Scope, compile_patterns, location
from gkcheck.result import Outcome

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["sections"]}, {"required": ["topics"]}],
    "properties": {
        "sections": {"type": "array", "minItems": 1, "items": {"type": "string"},
                     "description": "regex on section headings"},
        "topics": {"type": "array", "minItems": 1, "items": {"type": "string"},
                   "description": "regex on text within the scope"},
        "scope": SCOPE_SCHEMA,
        "name": {"type": "string", "description": "what is looked for, for the message"},
    },
}


def compile(params: dict):
    headings = compile_patterns(params.get("sections", []))
    topics = compile_patterns(params.get("topics", []))
    scope = Scope(params.get("scope"))
    name = params.get("name", "")

    def run(report) -> Outcome:
        if headings:
            for sec in report.sections:
                if headings.search(sec.heading):
                    loc = {"section": sec.path, **({"line": sec.line} if sec.line else {})}
                    return Outcome.passed([{"text": sec.path, "location": loc}], loc, name=name, quote=sec.path)
        if topics:
            for sentence in scope.sentences(report):
                if topics.search(sentence.text):
                    loc = location(sentence)
                    return Outcome.passed([{"text": sentence.text, "location": loc}], loc,
                                          name=name, quote=sentence.text)
        return Outcome.failed(name=name, quote="")

    return run

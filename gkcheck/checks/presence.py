"""Presence of a section (by heading), a topic (by words) or a standard table in the report."""

from __future__ import annotations

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

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["sections"]}, {"required": ["topics"]}, {"required": ["tables"]}],
    "properties": {
        "sections": {"type": "array", "minItems": 1, "items": {"type": "string"},
                     "description": "regex on section headings"},
        "topics": {"type": "array", "minItems": 1, "items": {"type": "string"},
                   "description": "regex on text within the scope"},
        "unless": {"type": "array", "items": {"type": "string"},
                   "description": "phrases containing a topic word that mean something else (see statement)"},
        "tables": {"type": "array", "minItems": 1, "items": {"enum": ["T1", "T2", "T3"]},
                   "description": "a standard table with cells counts as the content (its statistics)"},
        "scope": SCOPE_SCHEMA,
        "name": {"type": "string", "description": "what is looked for, for the message"},
    },
}


def compile(params: dict):
    headings = compile_patterns(params.get("sections", []))
    topics = compile_patterns(params.get("topics", []))
    regex = unwrapped(topics)  # for the sentences readings_to_search gives: they hold its needles
    unless = unless_patterns(params.get("unless", []))
    scope = Scope(params.get("scope"))
    name = params.get("name", "")
    tables = params.get("tables", [])

    def run(report) -> Outcome:
        for table in tables:
            from gkcheck.checks.grid import grid_of  # only rules that name tables need it

            grid = grid_of(report, table)
            if grid is not None and grid.cells:
                loc = grid.table.get("location") or {"section": table}
                return Outcome.passed([{"text": f"{table}（{len(grid.cells)} 个单元格）", "location": loc}],
                                      loc, name=name, quote=table)
        if headings:
            for sec in report.sections:
                if headings.search(sec.heading):
                    loc = {"section": sec.path, **({"line": sec.line} if sec.line else {})}
                    return Outcome.passed([{"text": sec.path, "location": loc}], loc, name=name, quote=sec.path)
        if topics:
            for _, sentence, heading_end in readings_to_search(topics, scope, report):
                m = topic_match(sentence.text, regex, unless)
                if m and (heading_end is None or m.start() < heading_end):
                    loc = location(sentence)
                    return Outcome.passed([{"text": sentence.text, "location": loc}], loc,
                                          name=name, quote=sentence.text)
        return Outcome.failed(name=name, quote="")

    return run

"""The check kinds: one small module each, registered here by name.

A kind module defines PARAMS (the JSON Schema of its parameters, checked when rules load)
and compile(params) -> run(report) -> Outcome. Compilation happens once per rule set.
Helpers shared by several kinds live in scope.py and tablecells.py (not kinds).
"""

from __future__ import annotations

from gkcheck.checks import (
    attachments,
    cell_values,
    conditional,
    consistency,
    copied_text,
    cross_year,
    deadline,
    expression,
    period,
    presence,
    section_order,
    statement,
    table_present,
    table_sum,
    text_figures,
)

KINDS = {
    "presence": presence,
    "statement": statement,
    "period": period,
    "deadline": deadline,
    "consistency": consistency,
    "attachments": attachments,
    "expression": expression,
    "table_sum": table_sum,
    "cell_values": cell_values,
    "table_present": table_present,
    "section_order": section_order,
    "cross_year": cross_year,
    "copied_text": copied_text,
    "text_figures": text_figures,
    "conditional": conditional,
}


def register(name: str, module) -> None:
    """Add a kind (used by extensions and tests); the module must follow the same contract."""
    KINDS[name] = module

"""The check kinds: one small module each, registered here by name.

A kind module defines PARAMS (the JSON Schema of its parameters, checked when rules load)
and compile(params) -> run(report) -> Outcome. Compilation happens once per rule set.
"""

from __future__ import annotations

from gkcheck.checks import (
    attachments,
    consistency,
    deadline,
    expression,
    period,
    presence,
    statement,
)

KINDS = {
    "presence": presence,
    "statement": statement,
    "period": period,
    "deadline": deadline,
    "consistency": consistency,
    "attachments": attachments,
    "expression": expression,
}


def register(name: str, module) -> None:
    """Add a kind (used by extensions and tests); the module must follow the same contract."""
    KINDS[name] = module

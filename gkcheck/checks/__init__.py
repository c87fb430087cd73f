"""The check kinds: one small module each, registered here by name.

A kind module defines PARAMS (the JSON Schema of its parameters, checked when rules load)
and compile(params) -> run(report) -> Outcome. Compilation happens once per rule set.
Helpers shared by several kinds live in scope.py, tablecells.py, grid.py and relation.py (not kinds).
"""

from __future__ import annotations

from importlib import import_module

BUILTIN = ("presence", "statement", "period", "deadline", "consistency", "attachments", "expression",
            "table_sum", "cell_values", "table_present", "section_order", "cross_year", "copied_text",
            "text_figures", "conditional", "prose_parts", "prose_rate")


class _Registry(dict):
    """name → module. Built-in kinds are imported when a rule first needs them: a cold
    single check should not import the table kinds to audit a 2016 narrative report."""

    def __getitem__(self, name):
        value = super().__getitem__(name)
        if isinstance(value, str):
            value = import_module(value)
            super().__setitem__(name, value)
        return value


KINDS = _Registry({name: f"gkcheck.checks.{name}" for name in BUILTIN})


def register(name: str, module) -> None:
    """Add a kind (used by extensions and tests); the module must follow the same contract."""
    KINDS[name] = module

"""Every cell of a table (or of some rows / columns) holds a non-negative number, an
integer where the table counts things.

Blank and dash cells are accepted (they print zero or "none"); words where a number
belongs, negative numbers (outside `negative_cols`) and fractions (where `integer`) fail.
An ambiguous cell (a flattened split that is not unique) is listed, never failed.
"""

from __future__ import annotations

from gkcheck.checks.grid import grid_of
from gkcheck.checks.tablecells import (
    TABLES,
    cell_location,
    col_label,
    row_label,
    show,
    usable_table,
)
from gkcheck.report.model import number
from gkcheck.result import Outcome

PARAMS = {
    "type": "object",
    "required": ["table"],
    "additionalProperties": False,
    "properties": {
        "table": {"enum": list(TABLES)},
        "rows": {"type": "array", "items": {"type": "string"}, "description": "only these rows (default: all)"},
        "cols": {"type": "array", "items": {"type": "string"}, "description": "only these columns (default: all)"},
        "integer": {"type": "boolean", "description": "counts: whole numbers only (default true)"},
        "negative_cols": {"type": "array", "items": {"type": "string"},
                          "description": "columns that may be negative (2019 T1 本年增/减)"},
        "fraction_cols": {"type": "array", "items": {"type": "string"},
                          "description": "columns that may hold fractions even when integer is true"},
        "blank": {"enum": ["allow", "fail"], "description": "blank / dash cells (default allow)"},
    },
}


def compile(params: dict):
    name = params["table"]
    rows, cols = params.get("rows"), params.get("cols")
    integer = params.get("integer", True)
    negative = set(params.get("negative_cols", []))
    fractions = set(params.get("fraction_cols", []))
    blank_ok = params.get("blank", "allow") == "allow"

    def problem(cell: dict) -> str | None:
        kind = cell.get("kind")
        printed = (cell.get("printed") or "").strip()
        if kind in ("blank", "dash"):
            return None if blank_ok else f"空白（{printed or '无内容'}）"
        if kind == "text":
            return f"“{printed}”不是数字"
        value = number(cell.get("value"))
        if value is None:
            return "没有数值"
        if value < 0 and cell["col"] not in negative:
            return f"{show(value)} 为负数"
        if integer and cell["col"] not in fractions and value != value.to_integral_value():
            return f"{show(value)} 不是整数"
        return None

    def _where(cell: dict) -> str:
        return f"{row_label(name, cell['row'], cell)} / {col_label(name, cell['col'], cell)}"

    def wanted(cell: dict) -> bool:
        return (rows is None or cell["row"] in rows) and (cols is None or cell["col"] in cols)

    def run(report) -> Outcome:
        table, why = usable_table(report, name)
        if table is None:
            return Outcome.not_applicable(why)
        everything = rows is None and cols is None
        chosen = len(table["cells"]) if everything else sum(map(wanted, table["cells"]))
        if not chosen:
            return Outcome.not_applicable("表中没有所指定的行或列")
        bad, unsure = [], []
        # a count (a non-negative integer) is fine under every option: only the others are read
        for cell in grid_of(report, name).other:
            if not everything and not wanted(cell):
                continue
            if cell.get("kind") == "ambiguous":
                unsure.append({"text": f"无法判断：{_where(cell)} “{cell.get('printed') or ''}”拆分不唯一",
                               "location": cell_location(table, cell)})
                continue
            why = problem(cell)
            if why:
                bad.append({"text": f"{_where(cell)}：{why}", "value": cell.get("printed"),
                            "location": cell_location(table, cell)})
        values = {"count": len(bad), "checked": chosen - len(unsure),
                  "first": bad[0]["text"] if bad else "", "cells": "；".join(b["text"] for b in bad[:5])}
        if bad:
            return Outcome.failed(bad + unsure, bad[0]["location"], **values)
        if len(unsure) == chosen:
            return Outcome.not_applicable("所有单元格的拆分均不唯一，无法判断", **values)
        return Outcome.passed(unsure, cell_location(table, None), **values)

    return run

"""A safe expression over the report's facts and table cells (see gkcheck.checks.expr).

Names: the facts (year, published, signed, period_start, period_end, period_year,
title_year, agency_kind, agency_level, province) and the tables T1, T2, T3 as
T2['received']['total']. A missing value makes the rule not applicable.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from gkcheck.result import Outcome

NAMES = {"year", "published", "signed", "period_start", "period_end", "period_year", "title_year",
         "agency_kind", "agency_level", "province", "agency_name", "T1", "T2", "T3"}

PARAMS = {
    "type": "object",
    "required": ["expr"],
    "additionalProperties": False,
    "properties": {
        "expr": {"type": "string", "minLength": 1, "description": "must be true for the rule to pass"},
    },
}


class _Table(Mapping):
    """row → {col → value}, read from the report's Grid on demand (an expression names a
    cell or two; converting the whole table would cost more than the check). A missing row
    reads as an empty mapping, so a missing cell is "no item", as with a dict."""

    def __init__(self, grid):
        self._grid = grid

    def __getitem__(self, row):
        return _Row(self._grid, row) if self._grid is not None and row in self._grid.rows else {}

    def __iter__(self):
        return iter(self._grid.rows if self._grid is not None else ())

    def __len__(self):
        return len(self._grid.rows) if self._grid is not None else 0


class _Row(Mapping):
    def __init__(self, grid, row):
        self._cells, self._row = grid.cells, row

    def __getitem__(self, col):
        from gkcheck.report.model import number

        return number(self._cells[(self._row, col)].get("value"))

    def __iter__(self):
        return (col for row, col in self._cells if row == self._row)

    def __len__(self):
        return sum(1 for _ in self)


def environment(report) -> dict:
    """The names an expression may use; built once per report (expressions only read it)."""
    cache = report._cache
    if "expr_env" not in cache:
        from gkcheck.checks.grid import grid_of

        env = {k: (Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v)
               for k, v in report.facts().items()}
        for name in ("T1", "T2", "T3"):
            env[name] = _Table(grid_of(report, name))
        cache["expr_env"] = env
    return cache["expr_env"]


def compile(params: dict):
    from gkcheck.checks.expr import ExprError, ExprEvalError, MissingValue, compile_expr
    from gkcheck.errors import ParamError

    try:
        expr = compile_expr(params["expr"])
    except ExprError as exc:
        raise ParamError("expr", f"表达式不安全或有误，{exc}") from None
    unknown = sorted(expr.names - NAMES)
    if unknown:
        col = params["expr"].find(unknown[0]) + 1
        raise ParamError("expr", f"column {col}: unknown name '{unknown[0]}' (known: {', '.join(sorted(NAMES))})")

    def run(report) -> Outcome:
        env = environment(report)
        try:
            value = expr.evaluate(env)
        except MissingValue as exc:
            return Outcome.not_applicable(f"表达式所需数据缺失：{exc}")
        except ExprEvalError as exc:
            return Outcome.not_applicable(f"表达式无法计算：{exc}")
        shown = {n: env.get(n) for n in sorted(expr.names) if n not in ("T1", "T2", "T3")}
        evidence = [{"text": params["expr"], "value": {k: str(v) for k, v in shown.items()}}]
        return (Outcome.passed if value else Outcome.failed)(evidence, None, expr=params["expr"])

    return run

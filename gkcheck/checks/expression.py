"""A safe expression over the report's facts and table cells (see gkcheck.expr).

Names: the facts (year, published, signed, period_start, period_end, period_year,
title_year, agency_kind, agency_level, province) and the tables T1, T2, T3 as
T2['received']['total']. A missing value makes the rule not applicable.
"""

from __future__ import annotations

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


class _Table(dict):
    """row → {col → value}; a missing row reads as an empty mapping so that the value is None."""

    def __missing__(self, key):
        return {}


def environment(report) -> dict:
    env = {k: (Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v)
           for k, v in report.facts().items()}
    from gkcheck.report.model import number

    for name in ("T1", "T2", "T3"):
        table = _Table()
        for (row, col), cell in report.cells(name).items():
            table.setdefault(row, {})[col] = number(cell.get("value"))
        env[name] = table
    return env


def compile(params: dict):
    from gkcheck.errors import ParamError
    from gkcheck.expr import ExprError, ExprEvalError, MissingValue, compile_expr

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

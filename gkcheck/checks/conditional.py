"""Another check, run only when a condition on the report holds.

    kind: conditional
    when: "T2['other.unpaid_fee']['total'] > 0"     # an expression (see expression kind)
    then: {kind: statement, topics: [...]}           # the check that must pass then

A false condition, or one that needs a value the report lacks, makes the rule not
applicable, with the reason. The nested check may be any of NESTED.
"""

from __future__ import annotations

from gkcheck.checks import cell_values, expression, presence, statement, table_sum
from gkcheck.result import NOT_APPLICABLE, Outcome

NESTED = {"statement": statement, "presence": presence, "expression": expression,
          "table_sum": table_sum, "cell_values": cell_values}


def _with_kind(name: str, module) -> dict:
    schema = {k: v for k, v in module.PARAMS.items() if k not in ("properties", "required")}
    schema["properties"] = {"kind": {"const": name}, **module.PARAMS.get("properties", {})}
    schema["required"] = ["kind", *module.PARAMS.get("required", [])]
    return schema


PARAMS = {
    "type": "object",
    "required": ["when", "then"],
    "additionalProperties": False,
    "properties": {
        "when": {"type": "string", "minLength": 1, "description": "expression; the check runs when it is true"},
        "then": {"oneOf": [_with_kind(n, m) for n, m in NESTED.items()]},
    },
}


def compile(params: dict):
    from gkcheck.checks.expr import ExprError, ExprEvalError, MissingValue, compile_expr
    from gkcheck.errors import ParamError

    try:
        condition = compile_expr(params["when"])
    except ExprError as exc:
        raise ParamError("when", f"表达式不安全或有误，{exc}") from None
    unknown = sorted(condition.names - expression.NAMES)
    if unknown:
        raise ParamError("when", f"unknown name '{unknown[0]}' (known: {', '.join(sorted(expression.NAMES))})")
    nested = {k: v for k, v in params["then"].items() if k != "kind"}
    inner = NESTED[params["then"]["kind"]].compile(nested)

    def run(report) -> Outcome:
        try:
            holds = condition.evaluate(expression.environment(report))
        except MissingValue as exc:
            return Outcome.not_applicable(f"条件所需数据缺失：{exc}")
        except ExprEvalError as exc:
            return Outcome.not_applicable(f"条件无法计算：{exc}")
        if not holds:
            return Outcome.not_applicable(f"条件不成立：{params['when']}")
        outcome = inner(report)
        if outcome.status != NOT_APPLICABLE:
            outcome.evidence = [{"text": f"条件成立：{params['when']}"}, *outcome.evidence]
        return outcome

    return run

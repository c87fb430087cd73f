"""A linear relation between table cells, declared as data: left = right for each column
(or each row) of a table.

    kind: table_sum
    table: T2
    for_each: col                       # one instance per column; operands are row keys
    left: [received, carried_over]
    right: [total_results, carried_forward]
    blank: zero                         # blank / dash cells read as 0, and findings say so
    formats: {"2021": {right: [...]}}   # operands that differ by table format

Exact Decimal arithmetic. An instance with an ambiguous (flattened, not uniquely split),
textual or missing operand is not checkable: it is listed, never failed. A missing or empty
table makes the rule not applicable (a presence rule reports it once).
"""

from __future__ import annotations

from gkcheck.checks.grid import grid_of
from gkcheck.checks.relation import Relation, relation_outcome, relation_schema
from gkcheck.checks.tablecells import usable_table
from gkcheck.result import Outcome

PARAMS = relation_schema("left = right in one table", allow_previous=False)


def compile(params: dict):
    relation = Relation(params)
    what = params.get("name", "勾稽关系")

    def run(report) -> Outcome:
        table, why = usable_table(report, relation.table)
        if table is None:
            return Outcome.not_applicable(why)
        grid = grid_of(report, relation.table)
        why = relation.applicable(grid)
        if why:
            return Outcome.not_applicable(why)
        return relation_outcome(relation, relation.evaluate(grid), table, what)

    return run

"""A relation between this report's table and the previous year's (report.previous).

    kind: cross_year
    table: T2
    for_each: col
    left: [carried_over]                 # this year
    right: ["prev:carried_forward"]      # prev: = the previous year's report
    # T1 stock: left: [in_force], right: ["prev:in_force", issued, "-repealed"]

Without a previous report (--previous) the rule is not applicable; so it is when the
previous report is not of year Y−1 or lacks the table.
"""

from __future__ import annotations

from gkcheck.checks.grid import grid_of
from gkcheck.checks.relation import Relation, relation_outcome, relation_schema
from gkcheck.checks.tablecells import table_title, usable_table
from gkcheck.result import Outcome

PARAMS = relation_schema("left = right across this and the previous year's report", allow_previous=True)

NO_PREVIOUS = "未提供上一年度报告（可用 --previous 指定）"


def previous_year_report(report):
    """(the previous year's Report, None) or (None, why it cannot be compared)."""
    previous = report.previous
    if previous is None:
        return None, NO_PREVIOUS
    if previous.year != report.year - 1:
        return None, f"所给上一年度报告是 {previous.year} 年度，不是 {report.year - 1} 年度"
    return previous, None


def compile(params: dict):
    relation = Relation(params)
    if not relation.uses_previous:
        raise ValueError("cross_year: no operand refers to the previous report (prefix prev:)")
    what = params.get("name", "跨年度关系")

    def run(report) -> Outcome:
        previous, why = previous_year_report(report)
        if previous is None:
            return Outcome.not_applicable(why)
        table, why = usable_table(report, relation.table)
        if table is None:
            return Outcome.not_applicable(why)
        prev_table, why = usable_table(previous, relation.table)
        if prev_table is None:
            return Outcome.not_applicable(f"上一年度报告：{why}")
        grid = grid_of(report, relation.table)
        why = relation.applicable(grid)
        if why:
            return Outcome.not_applicable(why)
        outcome = relation_outcome(relation, relation.evaluate(grid, grid_of(previous, relation.table)), table, what)
        if outcome.status == "not_applicable" and not outcome.reason:
            outcome.reason = f"{table_title(relation.table)}无可核对的{what}"
        return outcome

    return run

"""Property tests of the table arithmetic rules (every table_sum rule of the built-in packs).

A generated consistent table (2019 or 2021 format, zeros printed as blanks or not, the
local 8-column variant or not, the format label sometimes unknown) never fails a relation;
changing one cell by a non-zero amount fails exactly the relation instances that contain
that cell, as computed here from the rules' own parameters, and nothing else (an instance
whose other side is entirely blank reads as not filled in and is listed, not failed).
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcheck.engine import run_rule
from gkcheck.report.model import Report

BASE_COLS = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org"]
LEGAL = BASE_COLS[1:]
COMMON_RESULTS = [
    "granted", "partial",
    "refused.state_secret", "refused.law_prohibited", "refused.three_safety", "refused.third_party",
    "refused.internal_affairs", "refused.process_info", "refused.enforcement_file", "refused.query_matter",
    "unable.not_held", "unable.needs_creation", "unable.unclear",
    "not_processed.petition", "not_processed.repeat", "not_processed.publication", "not_processed.mass_repeat",
    "not_processed.confirm",
]
RESULTS = {"2019": COMMON_RESULTS + ["other"],
           "2021": COMMON_RESULTS + ["other.no_correction", "other.unpaid_fee", "other.other"]}
T3_ROWS = ["review", "litigation_direct", "litigation_after_review"]
T3_PARTS = ["upheld", "corrected", "other", "pending"]

counts = st.integers(min_value=0, max_value=30) | st.just(0)


@st.composite
def reports(draw):
    fmt = draw(st.sampled_from(["2019", "2021"]))
    label = draw(st.sampled_from([fmt, fmt, "unknown"]))
    subtotal = draw(st.booleans())
    blanks = draw(st.sampled_from(["none", "all", "some"]))
    results = RESULTS[fmt]

    t2: dict[str, dict[str, int]] = {}
    for row in results:
        t2[row] = {c: draw(counts) for c in BASE_COLS}
    t2["carried_forward"] = {c: draw(st.integers(0, 5)) for c in BASE_COLS}
    t2["total_results"] = {c: sum(t2[r][c] for r in results) for c in BASE_COLS}
    t2["carried_over"] = {}
    t2["received"] = {}
    for c in BASE_COLS:
        out = t2["total_results"][c] + t2["carried_forward"][c]
        over = min(draw(st.integers(0, 5)), out)
        t2["carried_over"][c] = over
        t2["received"][c] = out - over
    for row, vals in t2.items():
        vals["total"] = sum(vals[c] for c in BASE_COLS)
        if subtotal:
            vals["subtotal"] = sum(vals[c] for c in LEGAL)
    t3 = {}
    for row in T3_ROWS:
        vals = {c: draw(st.integers(0, 3)) for c in T3_PARTS}
        vals["total"] = sum(vals.values())
        t3[row] = vals

    def cells(table):
        out = []
        for row, vals in table.items():
            for col, v in vals.items():
                blank = v == 0 and (blanks == "all" or (blanks == "some" and draw(st.booleans())))
                out.append({"row": row, "col": col, "kind": "blank", "printed": ""} if blank
                           else {"row": row, "col": col, "kind": "number", "value": v, "printed": str(v)})
        return out

    columns = BASE_COLS + (["subtotal"] if subtotal else []) + ["total"]
    data = {
        "year": 2020 if fmt == "2019" else 2022,
        "agency": {"name": "测试局", "kind": "department", "level": "county"},
        "tables": {"T2": {"format": label, "columns": columns, "cells": cells(t2)},
                   "T3": {"format": "unknown", "cells": cells(t3)}},
    }
    return fmt, data


@pytest.fixture(scope="module")
def relation_rules(ruleset):
    rules = [r for r in ruleset.rules if r.kind == "table_sum"]
    assert {"t2.flow_identity", "t2.row_total", "t2.subtotal", "t2.result_sum", "t3.block_total"} <= {r.id for r in rules}
    return rules


def sides(params: dict, fmt: str) -> tuple[list[str], list[str]]:
    variant = (params.get("formats") or {}).get(fmt, {})
    return ([t.lstrip("-") for t in variant.get("left", params["left"])],
            [t.lstrip("-") for t in variant.get("right", params["right"])])


def instances_with(rule, table: dict, shape: str, row: str, col: str) -> set[tuple[str, str]]:
    """The instances of a relation rule that fail once cell (row, col) changed, from its parameters:
    those that contain the cell, except where the other side is all blank (an unfilled side
    is not checkable, see the `unfilled` parameter)."""
    p = rule.params
    by_col = p["for_each"] == "col"
    axis_key, operand = (col, row) if by_col else (row, col)
    present = {c["col" if by_col else "row"] for c in table["cells"]}
    other_present = {c["row" if by_col else "col"] for c in table["cells"]}
    if any(k not in other_present for k in p.get("only_if_present", [])):
        return set()
    keys = p.get("keys") or present
    left, right = sides(p, shape)
    if axis_key not in keys or axis_key not in present or operand not in left + right:
        return set()
    other = right if operand in left else left
    kinds = {(c["row"], c["col"]): c["kind"] for c in table["cells"]}
    other_kinds = [kinds[(k, axis_key) if by_col else (axis_key, k)] for k in other]
    if p.get("unfilled", "not_checkable") == "not_checkable" and all(k in ("blank", "dash") for k in other_kinds):
        return set()
    return {(rule.id, axis_key)}


def failures(rules, report) -> set[tuple[str, str]]:
    out = set()
    for rule in rules:
        result = run_rule(rule, report)
        if result["status"] == "fail":
            for ev in result["evidence"]:
                if isinstance(ev.get("value"), dict) and "instance" in ev["value"]:
                    out.add((rule.id, ev["value"]["instance"]))
            assert any(rid == rule.id for rid, _ in out), result
    return out


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(reports())
def test_consistent_tables_pass_every_relation(relation_rules, ruleset, generated):
    _, data = generated
    report = Report(data)
    assert failures(relation_rules, report) == set()
    for rid in ("t2.nonneg_int", "t3.nonneg_int"):
        assert run_rule(ruleset.get(rid), report)["status"] == "pass"
    statuses = {r.id: run_rule(r, report)["status"] for r in relation_rules}
    assert statuses["t2.flow_identity"] == statuses["t2.result_sum"] == statuses["t3.block_total"] == "pass"
    has_subtotal = "subtotal" in data["tables"]["T2"]["columns"]
    assert statuses["t2.subtotal"] == ("pass" if has_subtotal else "not_applicable")


@SETTINGS
@given(reports(), st.data())
def test_one_changed_cell_fails_exactly_its_instances(relation_rules, generated, data):
    fmt, report_data = generated
    changed = copy.deepcopy(report_data)
    name = data.draw(st.sampled_from(["T2", "T3"]), label="table")
    table = changed["tables"][name]
    i = data.draw(st.integers(0, len(table["cells"]) - 1), label="cell")
    delta = data.draw(st.integers(-5, 5).filter(bool), label="delta")
    cell = table["cells"][i]
    old = cell.get("value") or 0
    table["cells"][i] = {**cell, "kind": "number", "value": old + delta, "printed": str(old + delta)}

    shape = fmt if name == "T2" else "unknown"
    expected = set()
    for rule in relation_rules:
        if rule.params["table"] == name:
            expected |= instances_with(rule, table, shape, cell["row"], cell["col"])
    assert failures(relation_rules, Report(changed)) == expected
    if report_data["tables"][name]["cells"][i]["kind"] == "number" and blanks_free(report_data):
        assert expected, "every cell of a standard table is in at least one relation"


def blanks_free(data) -> bool:
    return all(c["kind"] == "number" for t in data["tables"].values() for c in t["cells"])


# --- the fast path of Relation.evaluate says exactly what the slow path says ------------------
ROWS, COLS = ["a", "b", "c", "d"], ["x", "y", "z"]
CELL_FORMS = st.sampled_from(["number", "number", "number", "blank", "dash", "text", "ambiguous", "novalue",
                              "absent", "split"])
# A number from a flattened split, and what chose it (see gkcheck.tables.resolve).
SPLITS = st.sampled_from([{"basis": "digits", "used": []}, {"basis": "row", "used": ["row"]},
                          {"basis": "table", "used": ["row", "col"]}, {"basis": "text", "used": []},
                          {"basis": "text", "used": ["row"]}])


@st.composite
def relation_cases(draw):
    def table():
        cells = []
        for row in ROWS:
            for col in COLS:
                form = draw(CELL_FORMS)
                if form == "absent":
                    continue
                cell = {"row": row, "col": col, "kind": "number" if form in ("novalue", "split") else form,
                        "printed": draw(st.sampled_from(["", "—", "12", "不详"]))}
                if form in ("number", "split"):
                    cell["value"] = draw(st.integers(-3, 6) | st.sampled_from([0.5, 2.25]))
                if form == "split":
                    cell["split"] = {"run": "123", **draw(SPLITS)}
                cells.append(cell)
        return {"cells": cells}

    for_each = draw(st.sampled_from(["row", "col"]))
    operands = COLS if for_each == "row" else ROWS
    side = st.lists(st.tuples(st.sampled_from(["", "-"]), st.sampled_from(operands)).map("".join),
                    min_size=1, max_size=3)
    params = {"table": "T2", "for_each": for_each, "left": draw(side), "right": draw(side),
              "blank": draw(st.sampled_from(["zero", "missing"])),
              "unfilled": draw(st.sampled_from(["not_checkable", "zero"])),
              "optional": draw(st.lists(st.sampled_from(operands), max_size=3)),
              "tolerance": draw(st.sampled_from([0, 0.5]))}
    if draw(st.booleans()):
        params["left"] = params["left"] + ["prev:" + draw(st.sampled_from(operands))]
    return params, table(), table()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relation_cases())
def test_fast_path_agrees_with_the_slow_path(case):
    from gkcheck.checks.grid import Grid
    from gkcheck.checks.relation import Relation

    params, table, previous = case

    def outcome(relation):
        result = relation.evaluate(Grid(table), Grid(previous))
        return (result.checked, result.problems, [(i.key, i.actual, i.expected) for i in result.failures],
                result.blank_zero, result.skipped)

    relation = Relation(params)
    fast = outcome(relation)
    assert outcome(relation) == fast  # again, with the operand places it kept
    slow_relation = Relation(params)
    slow_relation._fast_sums = lambda *args: None  # every instance down the slow path
    assert fast == outcome(slow_relation)


def test_a_relation_keeps_operand_places_only_for_canonical_keys():
    """A report's own row keys (any text, any length) are not kept from one report to the next."""
    from gkcheck.checks.grid import Grid
    from gkcheck.checks.relation import Relation

    relation = Relation({"table": "T2", "for_each": "row", "left": ["total"], "right": ["natural", "other"]})
    for rows in (["received", "carried_over"], [f"made-up {i} " * 50 for i in range(20)]):
        table = {"cells": [{"row": r, "col": c, "kind": "number", "value": v}
                           for r in rows for c, v in (("total", 3), ("natural", 1), ("other", 2))]}
        for _ in range(2):
            result = relation.evaluate(Grid(table))
            assert result.checked == len(rows) and not result.failures
    assert sorted(key for _, key in relation._cache) == ["carried_over", "received"]
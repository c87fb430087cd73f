"""The report schema: the generated validator is current and agrees with jsonschema,
and everything the extractors produce is a valid report."""

import copy
import importlib.util
from pathlib import Path

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gkcheck.errors import InputError
from gkcheck.extract import read_report
from gkcheck.report.load import report_schema, validate_report
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "tools" / "gen_report_validator.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_validator_is_current():
    gen = _generator()
    assert gen.TARGET.read_text("utf-8") == gen.generate(), "run: python tools/gen_report_validator.py"


REPORTS = sorted(p for p in (FIXTURES / "reports").iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx"))


@pytest.mark.parametrize("path", REPORTS, ids=[p.name for p in REPORTS])
def test_extracted_reports_are_valid(path):
    data = read_report(str(path))
    if data["year"] is None:  # a blank template has no year; `check` asks for --year then
        data["year"] = 2021
    validate_report(data, str(path))
    jsonschema.validate(data, report_schema())


BROKEN = [
    ("year", "二〇一六"),
    ("agency", {"kind": "department"}),
    ("published", "2017/01/30"),
    ("sections", [{"text": "no heading"}]),
    ("tables", {"T9": {"cells": []}}),
    ("tables", {"T2": {"cells": [{"row": "received", "col": "total", "kind": "guess"}]}}),
    ("period", {"start": "2016-01-01"}),
    ("unknown_field", 1),
]


@pytest.mark.parametrize("key,value", BROKEN, ids=[f"{k}-{i}" for i, (k, _) in enumerate(BROKEN)])
def test_generated_validator_agrees_with_jsonschema(key, value):
    data = copy.deepcopy({"year": 2016, "agency": {"name": "某厅"}})
    data[key] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema())
    with pytest.raises(InputError) as err:
        validate_report(data, "r.json")
    assert "r.json: $" in str(err.value)


# --- the plain-cell shortcut of validate_report -------------------------------------------
def test_plain_cell_keys_and_kinds_are_the_schemas():
    from gkcheck.report.load import CELL_KINDS, PLAIN_CELL_KEYS, PLAIN_LOCATION_KEYS

    cell = report_schema()["$defs"]["cell"]
    assert PLAIN_CELL_KEYS | {"location", "split"} == set(cell["properties"])
    location = report_schema()["$defs"]["location"]["properties"]
    assert all(location[k] == {"type": "integer", "minimum": 1} for k in PLAIN_LOCATION_KEYS)
    assert CELL_KINDS == set(cell["properties"]["kind"]["enum"])
    assert set(cell["required"]) <= PLAIN_CELL_KEYS


CELL_VALUES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3)
               | st.sampled_from(["number", "blank", "dash", "text", "ambiguous", "received", "total"])
               | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=2), st.integers(), max_size=2))
TEXT_OR_NULL = st.none() | st.text(max_size=3)
WELL_FORMED = st.fixed_dictionaries(
    {"row": st.text(max_size=3), "col": st.text(max_size=3),
     "kind": st.sampled_from(["number", "blank", "dash", "text", "ambiguous"])},
    optional={"printed": TEXT_OR_NULL, "value": st.none() | st.integers() | st.floats(allow_nan=False),
              "unit": TEXT_OR_NULL, "row_label": TEXT_OR_NULL, "column_label": TEXT_OR_NULL,
              "location": st.none() | st.fixed_dictionaries(
                  {}, optional={k: st.integers(-1, 3) | st.booleans() | st.text(max_size=1) | st.floats(0, 3)
                                for k in ("table", "page", "row", "column", "line", "offset", "section")})})


@st.composite
def cells(draw):
    """A well-formed cell, or one with a field set to anything, removed, or added: both sides
    of the quick test get exercised."""
    cell = draw(WELL_FORMED)
    change = draw(st.sampled_from(["none", "set", "drop", "extra"]))
    key = draw(st.sampled_from(sorted(cell) + ["value", "printed"]))
    if change == "set":
        cell[key] = draw(CELL_VALUES)
    elif change == "drop":
        cell.pop(key, None)
    elif change == "extra":
        cell[draw(st.text(max_size=4))] = draw(CELL_VALUES)
    return cell


CELLS = cells()


@settings(max_examples=1000, deadline=None)
@given(CELLS)
@example({"row": "a", "col": "b", "kind": "number", "value": True})  # a bool is not a number
@example({"row": "a", "col": "b", "kind": "number", "value": "12"})
@example({"row": "a", "col": "b", "kind": "guess"})
@example({"row": "a", "col": 1, "kind": "blank"})
@example({"row": "a", "col": "b", "kind": "blank", "printed": 0})
@example({"row": "a", "kind": "blank"})
@example({"row": "a", "col": "b", "kind": "blank", "location": {"page": 0}})
@example({"row": "a", "col": "b", "kind": "blank", "location": {"page": True}})
@example({"row": "a", "col": "b", "kind": "blank", "location": {"page": 2, "table": 1, "row": 3, "column": 4}})
@example({"row": "a", "col": "b", "kind": "blank", "location": {"section": "x"}})
@example({"row": "a", "col": "b", "kind": "blank", "location": []})
def test_a_plain_cell_is_one_the_schema_accepts(cell):
    """Soundness of the shortcut: a cell the quick test calls plain is never one the full
    validator would refuse (and a refused cell is always validated in full, with its path)."""
    from gkcheck.report._report_validator import validate
    from gkcheck.report.load import plain_cell

    report = {"year": 2016, "agency": {"name": "某厅"}, "tables": {"T2": {"cells": [cell]}}}
    if plain_cell(cell):
        validate(report)  # raises if the schema refuses it
    else:
        try:
            validate(report)
        except Exception:  # noqa: BLE001 - refused: validate_report must report it with its path
            with pytest.raises(InputError) as err:
                validate_report(report, "r.json")
            assert "$.tables.T2.cells[0]" in str(err.value)


@settings(max_examples=600, deadline=None)
@given(st.lists(CELLS | CELL_VALUES, max_size=5))
@example([{"row": "a", "col": "b", "kind": ["number"]}])  # not hashable: no crash, not plain
@example([{"row": "a", "col": "b", "kind": "blank", "location": {}}, {"row": "a", "col": "b", "kind": "dash"}])
@example([{"row": "a", "col": "b", "kind": "blank", "location": {"page": 1.0}}])
@example([{"row": "a", "col": "b", "kind": "blank", 1: 2}])
# as many keys as the first cell, other keys: the columns are made the general way
@example([{"row": "a", "col": "b", "kind": "blank", "unit": None}, {"row": "a", "col": "b", "kind": "blank", "printed": None}])
@example([{"row": "a", "col": "b", "kind": "blank"}, {"row": "a", "col": "b", "printed": "x"}])
@example([{"row": "a", "col": "b", "kind": "blank"}, {"row": "a", "col": "b", "kind": "blank", "bad": 1}])
@example([{"row": "a", "col": "b", "kind": "blank", "unit": None}, {"row": "a", "col": "b", "kind": "blank"}])
def test_plain_cells_says_of_a_list_what_plain_cell_says_of_each(cell_list):
    from gkcheck.report.load import plain_cell, plain_cells

    assert plain_cells(cell_list) == all(map(plain_cell, cell_list))


def test_a_bad_cell_among_plain_ones_is_reported_with_its_path():
    cells = [{"row": "received", "col": "total", "kind": "number", "value": i} for i in range(50)]
    cells[37] = {"row": "received", "col": "total", "kind": "number", "value": "12"}
    with pytest.raises(InputError) as err:
        validate_report({"year": 2016, "agency": {"name": "某厅"}, "tables": {"T2": {"cells": cells}}}, "r.json")
    assert "$.tables.T2.cells[37].value" in str(err.value)

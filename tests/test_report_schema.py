"""The report schema: the generated validator is current and agrees with jsonschema,
and everything the extractors produce is a valid report."""

import copy
import importlib.util
from pathlib import Path

import jsonschema
import pytest

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

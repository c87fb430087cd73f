"""Every rule's pass/fail cases, kept as YAML data in tests/rule_cases/ (sqlfluff-style)."""

from collections import defaultdict
from pathlib import Path

import pytest

from gkcheck.testing.rules import case_files, load_cases, run_case

CASES_DIR = Path(__file__).parent / "rule_cases"


def _all_cases():
    out = []
    for f in case_files([str(CASES_DIR)]):
        rule_id, cases = load_cases(f)
        out += [pytest.param(rule_id, c, str(f), id=f"{rule_id}::{i + 1}") for i, c in enumerate(cases)]
    return out


@pytest.mark.parametrize("rule_id,case,file", _all_cases())
def test_rule_case(ruleset, rule_id, case, file):
    result = run_case(ruleset, rule_id, case, file)
    assert result.actual == result.expect, f"{file} {case['name']}: expected {result.expect}, got {result.actual} ({result.detail})"


def test_every_rule_has_pass_and_fail_case(ruleset):
    seen = defaultdict(set)
    for f in case_files([str(CASES_DIR)]):
        rule_id, cases = load_cases(f)
        for c in cases:
            seen[rule_id].add(c["expect"])
    missing = [r.id for r in ruleset.rules if not {"pass", "fail"} <= seen[r.id]]
    assert not missing, f"rules without a passing and a failing case: {missing}"
    unknown = sorted(set(seen) - {r.id for r in ruleset.rules})
    assert not unknown, f"case files for rules that do not exist: {unknown}"

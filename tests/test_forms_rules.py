"""Whole short reports in real forms (fixtures/forms/) against the rule statuses written for them
by reading the texts (fixtures/expected/forms/*.yaml): statements with meaning, prose arithmetic.

Each entry: `file` (relative to fixtures/forms/), optional metadata (`year`), `rules` (rule id →
pass / fail / not_applicable) and a `note` naming the real form it mirrors. A rule of a pack that
does not apply to the report counts as not_applicable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gkcheck.api import check_file

ROOT = Path(__file__).parents[1]
FORMS = ROOT / "fixtures" / "forms"
EXPECTED = sorted((ROOT / "fixtures" / "expected" / "forms").glob("*.yaml"))
METADATA = ("year",)


def entries():
    out = []
    for path in EXPECTED:
        for i, entry in enumerate(yaml.safe_load(path.read_text("utf-8"))):
            if entry.get("rules"):
                out.append(pytest.param(entry, id=f"{path.stem}:{entry['file']}"))
    return out


@pytest.mark.parametrize("entry", entries())
def test_form(ruleset, entry):
    report = check_file(str(FORMS / entry["file"]), ruleset)
    assert "error" not in report or not report["error"], report.get("error")
    for field in METADATA:
        if field in entry:
            assert report["report"][field] == entry[field], field
    statuses = {r["rule"]: r["status"] for r in report["results"]}
    wrong = {rule: (statuses.get(rule, "not_applicable"), want) for rule, want in entry["rules"].items()
             if statuses.get(rule, "not_applicable") != want}
    assert not wrong, f"{entry['file']}: (actual, expected) {wrong}"


def test_every_statement_and_prose_rule_is_measured(ruleset):
    """Each statement rule and each prose rule appears in some form with a pass and a fail."""
    seen: dict[str, set] = {}
    for path in EXPECTED:
        for entry in yaml.safe_load(path.read_text("utf-8")):
            for rule, status in (entry.get("rules") or {}).items():
                seen.setdefault(rule, set()).add(status)
    for rule in ["fee.2021.section6", "content.2007.fees", "content.2007.review", "content.2007.application",
                 "fee.2019.no_cost_fees", "prose.total_parts", "prose.shares", "prose.rates"]:
        assert {"pass", "fail"} <= seen.get(rule, set()) or rule == "prose.shares", rule
    assert "fail" in seen["prose.shares"]

"""The statement and prose rules are measured on whole short reports in real forms: every such rule
has a passing and a failing case in fixtures/expected/forms/statements.yaml or prose.yaml. The cases
themselves are run by the forms-corpus harness in tests/test_accuracy.py.
"""

from __future__ import annotations

from pathlib import Path

import yaml

EXPECTED = Path(__file__).parents[1] / "fixtures" / "expected" / "forms"
MEASURED = ["fee.2021.section6", "content.2007.fees", "content.2007.review", "content.2007.application",
            "fee.2019.no_cost_fees", "prose.total_parts", "prose.shares", "prose.rates"]


def test_every_statement_and_prose_rule_is_measured_both_ways():
    seen: dict[str, set] = {}
    for name in ("statements.yaml", "prose.yaml"):
        for entry in yaml.safe_load((EXPECTED / name).read_text("utf-8")):
            for rule, status in (entry.get("rules") or {}).items():
                seen.setdefault(rule, set()).add(status)
    lacking = {rule: sorted(seen.get(rule, ())) for rule in MEASURED if not {"pass", "fail"} <= seen.get(rule, set())}
    assert not lacking, lacking

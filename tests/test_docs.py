"""docs/rules.md is generated from rules/; it must not go stale. The README's commands must exist."""

from pathlib import Path

from gkcheck.ruleset.doc import ruleset_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_rules_doc_is_current(ruleset):
    current = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert current == ruleset_markdown(ruleset), "docs/rules.md is stale: run `gkcheck rules doc -o docs/rules.md --force`"


def test_every_rule_cites_a_basis(ruleset):
    for rule in ruleset.rules:
        assert rule.basis and all(b["instrument"] for b in rule.basis), rule.id
        assert rule.message["zh"], rule.id


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    head = readme[: readme.index("##")]
    assert "gkcheck audit fixtures/reports" in head or "gkcheck check fixtures/reports" in head
    assert "python -m pytest" in head
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "python -m pytest" in ci

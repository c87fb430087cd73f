"""Loading rules: rule packs as YAML data, validated against their schema, compiled once per run."""

from gkcheck.ruleset.load import Pack, Rule, RuleSet, builtin_rules_dir, load_ruleset

__all__ = ["Pack", "Rule", "RuleSet", "builtin_rules_dir", "load_ruleset"]

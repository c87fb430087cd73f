"""Testing rules with YAML cases (rules.py), shipped so that rule authors can test their own packs:
`gkcheck rules test DIR` and the pytest hook in tests/test_rule_cases.py use the same runner."""

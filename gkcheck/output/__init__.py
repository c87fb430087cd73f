"""Reporting findings: one module per output format, all with render(doc, options) -> str.

`doc` is the audit document of the JSON contract: {"tool", "reports", "summary"} (gkcheck.engine.document).
Formats render what they are given: they import neither the engine nor the policy.
"""

from __future__ import annotations

from importlib import import_module

FORMATS = {"text": "gkcheck.output.text", "json": "gkcheck.output.json_format"}

# CI formats (SARIF, JUnit XML, GitHub Actions annotations)
FORMATS.update({"sarif": "gkcheck.output.sarif", "junit": "gkcheck.output.junit", "github": "gkcheck.output.github"})

# Batch formats for the supervising office (Excel CSV, HTML dashboard)
FORMATS.update({"csv": "gkcheck.output.csv_format", "html": "gkcheck.output.html"})


def render(fmt: str, doc: dict, **options) -> str:
    return import_module(FORMATS[fmt]).render(doc, **options)


"""Reporting findings: one module per output format, all with render(doc, options) -> str.

`doc` is the audit document of the JSON contract: {"tool", "reports", "summary"}.
"""

from __future__ import annotations

from importlib import import_module

FORMATS = {"text": "gkcheck.output.text", "json": "gkcheck.output.json_format"}


def render(fmt: str, doc: dict, **options) -> str:
    return import_module(FORMATS[fmt]).render(doc, **options)


def document(reports: list[dict]) -> dict:
    from gkcheck import __version__

    summary = {"reports": len(reports), "pass": 0, "fail": 0, "error": 0}
    for r in reports:
        summary[r["verdict"]] += 1
    return {"tool": {"name": "gkcheck", "version": __version__}, "reports": reports, "summary": summary}

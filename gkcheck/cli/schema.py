"""gkcheck schema: the JSON Schemas of structured reports and rule files."""

from __future__ import annotations

import click

from gkcheck.cli.base import Command


@click.command(cls=Command)
@click.argument("which", type=click.Choice(["report", "rules"]))
def schema(which):
    """打印 JSON Schema：report（结构化报告）或 rules（规则文件）。"""
    import json

    if which == "report":
        from gkcheck.report.load import report_schema as get
    else:
        from gkcheck.ruleset.load import rule_schema as get
    click.echo(json.dumps(get(), ensure_ascii=False, indent=2))

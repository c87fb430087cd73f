"""Command line: gkcheck check | audit | extract | rules | baseline | config | schema.

One module per command (group); options.py holds what they share. Imports stay lazy: a cold
`gkcheck check report.txt` should cost little more than importing click and yaml.
"""

from __future__ import annotations

import os
import sys

import click

from gkcheck import __version__
from gkcheck.cli.audit import audit
from gkcheck.cli.baseline import baseline
from gkcheck.cli.check import check
from gkcheck.cli.config import config_cmd
from gkcheck.cli.extract import extract
from gkcheck.cli.options import die
from gkcheck.cli.rules import rules
from gkcheck.cli.schema import schema


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gkcheck", message="%(prog)s %(version)s")
def cli():
    """gkcheck：政府信息公开工作年度报告合规检查。"""


for _command in (check, audit, extract, rules, baseline, config_cmd, schema):
    cli.add_command(_command)


def main() -> None:
    try:
        cli.main(prog_name="gkcheck", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("gkcheck: 已中断", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # never a traceback for the user; GKCHECK_DEBUG=1 shows it
        if os.environ.get("GKCHECK_DEBUG"):
            raise
        die(f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}")

"""Command line: gkcheck check | audit | verify | extract | rules | baseline | config | schema.

One module per command (group), imported only when that command runs; options.py holds what
they share. A cold `gkcheck check report.txt` should cost little more than importing click and
yaml, so nothing here imports the other commands or the engine.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from gkcheck import __version__
from gkcheck.cli.base import Group, version_option

# command name → (module, attribute); `gkcheck --help` lists them in this order
COMMANDS = {
    "check": ("gkcheck.cli.check", "check"),
    "audit": ("gkcheck.cli.audit", "audit"),
    "verify": ("gkcheck.cli.verify", "verify"),
    "extract": ("gkcheck.cli.extract", "extract"),
    "rules": ("gkcheck.cli.rules", "rules"),
    "baseline": ("gkcheck.cli.baseline", "baseline"),
    "config": ("gkcheck.cli.config", "config_cmd"),
    "schema": ("gkcheck.cli.schema", "schema"),
}


class _LazyGroup(Group):
    """Commands imported when named (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        return getattr(import_module(module), attr)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@version_option(__version__)
def cli():
    """gkcheck：政府信息公开工作年度报告合规检查。"""


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
        from gkcheck.cli.options import die

        die(f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}")

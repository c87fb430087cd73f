"""gkcheck check: audit one or more reports."""

from __future__ import annotations

import os
import sys

import click

from gkcheck.cli.base import Command
from gkcheck.cli.options import (
    limit_options,
    policy_options,
    say,
    resolve_settings,
    settings_options,
    start_run,
    take_overrides,
    with_options,
    with_overrides,
    write_output,
)


@click.command(cls=Command)
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--previous", help="同一机关上一年度的报告（用于跨年度检查）")
@click.option("-v", "--verbose", is_flag=True, help="同时列出通过和不适用的规则")
@with_options(policy_options, settings_options, limit_options)
@with_overrides
def check(files, output, force, previous, verbose, config_file, **kw):
    """检查一份或多份年度报告（文本、HTML、Word、PDF、结构化 YAML/JSON）。"""
    from gkcheck.api import check_file
    from gkcheck.output import render
    from gkcheck.policy import exit_code, warnings

    cfg = resolve_settings(kw, config_file)
    overrides = {**take_overrides(kw), **{k: cfg[k] for k in ("agency_kind", "agency_level", "province")}}
    run = start_run(cfg, overrides=overrides)
    entries = [check_file(f, run.ruleset, overrides, cfg["profile"] or None, previous) for f in files]
    doc = run.finish(entries)
    for entry in entries:
        if entry["verdict"] == "error":
            say("错误", entry["error"])
    for line in warnings(doc):
        say("警告", line)
    fmt = cfg["format"]
    color = fmt == "text" and not output and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = render(fmt, doc, color=color, verbose=verbose, ruleset=run.ruleset)
    write_output(output, text, force)
    sys.exit(exit_code(doc, cfg["fail_on"]))

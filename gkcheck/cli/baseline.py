"""gkcheck baseline: record today's findings so that only new ones fail."""

from __future__ import annotations

import os

import click

from gkcheck.cli.base import Group
from gkcheck.cli.options import (
    die,
    limit_options,
    resolve_settings,
    settings_options,
    start_run,
    take_overrides,
    with_options,
    with_overrides,
    write_output,
)


@click.group(cls=Group)
def baseline():
    """基线：记录现有问题，之后只让新问题使检查不通过。"""


@baseline.command("create")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", help="基线文件（默认为配置中的 baseline，否则标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的基线文件")
@with_options(settings_options, limit_options)
@with_overrides
def baseline_create(files, output, force, config_file, **kw):
    """检查报告，把现有问题记录为基线（按规则和证据指纹，不按行号）。"""
    from gkcheck.api import check_file
    from gkcheck.policy import baseline as bl
    from gkcheck.policy.waivers import today

    cfg = resolve_settings(kw, config_file)
    overrides = {**take_overrides(kw), **{k: cfg[k] for k in ("agency_kind", "agency_level", "province")}}
    run = start_run(cfg, baseline=False, waivers=False)
    entries = [check_file(f, run.ruleset, overrides, cfg["profile"] or None) for f in files]
    bad = [e["error"] for e in entries if e["verdict"] == "error"]
    if bad:
        die(f"{bad[0]}（未写入基线）")
    output = output or cfg["baseline"]
    base_dir = os.path.dirname(output) if output and output != "-" else "."
    doc = bl.create(entries, base_dir or ".", today().isoformat())
    write_output(output, bl.dumps(doc), force)
    click.echo(f"gkcheck: 基线记录了 {len(doc['findings'])} 个问题（{len(entries)} 份报告）", err=True)

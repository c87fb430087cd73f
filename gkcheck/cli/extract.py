"""gkcheck extract: a published report as a structured report or table cells."""

from __future__ import annotations

import os

import click

from gkcheck.cli.base import Command
from gkcheck.cli.options import (
    die,
    limit_options,
    resolve_settings,
    take_overrides,
    with_options,
    with_overrides,
    write_output,
)


@click.command(cls=Command)
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json", "cells"]),
              help="输出格式：yaml、json，或 cells（每个表格单元格一行的 CSV）；默认按 -o 的扩展名，否则 yaml")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@with_options(limit_options)
@with_overrides
def extract(file, fmt, output, force, **kw):
    """把已发布的报告（文本、HTML、PDF、Word .docx）抽取为结构化报告（YAML、JSON）或表格单元格（CSV）。"""
    from gkcheck.api import apply_overrides
    from gkcheck.errors import GkError
    from gkcheck.extract import read_report

    resolve_settings(kw)  # the limits, from the command line or gkcheck.yaml
    try:
        data = apply_overrides(read_report(file), take_overrides(kw))
    except GkError as exc:
        die(str(exc))
    if fmt is None:
        ext = os.path.splitext(output or "")[1].lower()
        fmt = {".json": "json", ".csv": "cells"}.get(ext, "yaml")
    if fmt == "cells":
        from gkcheck.extract.cells_csv import cells_csv

        text = cells_csv(data)
    elif fmt == "json":
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        import yaml

        text = yaml.dump(data, allow_unicode=True, sort_keys=False, width=100)
    write_output(output, text, force)

"""Command line: gkcheck check | extract | rules | schema.

Imports stay lazy: a cold `gkcheck check report.txt` should cost little more than
importing click and yaml.
"""

from __future__ import annotations

import os
import sys

import click

from gkcheck import __version__

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def _die(message: str) -> None:
    click.echo(f"gkcheck: 错误: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _date_option(value):
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' 不是 YYYY-MM-DD 格式的日期") from None


def _write(output: str | None, text: str, force: bool) -> None:
    """Write to -o atomically, never over an existing file unless --force; else stdout."""
    if not output or output == "-":
        click.echo(text, nl=False)
        return
    if os.path.exists(output) and not force:
        _die(f"{output}: 文件已存在；如需覆盖请加 --force")
    tmp = f"{output}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        _die(f"{output}: 无法写入: {exc.strerror}")


def _ruleset(rules_dirs):
    from gkcheck.errors import GkError
    from gkcheck.ruleset import load_ruleset

    try:
        return load_ruleset(list(rules_dirs))
    except GkError as exc:
        _die(str(exc))


override_options = [
    click.option("--year", type=click.IntRange(2000, 2100), help="报告年度（覆盖自动识别）"),
    click.option("--published", callback=lambda c, p, v: _date_option(v), help="发布日期 YYYY-MM-DD"),
    click.option("--agency", "agency_name", help="机关名称"),
    click.option("--agency-kind", type=click.Choice(["government", "department", "other"]),
                 help="机关类型：government 人民政府 / department 政府部门 / other"),
    click.option("--agency-level", type=click.Choice(["national", "provincial", "municipal", "county", "township"]),
                 help="机关层级"),
    click.option("--province", help="省份（如 浙江）"),
]


def with_overrides(f):
    for opt in reversed(override_options):
        f = opt(f)
    return f


def _overrides(kw: dict) -> dict:
    from gkcheck.api import OVERRIDE_KEYS

    return {k: kw.pop(k) for k in OVERRIDE_KEYS if k in kw}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gkcheck", message="%(prog)s %(version)s")
def cli():
    """gkcheck：政府信息公开工作年度报告合规检查。"""


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录（可多次使用）")
@click.option("--profile", multiple=True, help="指定规则包（默认按报告年度自动选择）")
@click.option("--previous", help="同一机关上一年度的报告（用于跨年度检查）")
@click.option("-v", "--verbose", is_flag=True, help="同时列出通过和不适用的规则")
@with_overrides
def check(files, fmt, output, force, rules_dirs, profile, previous, verbose, **kw):
    """检查一份或多份年度报告（文本、HTML、结构化 YAML/JSON）。"""
    from gkcheck.api import check_file
    from gkcheck.output import document, render

    overrides = _overrides(kw)
    ruleset = _ruleset(rules_dirs)
    entries = [check_file(f, ruleset, overrides, list(profile) or None, previous) for f in files]
    doc = document(entries)
    for entry in entries:
        if entry["verdict"] == "error":
            click.echo(f"gkcheck: 错误: {entry['error']}", err=True)
    color = fmt == "text" and not output and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    _write(output, render(fmt, doc, color=color, verbose=verbose), force)
    s = doc["summary"]
    sys.exit(EXIT_ERROR if s["error"] else EXIT_FAIL if s["fail"] else EXIT_PASS)


@cli.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), help="输出格式（默认按 -o 的扩展名，否则 yaml）")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@with_overrides
def extract(file, fmt, output, force, **kw):
    """把已发布的报告抽取为结构化报告（YAML 或 JSON）。"""
    from gkcheck.api import apply_overrides
    from gkcheck.errors import GkError
    from gkcheck.extract import read_report

    try:
        data = apply_overrides(read_report(file), _overrides(kw))
    except GkError as exc:
        _die(str(exc))
    if fmt is None:
        fmt = "json" if output and output.lower().endswith(".json") else "yaml"
    if fmt == "json":
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        import yaml

        text = yaml.dump(data, allow_unicode=True, sort_keys=False, width=100)
    _write(output, text, force)


@cli.group()
def rules():
    """查看规则。"""


@rules.command("list")
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
def rules_list(rules_dirs):
    """列出所有规则。"""
    ruleset = _ruleset(rules_dirs)
    for pack in ruleset.packs:
        click.echo(f"# {pack.id}  {pack.title}")
        for r in pack.rules:
            click.echo(f"{r.id:<40} {r.severity:<8} {r.title}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
def rules_show(rule_id, rules_dirs):
    """显示一条规则的全部内容。"""
    from gkcheck.ruledoc import rule_markdown

    ruleset = _ruleset(rules_dirs)
    rule = ruleset.get(rule_id)
    if rule is None:
        _die(f"没有编号为 {rule_id} 的规则（用 gkcheck rules list 查看）")
    click.echo(rule_markdown(rule))


@rules.command("doc")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
@click.option("--no-builtin", is_flag=True, help="只写额外规则目录中的规则")
def rules_doc(output, force, rules_dirs, no_builtin):
    """生成规则参考文档（Markdown）。"""
    from gkcheck.errors import GkError
    from gkcheck.ruledoc import ruleset_markdown
    from gkcheck.ruleset import load_ruleset

    try:
        ruleset = load_ruleset(list(rules_dirs), builtin=not no_builtin)
    except GkError as exc:
        _die(str(exc))
    _write(output, ruleset_markdown(ruleset), force)


@rules.command("test")
@click.argument("paths", nargs=-1, required=True)
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
def rules_test(paths, rules_dirs):
    """运行规则用例：PATHS 为用例文件，或含 cases/ 子目录的规则目录。"""
    from pathlib import Path

    from gkcheck.errors import GkError
    from gkcheck.ruletest import run_all

    # A rule directory with a cases/ folder brings its own rules.
    dirs = list(rules_dirs) + [p for p in paths if (Path(p) / "cases").is_dir()]
    ruleset = _ruleset(dirs)
    try:
        results = run_all(ruleset, list(paths))
    except GkError as exc:
        _die(str(exc))
    failed = [r for r in results if not r.ok]
    for r in failed:
        click.echo(f"不通过 {r.rule} 「{r.name}」（{r.file}）：期望 {r.expect}，实际 {r.actual} — {r.detail}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_FAIL if failed else EXIT_PASS)


@cli.command()
@click.argument("which", type=click.Choice(["report", "rules"]))
def schema(which):
    """打印 JSON Schema：report（结构化报告）或 rules（规则文件）。"""
    import json

    if which == "report":
        from gkcheck.report.load import report_schema as get
    else:
        from gkcheck.ruleset.load import rule_schema as get
    click.echo(json.dumps(get(), ensure_ascii=False, indent=2))


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
        _die(f"内部错误（请报告此问题）：{type(exc).__name__}: {exc}")

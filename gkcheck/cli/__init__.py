"""Command line: gkcheck check | extract | rules | schema.

Imports stay lazy: a cold `gkcheck check report.txt` should cost little more than
importing click and yaml.
"""

from __future__ import annotations

import os
import sys

import click

from gkcheck import __version__
from gkcheck.output import FORMATS
from gkcheck.policy import FAIL_ON

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


def _settings(kw: dict, config_file: str | None = None):
    """Effective settings: command line over gkcheck.yaml / [tool.gkcheck] over defaults."""
    from gkcheck.policy.config import resolve
    from gkcheck.errors import GkError

    cli_values = {k: kw.pop(k, None) for k in ("profile", "rules_dirs", "format", "fail_on", "waivers", "baseline")}
    cli_values.update({k: kw.get(k) for k in ("agency_kind", "agency_level", "province")})
    try:
        cfg = resolve(cli_values, config_file)
    except GkError as exc:
        _die(str(exc))
    if cfg["format"] not in FORMATS:
        _die(f"{cfg.sources['format']}: 未知的输出格式 '{cfg['format']}'（可用：{', '.join(FORMATS)}）")
    return cfg


def _run(cfg, **flags):
    from gkcheck.errors import GkError
    from gkcheck.policy import Run

    try:
        run = Run(cfg, _ruleset(cfg["rules_dirs"]), **flags)
        run.ruleset.check_profile(cfg["profile"])  # a mistyped pack name is a usage error, before any report
        return run
    except GkError as exc:
        _die(str(exc))


settings_options = [
    click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录（可多次使用）"),
    click.option("--profile", multiple=True, help="指定规则包（默认按报告年度自动选择）"),
    click.option("--config", "config_file", help="配置文件（默认在当前及上级目录找 gkcheck.yaml 或 pyproject.toml）"),
]
policy_options = [
    click.option("--format", "format", type=click.Choice(list(FORMATS)), help="输出格式（默认 text）"),
    click.option("--fail-on", type=click.Choice(FAIL_ON), help="达到此级别的问题使报告不通过、退出码为 1（默认 error；never 表示问题不影响结论）"),
    click.option("--waivers", help="豁免文件（YAML）"),
    click.option("--baseline", help="基线文件：只有基线之外的新问题才使检查不通过"),
]


def with_options(*groups):
    def wrap(f):
        for opt in reversed([o for g in groups for o in g]):
            f = opt(f)
        return f
    return wrap


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--previous", help="同一机关上一年度的报告（用于跨年度检查）")
@click.option("-v", "--verbose", is_flag=True, help="同时列出通过和不适用的规则")
@with_options(policy_options, settings_options)
@with_overrides
def check(files, output, force, previous, verbose, config_file, **kw):
    """检查一份或多份年度报告（文本、HTML、Word、PDF、结构化 YAML/JSON）。"""
    from gkcheck.api import check_file
    from gkcheck.output import render
    from gkcheck.policy import exit_code, warnings

    cfg = _settings(kw, config_file)
    overrides = {**_overrides(kw), **{k: cfg[k] for k in ("agency_kind", "agency_level", "province")}}
    run = _run(cfg)
    entries = [check_file(f, run.ruleset, overrides, cfg["profile"] or None, previous) for f in files]
    doc = run.finish(entries)
    for entry in entries:
        if entry["verdict"] == "error":
            click.echo(f"gkcheck: 错误: {entry['error']}", err=True)
    for line in warnings(doc):
        click.echo(f"gkcheck: 警告: {line}", err=True)
    fmt = cfg["format"]
    color = fmt == "text" and not output and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = render(fmt, doc, color=color, verbose=verbose, ruleset=run.ruleset)
    _write(output, text, force)
    sys.exit(exit_code(doc, cfg["fail_on"]))


@cli.command("config")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@with_options(policy_options, settings_options, override_options[3:])
def config_cmd(as_json, config_file, **kw):
    """显示生效的配置及每一项的来源（配置文件的键、"默认"或"命令行"）。"""
    from gkcheck.policy.config import as_json as config_json
    from gkcheck.policy.config import describe

    cfg = _settings(kw, config_file)
    if as_json:
        import json

        click.echo(json.dumps(config_json(cfg), ensure_ascii=False, indent=2))
    else:
        click.echo(describe(cfg), nl=False)


@cli.group()
def baseline():
    """基线：记录现有问题，之后只让新问题使检查不通过。"""


@baseline.command("create")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", help="基线文件（默认为配置中的 baseline，否则标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的基线文件")
@with_options(settings_options)
@with_overrides
def baseline_create(files, output, force, config_file, **kw):
    """检查报告，把现有问题记录为基线（按规则和证据指纹，不按行号）。"""
    from gkcheck.policy import baseline as bl
    from gkcheck.api import check_file
    from gkcheck.policy.waivers import today

    cfg = _settings(kw, config_file)
    overrides = {**_overrides(kw), **{k: cfg[k] for k in ("agency_kind", "agency_level", "province")}}
    run = _run(cfg, baseline=False, waivers=False)
    entries = [check_file(f, run.ruleset, overrides, cfg["profile"] or None) for f in files]
    bad = [e["error"] for e in entries if e["verdict"] == "error"]
    if bad:
        _die(f"{bad[0]}（未写入基线）")
    output = output or cfg["baseline"]
    base_dir = os.path.dirname(output) if output and output != "-" else "."
    doc = bl.create(entries, base_dir or ".", today().isoformat())
    _write(output, bl.dumps(doc), force)
    click.echo(f"gkcheck: 基线记录了 {len(doc['findings'])} 个问题（{len(entries)} 份报告）", err=True)


@cli.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json", "cells"]),
              help="输出格式：yaml、json，或 cells（每个表格单元格一行的 CSV）；默认按 -o 的扩展名，否则 yaml")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@with_overrides
def extract(file, fmt, output, force, **kw):
    """把已发布的报告（文本、HTML、PDF、Word .docx）抽取为结构化报告（YAML、JSON）或表格单元格（CSV）。"""
    from gkcheck.api import apply_overrides
    from gkcheck.errors import GkError
    from gkcheck.extract import read_report

    try:
        data = apply_overrides(read_report(file), _overrides(kw))
    except GkError as exc:
        _die(str(exc))
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
    from gkcheck.ruleset.doc import rule_markdown

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
    from gkcheck.ruleset.doc import ruleset_markdown
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
    from gkcheck.testing.rules import run_all

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


from gkcheck.cli.audit import audit  # noqa: E402
cli.add_command(audit)

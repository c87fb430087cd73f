"""gkcheck rules: list, show, document and test rule packs."""

from __future__ import annotations

import sys

import click

from gkcheck.cli.base import Group
from gkcheck.cli.options import (
    EXIT_FAIL,
    EXIT_PASS,
    die,
    load_rules,
    write_output,
)


@click.group(cls=Group)
def rules():
    """查看规则。"""


@rules.command("list")
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
def rules_list(rules_dirs):
    """列出所有规则。"""
    ruleset = load_rules(rules_dirs)
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

    ruleset = load_rules(rules_dirs)
    rule = ruleset.get(rule_id)
    if rule is None:
        die(f"没有编号为 {rule_id} 的规则（用 gkcheck rules list 查看）")
    click.echo(rule_markdown(rule))


@rules.command("doc")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
@click.option("--no-builtin", is_flag=True, help="只写额外规则目录中的规则")
def rules_doc(output, force, rules_dirs, no_builtin):
    """生成规则参考文档（Markdown）。"""
    from gkcheck.errors import GkError
    from gkcheck.ruleset import load_ruleset
    from gkcheck.ruleset.doc import ruleset_markdown

    try:
        ruleset = load_ruleset(list(rules_dirs), builtin=not no_builtin)
    except GkError as exc:
        die(str(exc))
    write_output(output, ruleset_markdown(ruleset), force)


@rules.command("test")
@click.argument("paths", nargs=-1, required=True)
@click.option("--rules", "rules_dirs", multiple=True, help="额外的规则目录")
def rules_test(paths, rules_dirs):
    """运行规则用例：PATHS 为用例文件，或含 cases/ 子目录的规则目录。"""
    from pathlib import Path

    from gkcheck.errors import GkError
    from gkcheck.output.terminal import shown
    from gkcheck.testing.rules import run_all

    # A rule directory with a cases/ folder brings its own rules.
    dirs = list(rules_dirs) + [p for p in paths if (Path(p) / "cases").is_dir()]
    ruleset = load_rules(dirs)
    try:
        results = run_all(ruleset, list(paths))
    except GkError as exc:
        die(str(exc))
    failed = [r for r in results if not r.ok]
    for r in failed:
        click.echo(shown(f"不通过 {r.rule} 「{r.name}」（{r.file}）：期望 {r.expect}，实际 {r.actual} — {r.detail}"))
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_FAIL if failed else EXIT_PASS)

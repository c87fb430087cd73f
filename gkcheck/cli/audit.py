"""gkcheck audit: check every report below some directories, in parallel, for the supervising office."""

from __future__ import annotations

import os
import sys

import click

from gkcheck.cli.base import Command
from gkcheck.cli.options import (
    EXIT_ERROR,
    FAIL_ON,
    Output,
    die,
    limit_options,
    resolve_settings,
    say,
    settings_options,
    start_run,
    timeout_option,
    with_options,
)

FORMATS = ("text", "json", "csv", "html", "xlsx", "docx")
BINARY = ("xlsx", "docx")  # written only to a file (-o)

audit_policy_options = [
    click.option("--fail-on", type=click.Choice(FAIL_ON), help="达到此级别的问题使报告不通过（默认 error；never 表示问题不影响结论）"),
    click.option("--waivers", help="豁免文件（YAML）"),
    click.option("--baseline", help="基线文件：只有基线之外的新问题才使报告不通过"),
]


class _Progress:
    """A rich progress bar on stderr, one task per phase. It starts with the first report done,
    after the worker processes were forked (its refresh thread must not be forked with them)."""

    def __init__(self, total: int):
        self.total, self.bar, self.tasks = total, None, {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.tasks = {p: self.bar.add_task(label, total=self.total) for p, label in (("read", "读取"), ("check", "检查"))}
            self.bar.start()
        if phase == "check":
            self.bar.update(self.tasks["read"], completed=self.total)
        self.bar.update(self.tasks[phase], completed=done)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command(cls=Command)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="输出格式：text 终端摘要 / json / csv（Excel）/ html（仪表板）/ xlsx（Excel 工作簿）/ docx（通报草稿）")
@click.option("-o", "--output", help="写入文件（默认标准输出）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="并行进程数（默认：本机 CPU 核数）")
@click.option("--findings", is_flag=True, help="CSV：每条不通过的发现一行（默认每份报告一行）")
@click.option("--details", is_flag=True, help="文本：逐份列出不通过的规则、依据和证据")
@click.option("--anonymise", is_flag=True, help="通报草稿（docx）：问题举例不写单位名称，写作“某县级政府部门”")
@click.option("--no-progress", is_flag=True, help="不显示进度条")
@with_options(audit_policy_options, settings_options, limit_options, [timeout_option])
def audit(paths, fmt, output, force, jobs, findings, details, anonymise, no_progress, config_file, **kw):
    """批量检查目录下的全部年度报告（.txt .htm .html .yaml .yml .json .pdf .docx，递归，多进程）。

    同一机关相邻年度的报告自动配对，用于跨年度规则。配置文件（gkcheck.yaml 或 [tool.gkcheck]）中的
    停用规则、级别调整、豁免、基线和 fail_on 同样适用（--format 除外：audit 的格式只由命令行指定）。
    退出码：有无法检查的文件或被中断为 2，否则有报告不通过为 1，全部通过为 0。
    """
    try:
        _audit(paths, fmt, output, force, jobs, findings, details, no_progress, config_file, kw, anonymise)
    except KeyboardInterrupt:  # outside the batch itself (which reports what it did): nothing written
        click.echo("gkcheck: 已中断", err=True)
        sys.exit(EXIT_ERROR)


def _audit(paths, fmt, output, force, jobs, findings, details, no_progress, config_file, kw, anonymise=False):
    from importlib import import_module

    from gkcheck.batch import STREAMING, Batch, Sink, default_jobs, discover, run
    from gkcheck.errors import GkError
    from gkcheck.output.summary import Tally
    from gkcheck.util import limits

    cfg = resolve_settings(kw, config_file)  # before any file is read: bad settings are a usage error
    overrides = {k: cfg[k] for k in ("agency_kind", "agency_level", "province") if cfg[k]}
    settings = start_run(cfg, command="audit", overrides=overrides)
    if fmt in BINARY and (not output or output == "-"):
        die(f"--format {fmt} 写出的是二进制文件，请用 -o 指定文件（例如 -o audit.{fmt}）")
    files, skipped = discover(paths)
    if output and output != "-" and os.path.exists(output):  # a previous run's output is not a report
        files = [f for f in files if not os.path.exists(f) or not os.path.samefile(f, output)]
    if not files:
        die("没有找到可检查的文件（支持 .txt .htm .html .yaml .yml .json .pdf .docx；隐藏文件不检查）")
    out = Output(output, force)
    ruleset = settings.ruleset
    to_stdout = out.path is None
    tty_out = to_stdout and sys.stdout.isatty()
    color = fmt == "text" and tty_out and not os.environ.get("NO_COLOR")
    scorecard = settings.policy.scorecard
    fmt_options = {"findings": findings, "details": details, "color": color, "anonymise": anonymise,
                   "categories": [(cid, name) for cid, name, _points in scorecard.categories] if scorecard else []}
    console = None
    if fmt == "text" and tty_out:
        from rich.console import Console

        console = Console()
    show_progress = not no_progress and sys.stderr.isatty() and (fmt == "text" or not to_stdout)

    tally = Tally(keep_reports=fmt == "html")
    writer = import_module(STREAMING[fmt]).Writer(out.open(), console=console, skipped=skipped, **fmt_options)
    batch = Batch(files, jobs=jobs or default_jobs(), fmt=fmt, fmt_options=fmt_options,
                  rules_dirs=tuple(cfg["rules_dirs"]), profile=tuple(cfg["profile"] or ()), overrides=overrides,
                  policy=settings.policy, timeout=cfg["timeout"], limits=limits.current())
    progress = _Progress(len(files)) if show_progress else None
    sink = Sink(writer, tally)
    try:
        writer.begin()
        try:
            outcome = run(batch, sink, ruleset=ruleset, progress=progress)
        except GkError as exc:  # the workers cannot start: nothing was checked
            out.discard()
            die(str(exc))
        if progress:
            progress.stop()
            progress = None
        extras = settings.policy.extras(sink.marks, complete=not outcome.interrupted)
        writer.end(tally, outcome.pairs, outcome.interrupted, extras)
        out.commit()
    except BaseException:
        if progress:
            progress.stop()
        out.discard()
        raise
    _finish(tally, outcome, fmt, out, skipped, len(files), extras)


def _finish(tally, outcome, fmt, out, skipped, total, extras) -> None:
    """The summary where it does not mix with the document (a rich table on a terminal), the
    policy's warnings (expired or unused waivers) on stderr, and the exit code."""
    from gkcheck.output.summary import print_rich, summary_text
    from gkcheck.policy import exit_code_of_summary, warnings

    for line in warnings(extras):
        say("警告", line)
    s = tally.summary()
    if fmt != "text":
        # With -o the terminal is free; with the document on stdout, only a terminal's stderr is.
        err = not out.path
        stream = sys.stderr if err else sys.stdout
        if stream.isatty():
            from rich.console import Console

            print_rich(tally, len(outcome.pairs), Console(stderr=err), outcome.interrupted, skipped)
        elif out.path:
            click.echo(summary_text(tally, len(outcome.pairs), outcome.interrupted, skipped), nl=False)
    if outcome.interrupted:
        where = f"，部分结果已写入 {out.path}" if out.path else ""
        click.echo(f"gkcheck: 已中断：已检查 {outcome.done} / {total} 份{where}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(exit_code_of_summary(s))  # the verdicts were settled under fail_on by the policy

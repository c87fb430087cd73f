"""gkcheck verify audit.json: re-run a recorded audit on the same inputs and say whether the
results are identical (the run record: gkcheck/policy/record.py).

Exit 0: identical; 1: some reports differ (named); 2: cannot verify — the file is not a gkcheck
result with a run record, an input is missing or its bytes changed, or gkcheck's version, a rule
pack, the scorecard, the waivers, the baseline or the configuration differ from the record.
"""

from __future__ import annotations

import json
import os
import sys

import click

from gkcheck.cli.base import Command
from gkcheck.cli.options import EXIT_ERROR, EXIT_FAIL, EXIT_PASS, die

SHOWN = 10  # names of missing inputs, differing reports, ... listed before "等 N 份"
COMPARED = ("summary", "fail_on", "fixed", "unused_waivers", "expired_waivers")


@click.command(cls=Command)
@click.argument("result")
@click.option("--base", help="报告路径的起点目录（默认：当前目录；找不到输入时用结果文件所在目录）")
def verify(result, base):
    """复核：按 JSON 结果中的运行记录，对同样的输入重新检查，比较结果是否相同。

    退出码：0 相同；1 有报告的结果不同（逐份列出）；2 无法复核（缺少输入、输入已改变、
    gkcheck 版本或规则包、评分表、豁免、基线、配置与记录不同）。
    """
    result = os.path.abspath(result)
    doc = _load(result)
    run = doc["run"]
    here = os.getcwd()
    os.chdir(_base(doc, result, base))
    try:
        problems = _unverifiable(doc, run)
        if problems:
            _stop(problems)
        differing, rerun = _rerun(result, run)
    finally:
        os.chdir(here)
    extra = [k for k in COMPARED if k in doc and _plain(doc[k]) != _plain(rerun.get(k))]
    n = len(doc["inputs"])
    from gkcheck.output.terminal import shown

    label = shown(f"gkcheck {run['version']}，规则包 {len(run['rule_packs'])} 个，"
                  f"评分表 {(run.get('scorecard') or {}).get('id')}")
    if not differing and not extra:
        click.echo(f"复核一致：{n} 份报告的结果与记录相同（{label}；记录于 {shown(str(run.get('time')))}）")
        sys.exit(EXIT_PASS)

    click.echo(f"复核不一致：{len(differing)} / {n} 份报告的结果与记录不同（{label}）")
    for source, diffs in differing[:SHOWN]:
        click.echo(shown(f"  {source}：" + "；".join(diffs[:5]) + (f"；等 {len(diffs)} 处" if len(diffs) > 5 else "")))
    if len(differing) > SHOWN:
        click.echo(f"  …等 {len(differing)} 份")
    if extra:
        click.echo(f"  整体字段不同：{'、'.join(extra)}")
    sys.exit(EXIT_FAIL)


def _scan(path: str, on_report) -> dict:
    """The result's top-level fields; each report is handed to on_report, none is kept (the JSON
    of 5,000 reports is 250 MB, a gigabyte as Python objects)."""
    from gkcheck.util.jsonscan import scan

    try:
        with open(path, "rb") as fh:
            return scan(fh, "reports", on_report)
    except FileNotFoundError:
        die(f"{path}: 文件不存在")
    except OSError as exc:
        die(f"{path}: 无法读取: {exc.strerror}")
    except UnicodeDecodeError:
        die(f"{path}: 不是 UTF-8 编码")
    except json.JSONDecodeError as exc:
        die(f"{path}: 第{exc.lineno}行: 不是有效的 JSON: {exc.msg}")
    except ValueError as exc:
        die(f"{path}: 不是有效的 JSON: {exc}")


def _load(path: str) -> dict:
    """First pass: the top-level fields, and of each report only its inputs and their sha256."""
    inputs: list = []

    def keep(entry):
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
            raise ValueError("reports 中的每一项应有 source")
        prev = (entry.get("report") or {}).get("previous") or {}
        inputs.append((entry["source"], entry.get("sha256"), prev.get("source"), prev.get("sha256")))

    doc = _scan(path, keep)
    if not isinstance(doc.get("tool"), dict) or doc["tool"].get("name") != "gkcheck" or "reports" not in doc:
        die(f"{path}: 不是 gkcheck 的 JSON 结果（gkcheck check/audit --format json）")
    run = doc.get("run")
    if not isinstance(run, dict) or run.get("gkcheck_run") != 1:
        die(f"{path}: 没有运行记录（run），无法复核；请用带运行记录的 gkcheck 重新生成")
    if doc.get("interrupted"):
        die(f"{path}: 这次检查被中断，结果不完整，无法复核")
    _check_record(run, path)
    doc["inputs"] = inputs
    return doc


_FILE = {"anyOf": [{"type": "null"}, {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string"}, "sha256": {"type": "string"}}}]}
_WORDS = {"type": "array", "items": {"type": "string"}}
# The fields of the run record (gkcheck/policy/record.py) that verify reads, with their types.
RECORD_SCHEMA = {
    "type": "object",
    "required": ["version", "rule_packs", "options"],
    "properties": {
        "version": {"type": "string"}, "time": {"type": "string"}, "command": {"enum": ["check", "audit"]},
        "config": _FILE,
        "scorecard": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string"}, "id": {"type": "string"}, "sha256": {"type": "string"}}}]},
        "rule_packs": {"type": "array", "items": {"type": "object", "required": ["pack", "sha256"], "properties": {
            "pack": {"type": "string"}, "file": {"type": "string"}, "sha256": {"type": "string"}}}},
        "options": {"type": "object", "properties": {
            "profile": _WORDS, "rules_dirs": _WORDS, "fail_on": {"type": ["string", "null"]},
            "disabled": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
            "severity": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["to", "reason"], "properties": {"to": {"type": "string"}}}},
            "waivers": {"anyOf": [_FILE, {"type": "object", "required": ["inline"],
                                          "properties": {"inline": {"type": "array"}}}]},
            "baseline": _FILE, "overrides": {"type": "object"}, "today": {"type": "string"}}},
    },
}


def _check_record(run: dict, path: str) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(RECORD_SCHEMA).iter_errors(run))
    if error is not None:
        where = "run" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        die(f"{path}: 运行记录不完整或已损坏（{where}），无法复核")


def _base(doc: dict, result: str, base: str | None) -> str:
    if base:
        if not os.path.isdir(base):
            die(f"{base}: 目录不存在")
        return base
    sources = [i[0] for i in doc["inputs"]]
    if not sources or any(os.path.exists(s) for s in sources):
        return "."
    beside = os.path.dirname(os.path.abspath(result))
    return beside if any(os.path.exists(os.path.join(beside, s)) for s in sources) else "."


def _sha(path: str) -> str | None:
    from gkcheck.api import file_digest

    return file_digest(path, many=True) if os.path.isfile(path) else None


def _unverifiable(doc: dict, run: dict) -> list[str]:
    """Why the recorded run cannot be repeated here, if it cannot."""
    from gkcheck import __version__

    problems = []
    if run.get("version") != __version__:
        problems.append(f"gkcheck 版本不同：记录为 {run.get('version')}，本机为 {__version__}")
    for label, item in (("配置文件", run.get("config")), ("豁免文件", run["options"].get("waivers")),
                        ("基线文件", run["options"].get("baseline"))):
        if item and item.get("file") and "sha256" in item:
            now = _sha(item["file"])
            if now is None:
                problems.append(f"{label}不存在：{item['file']}")
            elif now != item["sha256"]:
                problems.append(f"{label}已改变：{item['file']}")
    missing, changed = [], []
    for source, sha, prev, prev_sha in doc["inputs"]:
        for path, digest in ((source, sha), (prev, prev_sha)) if prev else ((source, sha),):
            now = _sha(path)
            if now is None:
                missing.append(path)
            elif digest and now != digest:
                changed.append(path)
    for label, names in (("输入文件不存在", missing), ("输入文件已改变（sha256 不同）", changed)):
        names = list(dict.fromkeys(names))
        if names:
            more = f" 等 {len(names)} 个" if len(names) > SHOWN else ""
            problems.append(f"{label}：{'、'.join(names[:SHOWN])}{more}")
    return problems


def _stop(problems: list[str]) -> None:
    from gkcheck.output.terminal import shown

    click.echo("无法复核：", err=True)
    for p in problems:
        click.echo(f"  {shown(p)}", err=True)  # file names from the record: shown, never run by the terminal
    sys.exit(EXIT_ERROR)


def _config(run: dict):
    """The settings of the recorded run, as a Config (the configuration file is not searched for)."""
    from gkcheck.policy.config import DEFAULTS, Config

    o = run["options"]
    waivers = o.get("waivers")
    values = dict(DEFAULTS)
    values.update(profile=o.get("profile") or [], rules_dirs=o.get("rules_dirs") or [], fail_on=o.get("fail_on"),
                  disable=[{"rule": r, "reason": why} for r, why in (o.get("disabled") or {}).items()],
                  severity={r: {"level": v["to"], "reason": v["reason"]} for r, v in (o.get("severity") or {}).items()},
                  waivers=(waivers.get("inline") if "inline" in waivers else waivers["file"]) if waivers else None,
                  baseline=(o.get("baseline") or {}).get("file"),
                  scorecard=_scorecard_file(run.get("scorecard")))
    for key in ("agency_kind", "agency_level", "province"):
        values[key] = (o.get("overrides") or {}).get(key)
    path = (run.get("config") or {}).get("file")
    text = ""
    if path and os.path.isfile(path):
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    kind = "toml" if path and path.endswith("pyproject.toml") else "yaml"
    return Config(values, dict.fromkeys(values, "运行记录"), path, text, kind, os.path.dirname(path or "") or ".")


def _scorecard_file(card: dict | None) -> str | None:
    from gkcheck.policy.score import DEFAULT_NAME

    if not card or card.get("file") == DEFAULT_NAME:
        return None
    return card["file"]


def _rerun(path: str, run: dict) -> tuple[list[tuple[str, list[str]]], dict]:
    """Second pass: each report read from the result, checked again and compared, one at a time
    (neither side is kept): the reports that differ and how, and the document-wide fields of the
    re-run."""
    from gkcheck.api import check_file
    from gkcheck.cli.options import load_rules
    from gkcheck.errors import GkError
    from gkcheck.policy import Run
    from gkcheck.policy.record import packs

    cfg = _config(run)
    ruleset = load_rules(cfg["rules_dirs"])
    recorded = {p["pack"]: p["sha256"] for p in run["rule_packs"]}
    current = {p["pack"]: p["sha256"] for p in packs(ruleset)}
    if recorded != current:
        names = sorted(k for k in recorded.keys() | current.keys() if recorded.get(k) != current.get(k))
        _stop([f"规则包与记录不同：{'、'.join(names)}"])
    today = run["options"].get("today")
    saved = os.environ.get("GKCHECK_TODAY")
    if today:
        os.environ["GKCHECK_TODAY"] = today  # waivers expire as they did on the day of the run
    try:
        settings = Run(cfg, ruleset, command=run.get("command", "check"), overrides=run["options"].get("overrides"))
    except GkError as exc:
        _stop([str(exc)])
    finally:
        if today:
            if saved is None:
                os.environ.pop("GKCHECK_TODAY", None)
            else:
                os.environ["GKCHECK_TODAY"] = saved
    card = run.get("scorecard")
    if card and settings.policy.scorecard and settings.policy.scorecard.sha256 != card.get("sha256"):
        _stop([f"评分表与记录不同：{card.get('file')}"])
    overrides = run["options"].get("overrides") or {}
    profile = run["options"].get("profile") or None
    differing, marks = [], []
    summary = {"reports": 0, "pass": 0, "fail": 0, "error": 0}

    def compare(old: dict) -> None:
        prev = (old.get("report") or {}).get("previous")
        new = check_file(old["source"], settings.ruleset, overrides, profile, prev["source"] if prev else None)
        mark = settings.policy.apply(new)
        if mark:
            marks.append(mark)
        summary["reports"] += 1
        summary[new["verdict"]] += 1
        diffs = _differences(old, new)
        if diffs:
            differing.append((old["source"], diffs))

    _scan(path, compare)
    return differing, {"summary": summary, **settings.policy.extras(marks)}


def _plain(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _differences(old: dict, new: dict) -> list[str]:
    """What differs between a recorded entry and the re-run one, in words (empty: identical)."""
    old, new = _plain(old), _plain(new)
    if old == new:
        return []
    out = []
    if old.get("verdict") != new.get("verdict"):
        out.append(f"结论 {old.get('verdict')} → {new.get('verdict')}")
    before = {r["rule"]: r for r in old.get("results") or []}
    after = {r["rule"]: r for r in new.get("results") or []}
    for rule in list(dict.fromkeys([*before, *after])):
        a, b = before.get(rule), after.get(rule)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{rule} {'新出现' if a is None else '不再出现'}")
        elif a["status"] != b["status"]:
            out.append(f"{rule} {a['status']} → {b['status']}")
        else:
            fields = [k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
            out.append(f"{rule} 的 {'、'.join(fields)} 不同")
    if (old.get("score") or {}).get("total") != (new.get("score") or {}).get("total"):
        out.append(f"得分 {(old.get('score') or {}).get('total')} → {(new.get('score') or {}).get('total')}")
    if not out:
        fields = [k for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
        out.append(f"{'、'.join(fields)} 不同")
    return out

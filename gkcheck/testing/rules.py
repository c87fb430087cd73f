"""Rule cases as data: each rule is tested by passing and failing reports kept in YAML.

A case file:

    rule: content.2007.fees          # the rule under test
    defaults: {year: 2016}           # optional, merged into every case's report
    cases:
      - name: 否定表述也是收费说明
        report: {sections: [{heading: 收费情况, text: 未收取任何费用。}]}
        expect: pass                  # pass | fail | not_applicable
      - name: 没有收费说明
        text: |                       # or narrative text, extracted as a .txt file would be
          …
        expect: fail
        message_contains: 收费及减免   # optional: a string or a list of strings

`message_contains` makes the case say why: every string must occur in the result's
message (the rendered `message.zh` for a failure, "符合：…" for a pass, "不适用：<reason>"
for not_applicable). A status match whose message lacks one of them does not count as a
match: `actual` then reads e.g. `fail（消息中没有“收费及减免”）`, so both pytest and
`gkcheck rules test` report the case with the message in `detail`.

The same runner serves pytest (tests/test_rule_cases.py) and `gkcheck rules test`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from gkcheck.errors import RuleError

BASE_REPORT = {"year": 2016, "agency": {"name": "测试厅", "kind": "department", "level": "provincial"}}


@dataclass
class CaseResult:
    file: str
    rule: str
    name: str
    expect: str
    actual: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.expect == self.actual


def merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def case_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            sub = p / "cases" if (p / "cases").is_dir() else p
            found = sorted(sub.rglob("*.yaml")) + sorted(sub.rglob("*.yml"))
            if sub == p and any(_is_rule_file(f) for f in found):
                raise RuleError(f"这是规则目录，但没有 cases/ 子目录：它的用例应放在 {p / 'cases'}/*.yaml"
                                "（每个用例文件写 rule 和 cases，见 docs/provincial-pack.md）", file=str(p))
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise RuleError("用例文件或目录不存在", file=str(p))
    return files


def _is_rule_file(path: Path) -> bool:
    """A rule file (top-level pack: and rules:), not a case file."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(re.search(r"(?m)^rules\s*:", text)) and bool(re.search(r"(?m)^pack\s*:", text))


def load_cases(path: Path) -> tuple[str, list[dict]]:
    try:
        from gkcheck.util.yamlio import load

        data = load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:  # ValueError: too deep, an alias bomb
        raise RuleError(f"无法读取用例: {exc}", file=str(path)) from None
    if isinstance(data, dict) and "pack" in data and "rules" in data:
        raise RuleError(f"这是规则文件，不是用例文件：用例应放在 {path.parent / 'cases'}/*.yaml", file=str(path))
    if not isinstance(data, dict) or "rule" not in data or not isinstance(data.get("cases"), list):
        raise RuleError("用例文件须包含 rule 和 cases 列表", file=str(path))
    defaults = merge(BASE_REPORT, data.get("defaults") or {})
    cases = []
    for i, case in enumerate(data["cases"]):
        if case.get("expect") not in ("pass", "fail", "not_applicable"):
            raise RuleError("expect 须为 pass / fail / not_applicable", file=str(path), where=f"用例 #{i + 1}")
        wanted = case.get("message_contains")
        if wanted is not None:
            wanted = [wanted] if isinstance(wanted, str) else wanted
            if not isinstance(wanted, list) or not wanted or not all(isinstance(w, str) and w for w in wanted):
                raise RuleError("message_contains 须为非空字符串或字符串列表", file=str(path), where=f"用例 #{i + 1}")
            case = {**case, "message_contains": wanted}
        cases.append({**case, "_defaults": defaults, "name": case.get("name") or f"#{i + 1}"})
    return data["rule"], cases


def build_case_report(case: dict, file: str):
    from gkcheck.api import apply_overrides
    from gkcheck.report.load import validate_report
    from gkcheck.report.model import Report

    if "text" in case:
        from gkcheck.extract.text import build_report

        data = build_report(case["text"], {"path": file, "form": "text"})
        # facts the case states explicitly win over extraction (a case may omit the title)
        data = merge(data, {k: v for k, v in case["_defaults"].items() if k not in data or not data[k]})
        data = merge(data, case.get("report") or {})
    else:
        data = merge(case["_defaults"], case.get("report") or {})
        validate_report(data, f"{file}: {case['name']}")
    data = apply_overrides(data, case.get("overrides"))
    report = Report(data, source=file)
    if case.get("previous"):
        report.previous = Report(merge(case["_defaults"], case["previous"]), source=file)
    return report


def run_case(ruleset, rule_id: str, case: dict, file: str) -> CaseResult:
    from gkcheck.engine import run_rule

    rule = ruleset.get(rule_id)
    if rule is None:
        return CaseResult(file, rule_id, case["name"], case["expect"], "missing-rule", "规则不存在")
    report = build_case_report(case, file)
    result = run_rule(rule, report)
    actual, message = result["status"], result["message"]
    absent = [w for w in case.get("message_contains") or [] if w not in message]
    if absent:
        actual = f"{actual}（消息中没有{'、'.join(f'“{w}”' for w in absent)}）"
    return CaseResult(file, rule_id, case["name"], case["expect"], actual, message)


def run_all(ruleset, paths: list[str]) -> list[CaseResult]:
    out = []
    for f in case_files(paths):
        rule_id, cases = load_cases(f)
        out += [run_case(ruleset, rule_id, c, str(f)) for c in cases]
    return out

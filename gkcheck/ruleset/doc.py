"""Rule reference in Markdown, generated from the rule files (docs/rules.md)."""

from __future__ import annotations

import yaml

from gkcheck.ruleset.model import basis_text


class _PlainDumper(yaml.SafeDumper):
    """Shared YAML anchors in a rule file are written out in full: the same text with or
    without the rule cache, and readable on its own."""

    def ignore_aliases(self, data):
        return True


SEVERITY = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}


def _applies(applies: dict) -> str:
    parts = []
    years = applies.get("years") or {}
    if years:
        parts.append(f"报告年度 {years.get('from', '…')}–{years.get('to', '…')}")
    for key, label in (("agency_kind", "机关类型"), ("agency_level", "层级"), ("province", "省份"), ("forms", "输入")):
        if applies.get(key):
            parts.append(f"{label} {'/'.join(applies[key])}")
    return "；".join(parts) or "全部报告"


def rule_markdown(rule) -> str:
    check = yaml.dump({"kind": rule.kind, **rule.params}, Dumper=_PlainDumper, allow_unicode=True,
                      sort_keys=False).rstrip()
    lines = [
        f"### `{rule.id}` {rule.title}",
        "",
        f"- 严重程度：{SEVERITY[rule.severity]}",
        f"- 依据：{'；'.join(basis_text(b) for b in rule.basis)}",
        f"- 适用：{_applies(rule.applies)}",
        f"- 规则包：`{rule.pack}`",
        f"- 不通过时的提示：{rule.message['zh']}",
    ]
    notes = [b["note"] for b in rule.basis if b.get("note")]
    if notes:
        lines.append(f"- 说明：{' '.join(notes)}")
    if rule.description:
        lines += ["", rule.description.strip()]
    lines += ["", "```yaml", check, "```", ""]
    return "\n".join(lines)


def ruleset_markdown(ruleset) -> str:
    out = ["# 规则参考（自动生成）", "",
           "本文件由 `gkcheck rules doc -o docs/rules.md --force` 从 rules/ 生成，请勿手工编辑。", ""]
    for pack in ruleset.packs:
        out += [f"## {pack.title}（`{pack.id}`）", "", f"适用：{_applies(pack.applies)}", ""]
        if pack.description:
            out += [pack.description.strip(), ""]
        for rule in pack.rules:
            out.append(rule_markdown(rule))
    return "\n".join(out).rstrip() + "\n"

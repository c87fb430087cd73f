"""The headings of the national format, present and in order.

    kind: section_order
    headings:
      - {name: 一、总体情况, pattern: "总体情况|概述"}
      - ...

Each pattern is searched in the section labels (number and heading as printed, e.g.
"三、收到和处理政府信息公开申请情况"); by default only top-level sections count, so that a
"（二）依申请公开" under 总体情况 is not taken for section 三. The first matching section is
the heading's place; wording deviations are whatever the patterns tolerate.
"""

from __future__ import annotations

from gkcheck.result import Outcome
from gkcheck.util import regex

PARAMS = {
    "type": "object",
    "required": ["headings"],
    "additionalProperties": False,
    "properties": {
        "headings": {
            "type": "array", "minItems": 2,
            "items": {"type": "object", "required": ["name", "pattern"], "additionalProperties": False,
                      "properties": {"name": {"type": "string"}, "pattern": {"type": "string"}}},
        },
        "level": {"enum": ["top", "any"], "description": "which sections are searched (default top)"},
    },
}


def _label(sec) -> str:
    number = sec.number or ""
    return sec.heading if not number or sec.heading.startswith(number) else f"{number}{sec.heading}"


def compile(params: dict):
    headings = [(h["name"], regex.compile(h["pattern"])) for h in params["headings"]]
    top_only = params.get("level", "top") == "top"

    def run(report) -> Outcome:
        labelled = [(s, _label(s)) for s in report.sections if not top_only or s.parent is None]
        found = []  # (order in the format, section)
        taken: set[int] = set()
        for i, (name, pattern) in enumerate(headings):
            for sec, label in labelled:
                if sec.index not in taken and pattern.search(label):
                    taken.add(sec.index)
                    found.append((i, name, sec))
                    break
        missing = [name for name, _ in headings if name not in {n for _, n, _ in found}]
        in_doc = sorted(found, key=lambda f: f[2].index)
        out_of_order = [f for k, f in enumerate(in_doc) if any(g[0] > f[0] for g in in_doc[:k])]
        evidence = [{"text": _label(sec), "value": name,
                     "location": {"section": sec.path, **({"line": sec.line} if sec.line else {})}}
                    for _, name, sec in in_doc]
        problems = ([f"缺少 {'、'.join(missing)}"] if missing else []) + \
                   ([f"位置不对 {'、'.join(n for _, n, _ in out_of_order)}"] if out_of_order else [])
        values = {"missing": "、".join(missing), "order": " → ".join(_label(s) for _, _, s in in_doc) or "（无）",
                  "misplaced": "、".join(n for _, n, _ in out_of_order), "problems": "；".join(problems)}
        if missing or out_of_order:
            loc = evidence[0]["location"] if evidence else None
            return Outcome.failed(evidence, loc, **values)
        return Outcome.passed(evidence, evidence[0]["location"], **values)

    return run

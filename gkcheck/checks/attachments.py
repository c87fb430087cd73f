"""Every attachment the text refers to (附件：…) is present in the published report."""

from __future__ import annotations

from gkcheck.result import Outcome

PARAMS = {"type": "object", "additionalProperties": False, "properties": {}}


def compile(params: dict):
    def run(report) -> Outcome:
        items = report.data.get("attachments") or []
        absent = [a for a in items if not a.get("present")]
        evidence = [{"text": f"附件：{a['title']}", "location": a.get("location")} for a in absent]
        titles = "、".join(a["title"] for a in absent)
        if absent:
            return Outcome.failed(evidence, absent[0].get("location"), titles=titles)
        return Outcome.passed(titles="")

    return run

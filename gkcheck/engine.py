"""Running checks: every applicable rule of the chosen packs yields a result.

The engine holds no global state; a RuleSet is compiled once and reused for any number of
reports (and processes).
"""

from __future__ import annotations

from gkcheck.report.model import Report
from gkcheck.result import FAIL, NOT_APPLICABLE, PASS, Outcome
from gkcheck.ruleset.model import Rule, RuleSet, applicability, basis_text
from gkcheck.util import regex

_PLACEHOLDER = regex.compile(r"\{(\w+)\}")


def render(template: str, values: dict) -> str:
    """Fill {name} placeholders; unknown names stay as written (no attribute access, no format spec)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


def run_rule(rule: Rule, report: Report, forced: bool = False, ruleset: RuleSet | None = None,
             seen: dict | None = None) -> dict:
    """One rule's result; `forced` (packs named with --profile) drops the pack's own conditions.
    `seen` keeps the answers of one report's applicability questions (rules share conditions)."""
    applies = rule.own_applies if forced and rule.own_applies is not None else rule.applies
    if seen is None:
        reason = applicability(applies, report)
    elif id(applies) in seen:
        reason = seen[id(applies)]
    else:
        reason = seen[id(applies)] = applicability(applies, report)
    outcome = Outcome.not_applicable(reason) if reason else rule.run(report)
    year = report.year
    if ruleset is not None:
        basis, basis_line = ruleset.basis(rule, year)
    else:
        basis = rule.basis_for(year)
        basis_line = "；".join(basis_text(b) for b in basis)
    status = outcome.status
    values = {"year": year, "next_year": year + 1, **outcome.values} \
        if status == FAIL or (status == PASS and rule.pass_message) else None
    if status == FAIL:
        message = render(rule.message["zh"], values)
    elif status == PASS:
        message = render(rule.pass_message["zh"], values) if rule.pass_message else f"符合：{rule.title}"
    else:
        message = f"不适用：{outcome.reason}"
    result = {
        "rule": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "status": outcome.status,
        "basis": basis_line,
        "basis_detail": basis,
        "message": message,
        "evidence": outcome.evidence,
        "location": outcome.location,
    }
    if outcome.status == FAIL and rule.message.get("en"):
        result["message_en"] = render(rule.message["en"], values)
    if outcome.status == NOT_APPLICABLE:
        result["reason"] = outcome.reason
    return result


def summarize(report: Report) -> dict:
    data = report.data
    return {
        "agency": data.get("agency"),
        "year": data.get("year"),
        "title": data.get("title"),
        "published": data.get("published"),
        "signed": data.get("signed"),
        "period": {k: v for k, v in (data.get("period") or {}).items() if k in ("start", "end")} or None,
        "form": report.form,
        "notes": data.get("notes") or [],
        # facts that could not be read: why, and the option that supplies each
        "unknown": data.get("unknown") or {},
        # the report the cross-year rules compared with (--previous, or paired in a batch)
        "previous": {"source": report.previous.source, "year": report.previous.year} if report.previous else None,
    }


def audit(report: Report, ruleset: RuleSet, profile: list[str] | None = None) -> dict:
    packs = ruleset.packs_for(report, profile)
    forced, seen = bool(profile), {}
    results = [run_rule(rule, report, forced, ruleset, seen) for pack in packs for rule in pack.rules]
    if report.data.get("printed"):  # read in simplified characters: quote the evidence as printed
        for result in results:
            for item in result["evidence"] or []:
                if isinstance(item, dict) and isinstance(item.get("text"), str):
                    item["text"] = report.as_printed(item["text"], (item.get("location") or {}).get("line"))
    failed_error = any(r["status"] == FAIL and r["severity"] == "error" for r in results)
    return {
        "source": report.source,
        "verdict": "fail" if failed_error else "pass",
        "error": None,
        "report": summarize(report),
        "packs": [{"id": p.id, "title": p.title} for p in packs],
        "results": results,
    }


def error_entry(source: str, message: str) -> dict:
    return {"source": source, "verdict": "error", "error": message, "report": None, "packs": [], "results": []}


def document(reports: list[dict]) -> dict:
    """The audit document of the JSON contract: the tool, one entry per report, the verdict counts."""
    from gkcheck import __version__

    summary = {"reports": len(reports), "pass": 0, "fail": 0, "error": 0}
    for r in reports:
        summary[r["verdict"]] += 1
    return {"tool": {"name": "gkcheck", "version": __version__}, "reports": reports, "summary": summary}


__all__ = ["audit", "basis_text", "document", "error_entry", "render", "run_rule"]

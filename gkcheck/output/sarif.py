"""SARIF 2.1.0 for code-scanning services (e.g. GitHub's upload-sarif): one run, the rule
catalogue as tool.driver.rules, one result per finding (failing, waived or baselined).

Every result has a region with startLine (GitHub code scanning needs one): the finding's line
when it is a line of the file (text, YAML and JSON reports). For HTML, PDF and Word reports the
line is one of the extracted text; the place (page, table, row, column, extracted-text line) is
then written in the message and in the result's properties ("location", "where"), and the
result is shown at line 1, as is one with no line at all (a missing section or statement),
with the message saying so. partialFingerprints carry the evidence fingerprint of result.py
(the rule and the evidence, not the line): an alert keeps its identity when lines move."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SHOWN = ("fail", "waived")


def uri(source: str) -> str:
    path = Path(source)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix(), safe="/")


def line_of(result: dict) -> int | None:
    """The finding's line, else the first evidence line (a finding may point at a section).
    Whether it is a line of the file depends on the report's form: see file_line()."""
    for loc in [result.get("location")] + [e.get("location") for e in result.get("evidence") or []
                                          if isinstance(e, dict)]:
        if isinstance(loc, dict) and isinstance(loc.get("line"), int) and loc["line"] > 0:
            return loc["line"]
    return None


def file_line(entry: dict, result: dict | None) -> int | None:
    """line_of(result) when it is a line of the report file (text, YAML, JSON), else None."""
    from gkcheck.output.text import file_lines, form_of

    return line_of(result) if result and file_lines(form_of(entry)) else None


def place(entry: dict, result: dict) -> str:
    """Where a finding is, in words, for reports whose lines are not the file's (else "")."""
    from gkcheck.output.text import _where, file_lines, finding_location, form_of

    form = form_of(entry)
    return "" if file_lines(form) else _where(finding_location(result), form)


def _descriptor(rule) -> dict:
    from gkcheck.ruleset.doc import rule_markdown
    from gkcheck.ruleset.model import basis_text

    basis = "；".join(basis_text(b) for b in rule.basis)
    help_text = "\n".join(x for x in (rule.title, f"依据：{basis}", rule.description.strip(),
                                      f"不通过时：{rule.message['zh']}") if x)
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description.strip() or rule.title},
        "help": {"text": help_text, "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"basis": basis, "basis_detail": rule.basis, "pack": rule.pack, "tags": [rule.pack]},
    }


def _descriptor_from_result(res: dict) -> dict:
    return {"id": res["rule"], "shortDescription": {"text": res["title"]},
            "help": {"text": f"{res['title']}\n依据：{res['basis']}"},
            "defaultConfiguration": {"level": LEVEL[res["severity"]]},
            "properties": {"basis": res["basis"], "basis_detail": res.get("basis_detail") or []}}


def _location(entry: dict, res: dict | None) -> dict:
    physical = {"artifactLocation": {"uri": uri(entry["source"])}}
    if res is not None:
        physical["region"] = {"startLine": file_line(entry, res) or 1}
    logical = [{"name": Path(entry["source"]).name, "fullyQualifiedName": entry["source"], "kind": "resource"}]
    section = ((res or {}).get("location") or {}).get("section")
    if section:
        logical.append({"name": section, "fullyQualifiedName": f"{entry['source']} > {section}", "kind": "element"})
    return {"physicalLocation": physical, "logicalLocations": logical}


def _result(entry: dict, res: dict, index: int, doc: dict) -> dict:
    from gkcheck.output.text import finding_location, form_of
    from gkcheck.result import fingerprint

    where = place(entry, res)
    if where:
        shown = f"；位置：{where}（标注在文件第1行）"
    elif file_line(entry, res) is None:
        shown = "；报告中没有对应的位置（如缺少的章节或说明），标注在第1行"
    else:
        shown = ""
    out = {
        "ruleId": res["rule"],
        "ruleIndex": index,
        "kind": "fail",
        "level": LEVEL[res["severity"]],
        "message": {"text": f"{res['message']}（依据：{res['basis']}{shown}）"},
        "locations": [_location(entry, res)],
        "partialFingerprints": {"gkcheckEvidence/v1": fingerprint(res)},
        "properties": {"status": res["status"], "severity": res["severity"], "evidence": res.get("evidence") or [],
                       "form": form_of(entry)},
    }
    loc = finding_location(res)
    if loc:
        out["properties"]["location"] = loc
    if where:
        out["properties"]["where"] = where
    if res.get("severity_override"):
        out["properties"]["severity_override"] = res["severity_override"]
    if "unused_waivers" in doc:  # waivers in use: say explicitly which results are not suppressed
        out["suppressions"] = []
    if res["status"] == "waived":
        w = res["waiver"]
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": w["reason"],
                                "properties": {"approver": w["approver"], "expires": w["expires"],
                                               "source": w["source"]}}]
    if "fixed" in doc:
        out["baselineState"] = "unchanged" if res.get("baseline") else "new"
    return out


def render(doc: dict, ruleset=None, **_options) -> str:
    rules, index = [], {}
    for rule in (ruleset.rules if ruleset is not None else []):
        index[rule.id] = len(rules)
        rules.append(_descriptor(rule))
    results, notifications, overrides = [], [], {}
    for entry in doc["reports"]:
        if entry["verdict"] == "error":
            notifications.append({"level": "error", "message": {"text": f"无法检查：{entry['error']}"},
                                  "locations": [_location(entry, None)]})
            continue
        for d in entry.get("disabled") or []:
            overrides[d["rule"]] = {"descriptor": {"id": d["rule"]},
                                    "configuration": {"enabled": False, "properties": {"reason": d["reason"]}}}
        for res in entry["results"]:
            if res["status"] not in SHOWN:
                continue
            if res["rule"] not in index:
                index[res["rule"]] = len(rules)
                rules.append(_descriptor_from_result(res))
            results.append(_result(entry, res, index[res["rule"]], doc))
    invocation = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    if overrides:
        invocation["ruleConfigurationOverrides"] = list(overrides.values())
    tool = doc.get("tool") or {}
    run = {
        "tool": {"driver": {"name": "gkcheck", "version": tool.get("version", ""),
                            "semanticVersion": tool.get("version", ""), "rules": rules}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"summary": doc.get("summary", {})},
    }
    for key in ("fail_on", "fixed", "unused_waivers", "expired_waivers"):
        if key in doc:
            run["properties"][key] = doc[key]
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, ensure_ascii=False, indent=2, default=str) + "\n"

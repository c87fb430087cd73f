"""JUnit XML for CI test reports (GitLab, Jenkins, …): a testsuite per report, a testcase per
rule evaluated. Failing findings are <failure>, not-applicable, waived and baselined ones are
<skipped>, an unreadable report is a testsuite with one <error>.

Report text is shown with control characters (form feeds and vertical tabs from PDFs, ESC, …)
and bidi overrides as visible escapes (output/terminal.py), as in the text format; what XML 1.0
still does not allow (U+FFFE/U+FFFF, lone surrogates) is dropped: ElementTree writes such
characters as they are, and no XML parser then reads the file. The testcase's `line` is
given only for text, YAML and JSON reports; for HTML, PDF and Word reports places are named
in words (第N页, 表格N, 抽取文本第N行)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gkcheck.util.xmltext import xml_text

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
def _clean(root: ET.Element) -> None:
    for el in root.iter():
        if el.text:
            el.text = xml_text(el.text)
        if el.tail:
            el.tail = xml_text(el.tail)
        for key, value in el.attrib.items():
            el.attrib[key] = xml_text(value)


def _details(res: dict, form: str | None) -> str:
    from gkcheck.output.text import _where

    lines = [f"严重程度：{SEVERITY.get(res['severity'], res['severity'])}", f"依据：{res['basis']}"]
    for ev in (res.get("evidence") or [])[:5]:
        if isinstance(ev, dict):
            text = ev.get("text") if ev.get("text") is not None else ev.get("value")
            where = _where(ev.get("location"), form)
            lines.append(f"证据：{text}" + (f"（{where}）" if where else ""))
        else:
            lines.append(f"证据：{ev}")
    where = _where(res.get("location"), form)
    if where:
        lines.append(f"位置：{where}")
    return "\n".join(lines)


def _testcase(suite: ET.Element, entry: dict, res: dict) -> tuple[str, str]:
    from gkcheck.output.text import file_lines, form_of

    form = form_of(entry)
    case = ET.SubElement(suite, "testcase", name=f"{res['rule']} {res['title']}", classname=entry["source"],
                         file=entry["source"], time="0")
    loc = res.get("location") or {}
    if isinstance(loc.get("line"), int) and file_lines(form):
        case.set("line", str(loc["line"]))
    status = res["status"]
    if status == "fail" and not res.get("baseline"):
        node = ET.SubElement(case, "failure", message=res["message"], type=res["severity"])
        node.text = _details(res, form)
        return "failures", status
    if status == "waived":
        w = res["waiver"]
        message = f"已豁免：{w['reason']}（批准：{w['approver']}，有效至 {w['expires']}）"
    elif status == "fail":
        message = f"基线中已有的问题，不计入结果：{res['message']}"
    elif status == "not_applicable":
        message = res["message"]
    else:
        return "", status
    ET.SubElement(case, "skipped", message=message)
    return "skipped", status


def render(doc: dict, **_options) -> str:
    from gkcheck.output.terminal import shown_all

    doc = shown_all(doc)  # CI logs show these texts: control characters and bidi overrides escaped
    root = ET.Element("testsuites", name="gkcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for entry in doc["reports"]:
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        suite = ET.SubElement(root, "testsuite", name=entry["source"])
        if entry["verdict"] == "error":
            case = ET.SubElement(suite, "testcase", name="读取报告", classname=entry["source"],
                                 file=entry["source"], time="0")
            ET.SubElement(case, "error", message=entry["error"] or "", type="input")
            counts.update(tests=1, errors=1)
        else:
            info = entry.get("report") or {}
            props = ET.SubElement(suite, "properties")
            for name, value in (("agency", (info.get("agency") or {}).get("name")), ("year", info.get("year")),
                                ("form", info.get("form")), ("verdict", entry["verdict"]),
                                ("fail_on", doc.get("fail_on"))):
                if value is not None:
                    ET.SubElement(props, "property", name=name, value=str(value))
            for res in entry["results"]:
                counts["tests"] += 1
                bucket, _ = _testcase(suite, entry, res)
                if bucket:
                    counts[bucket] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    _clean(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

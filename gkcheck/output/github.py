"""GitHub Actions workflow commands: each finding becomes an annotation on the report file.

error → ::error, warning → ::warning, info → ::notice; waived and baselined findings are
::notice so that they are visible but do not look like new problems.

`line=` is given only for text, YAML and JSON reports, whose location lines are lines of the
file; for HTML, PDF and Word reports the place (page, table, extracted-text line) is written in
the message instead, so that GitHub does not mark an unrelated line of the file."""

from __future__ import annotations

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props) -> str:
    shown = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + shown if shown else ''}::{escape_data(message)}"


def render(doc: dict, **_options) -> str:
    from gkcheck.output.sarif import file_line, place
    from gkcheck.output.terminal import shown_all

    doc = shown_all(doc)  # report text: no control character reaches the log, no second command
    out = []
    for entry in doc["reports"]:
        source = entry["source"]
        if entry["verdict"] == "error":
            out.append(command("error", f"无法检查：{entry['error']}", file=source, title="gkcheck 无法检查"))
            continue
        for res in entry["results"]:
            status = res["status"]
            if status not in ("fail", "waived"):
                continue
            title = f"{res['rule']} {res['title']}"
            message = f"{res['message']}\n依据：{res['basis']}"
            kind = COMMAND[res["severity"]]
            if status == "waived":
                w = res["waiver"]
                kind, title = "notice", f"[已豁免] {title}"
                message += f"\n已豁免：{w['reason']}（批准：{w['approver']}，有效至 {w['expires']}）"
            elif res.get("baseline"):
                kind, title = "notice", f"[基线中已有] {title}"
            where = place(entry, res)
            if where:
                message += f"\n位置：{where}"
            line = file_line(entry, res)
            out.append(command(kind, message, file=source, line=str(line) if line else None, title=title))
    for w in doc.get("unused_waivers") or []:
        out.append(command("warning", f"豁免没有匹配任何问题：{w['rule']}（{w['source']}）", title="未使用的豁免"))
    for f in doc.get("fixed") or []:
        out.append(command("notice", f"基线中的问题本次未再出现：{f['rule']}", file=f["report"], title="已修复"))
    return "\n".join(out) + ("\n" if out else "")

"""Human text for the terminal; colour only when asked (the CLI asks when stdout is a TTY)."""

from __future__ import annotations

STATUS = {"pass": "通过", "fail": "不通过", "error": "无法检查"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
COLOURS = {"error": "31", "warning": "33", "info": "36", "pass": "32", "fail": "31"}


def _paint(text: str, key: str, color: bool) -> str:
    return f"\x1b[{COLOURS[key]}m{text}\x1b[0m" if color else text


def _where(loc: dict | None) -> str:
    if not loc:
        return ""
    parts = []
    if loc.get("page"):
        parts.append(f"第{loc['page']}页")
    if loc.get("line"):
        parts.append(f"第{loc['line']}行")
    if loc.get("section"):
        parts.append(loc["section"])
    if loc.get("path"):
        parts.append(loc["path"])
    return "，".join(parts)


def _evidence(item) -> str:
    if isinstance(item, dict):
        text = item.get("text") if item.get("text") is not None else item.get("value")
        where = _where(item.get("location"))
        return f"「{text}」" + (f"（{where}）" if where else "")
    return str(item)


def render_report(r: dict, color: bool = False, verbose: bool = False) -> list[str]:
    lines = [f"== {r['source']}"]
    if r["verdict"] == "error":
        lines.append(_paint(f"   无法检查：{r['error']}", "error", color))
        return lines
    info = r["report"]
    agency = info.get("agency") or {}
    lines.append(f"   {agency.get('name', '?')} · {info.get('year')} 年度 · 发布 {info.get('published') or '未知'}"
                 f" · 落款 {info.get('signed') or '未知'} · 适用 {'、'.join(p['id'] for p in r['packs']) or '无'}")
    for res in r["results"]:
        status = res["status"]
        if status == "pass" and not verbose or status == "not_applicable" and not verbose:
            continue
        if status == "fail":
            tag = _paint(f"[{SEVERITY[res['severity']]}]", res["severity"], color)
        elif status == "pass":
            tag = _paint("[通过]", "pass", color)
        else:
            tag = "[不适用]"
        lines.append(f"   {tag} {res['rule']} {res['message']}")
        if status == "fail":
            lines.append(f"       依据：{res['basis']}")
            for ev in res["evidence"][:5]:
                lines.append(f"       证据：{_evidence(ev)}")
            where = _where(res.get("location"))
            if where:
                lines.append(f"       位置：{where}")
    counts = {k: sum(1 for x in r["results"] if x["status"] == k) for k in ("pass", "fail", "not_applicable")}
    by_sev = {s: sum(1 for x in r["results"] if x["status"] == "fail" and x["severity"] == s) for s in SEVERITY}
    verdict = _paint(STATUS[r["verdict"]], r["verdict"], color)
    lines.append(f"   结论：{verdict}（通过 {counts['pass']}，不通过 {counts['fail']}"
                 f"：错误 {by_sev['error']}、警告 {by_sev['warning']}、提示 {by_sev['info']}；"
                 f"不适用 {counts['not_applicable']}）")
    return lines


def render(doc: dict, color: bool = False, verbose: bool = False, **_options) -> str:
    doc, tail = _view(doc)
    out: list[str] = []
    for r in doc["reports"]:
        out += render_report(r, color, verbose)
        out.append("")
    s = doc["summary"]
    if s["reports"] > 1:
        out.append(f"共 {s['reports']} 份：通过 {s['pass']}，不通过 {s['fail']}，无法检查 {s['error']}")
    out += tail
    return "\n".join(out).rstrip("\n") + "\n"


def _view(doc: dict) -> tuple[dict, list[str]]:
    """For the text format: waived findings leave the per-report list (they are listed after it),
    baselined ones are marked; plus the closing lines about waivers and the baseline."""
    marked = any(r["status"] == "waived" or r.get("baseline") for e in doc["reports"] for r in e.get("results") or [])
    if not marked and not any(doc.get(k) for k in ("fixed", "unused_waivers", "expired_waivers")):
        return doc, []
    from gkcheck import baseline, waivers

    reports = []
    for entry in doc["reports"]:
        results = []
        for res in entry.get("results") or []:
            if res["status"] == "waived":
                continue
            if res.get("baseline"):
                res = {**res, "message": f"〔基线中已有〕{res['message']}"}
            results.append(res)
        reports.append({**entry, "results": results})
    return {**doc, "reports": reports}, waivers.summary_lines(doc) + baseline.summary_lines(doc)

"""Narrative text → structured report.

Works on text as portals and crawlers publish it: metadata lines, a title, sections numbered
一、/(一)/1. either on their own lines or run together in one line, a signature date, 附件
lines, and footer noise. Locations are 1-based lines of the decoded text.
"""

from __future__ import annotations

import bisect
import re

from gkcheck.chinese.dates import find_dates, find_period, number, parse_date, year_of_title
from gkcheck.chinese.normalize import normalize
from gkcheck.report.agency import infer_agency
from gkcheck.extract.anchors import TABLE_ANCHORS

_CN_NUM = "一二三四五六七八九十"
_META_KEYS = (
    "索引号", "信息索引号", "发布机构", "发文机关", "生成日期", "发布日期", "发布时间", "成文日期", "主题分类",
    "组配分类", "公开形式", "公开方式", "公开范围", "公开时限", "体裁分类", "文号", "发文字号", "标题", "栏目",
    "原文链接", "信息来源", "来源", "访问次数", "浏览次数", "所属机构", "有效性", "本地目录", "作者",
)
_META_KEY_RE = re.compile(r"(" + "|".join(sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[:：]\s*")
_BODY_MARK = re.compile(r"^[=\-\s]*正\s*文[=\-\s]*$")
_NOISE = re.compile(
    r"^\s*(首页|打印|关闭|打印关闭|【?打印】?\s*【?关闭】?|分享到.*|扫一扫.*|返回顶部|字号.*|Produced By.*|Baidu|map|"
    r"当前位置.*|您当前的位置.*|.*>\s*信息公开.*|页面链接与图片详见.*|\[?表格\d+\]?)\s*$", re.I)
_LEVEL1 = re.compile(rf"(?:(?<=^)|(?<=[。；;！!？?\s:：]))\s*([{_CN_NUM}]{{1,3}})\s*[、.．]")
# Flattened tables run straight into the next heading ("…11082三、收到和处理…"): the usual
# section names are trusted after any character.
_LEVEL1_KNOWN = re.compile(
    rf"([{_CN_NUM}]{{1,3}})\s*、(?=\s*(总体情况|概述|主动公开|收到和处理|依申请公开|政府信息依申请|因政府信息公开|"
    rf"政府信息公开行政复议|政府信息公开的?收费|存在的?主要问题|主要问题|其他需要报告))")
_LEVEL2 = re.compile(
    rf"(?:(?<=^)|(?<=[。；;！!？?\s:：])|(?<=情况|概述|方面|措施|事项|工作))\s*\(([{_CN_NUM}]{{1,3}})\)")
_LEVEL3 = re.compile(r"(?m)^[ \t]*(\d{1,2})\s*[、.．](?!\d)")
# Row labels of the statistics table: a flattened table must not open sections.
_TABLE_LABEL = re.compile(r"^\s*(本年新收|上年结转|本年度办理结果|结转下年度|予以公开|部分公开|不予公开|无法提供|"
                          r"不予处理|其他处理|总计|属于|本机关不掌握|没有现成|补正后|信访|重复申请|要求)")
_HEADING_END = re.compile(r"(情况|概述|措施|事项|方面)")
_HEADING_END_WEAK = re.compile(r"(问题|成效|做法|工作|计划|举措)")
_RUN_ON = re.compile(r"(?<=\S{4})(\s|(?:19|20)\d{2}\s*年|\d{1,2}[、.](?!\d))")
_ATTACH = re.compile(r"(?m)^[ \t]*(附件|附表)\s*\d*\s*[:：]?\s*(\S[^\n]{1,80})$")
_TITLE_HINT = re.compile(r"(政府信息公开|政务公开|信息公开).{0,12}(年度)?报告")
_SIGN_LINE_MAX = 40
_NOISE_MAX = 80  # a crawler may put breadcrumbs and the whole body on one line


class _Lines:
    """Offset ↔ line mapping over the working text."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def build_report(text: str, source: dict) -> dict:
    text = normalize(text)
    lines = text.split("\n")
    metadata, keep = _metadata_and_body(lines)
    work = "\n".join(line if k else "" for line, k in zip(lines, keep))
    idx = _Lines(work)
    notes: list[str] = []

    title, title_span = _title(work, metadata)
    if title_span:
        work = work[: title_span[0]] + " " * (title_span[1] - title_span[0]) + work[title_span[1]:]
    signed, signed_line, work = _signature(work, idx)
    sections = _sections(work, idx)
    year = year_of_title(title) if title else None
    period = _period(work, idx)
    if year is None and period:
        year = int(period["start"][:4])
        notes.append("标题中未找到报告年度，按统计期限推定")
    report: dict = {
        "schema_version": 1,
        "source": source,
        "agency": _agency(title, metadata, year),
        "year": year,
        "title": title,
        "published": _published(metadata),
        "signed": signed,
        "period": period,
        "metadata": metadata,
        "sections": sections,
        "attachments": _attachments(work, idx),
        "notes": notes,
        "locations": _locations(lines, idx, title_span, signed_line),
    }
    if any(anchor in text for anchor in TABLE_ANCHORS):  # tables printed as text; import only then
        from gkcheck.extract.flattened import attach_flattened

        attach_flattened(report, text)
    return report


def _metadata_and_body(lines: list[str]) -> tuple[dict, list[bool]]:
    """Portal metadata lines (key: value …) and which lines belong to the body."""
    metadata: dict[str, str] = {}
    keep = [True] * len(lines)
    body_mark = next((i for i, ln in enumerate(lines) if _BODY_MARK.match(ln) and "=" in ln), None)
    for i, line in enumerate(lines):
        in_header = body_mark is not None and i < body_mark
        if i == body_mark or (len(line) <= _NOISE_MAX and _NOISE.match(line)):
            keep[i] = False
            continue
        if _META_KEY_RE.match(line.strip()) and (in_header or len(line) < 200):
            keys = list(_META_KEY_RE.finditer(line))
            for k, nxt in zip(keys, keys[1:] + [None]):
                value = line[k.end(): nxt.start() if nxt else len(line)].strip()
                if value:
                    metadata.setdefault(k.group(1), value)
            keep[i] = False
        elif in_header:
            keep[i] = False
    return metadata, keep


def _title(work: str, metadata: dict) -> tuple[str | None, tuple[int, int] | None]:
    """The title: the portal's own title field if any, else the first line that reads like one.

    Either way its first occurrence in the body is blanked so that it is not taken for text.
    """
    meta = (metadata.get("标题") or "").strip()
    if meta and _TITLE_HINT.search(meta):
        at = work.find(meta)
        return meta, ((at, at + len(meta)) if at >= 0 else None)
    for m in re.finditer(r"[^\n]+", work):
        line = m.group()
        hint = _TITLE_HINT.search(line)
        if not hint:
            continue
        # breadcrumbs or a run-on body may precede the title on the same line
        begin = max((line.rfind(c, 0, hint.start()) for c in " 。:>"), default=-1) + 1
        title = line[begin: hint.end()].strip()
        if 6 <= len(title) <= 60 and hint.start() - begin <= 50:
            start = m.start() + line.index(title, begin)
            return title, (start, start + len(title))
    return (meta or None), None


def _agency(title: str | None, metadata: dict, year: int | None) -> dict:
    name = None
    if title:
        m = re.match(r"^(.*?)(?:关于)?(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年", title)
        if m and m.group(1).strip():
            name = m.group(1).strip()
        else:
            m = re.match(r"^(?:\d{4}\s*年度?)?(.*?)(政府信息公开|政务公开)", title)
            name = m.group(1).strip() if m and m.group(1).strip() else None
    name = name or metadata.get("发布机构") or metadata.get("信息来源") or metadata.get("来源") or "（未知机关）"
    return infer_agency(name)


def _published(metadata: dict) -> str | None:
    for key in ("发布日期", "发布时间", "生成日期"):  # 成文日期 is when it was written, not published
        if key in metadata:
            d = parse_date(metadata[key][:10]) or next((m.date for m in find_dates(metadata[key])), None)
            if d:
                return d.isoformat()
    return None


def _locations(lines: list[str], idx: _Lines, title_span, signed_line) -> dict:
    locs = {}
    if title_span:
        locs["title"] = {"line": idx.line(title_span[0])}
    if signed_line:
        locs["signed"] = {"line": signed_line}
    for key in ("发布日期", "发布时间", "生成日期"):
        line = next((i + 1 for i, ln in enumerate(lines) if key in ln and _META_KEY_RE.search(ln)), None)
        if line:
            locs["published"] = {"line": line, "section": f"门户元数据 {key}"}
            break
    return locs


def _signature(work: str, idx: _Lines) -> tuple[str | None, int | None, str]:
    """The signature date: a short line at the end of the body that is (or ends with) a date."""
    matches = list(re.finditer(r"[^\n]*\S[^\n]*", work))
    for m in reversed(matches[1:][-4:]):  # never the only line of the text
        line = m.group().strip()
        if len(line) > _SIGN_LINE_MAX or find_period(line):
            continue
        dates = find_dates(line)
        # a date alone, or an agency name and a date: "浙江省商务厅 2017年2月24日"
        if dates and dates[-1].end >= len(line) - 1 and len(line) - len(dates[-1].text) <= 20:
            blank = work[: m.start()] + " " * len(m.group()) + work[m.end():]
            return dates[-1].date.isoformat(), idx.line(m.start()), blank
    # Run-on crawler text: "…常规化。 二○一二年二月二十日 附件1：…" — a date between the last
    # sentence and the attachments.
    for d in reversed(find_dates(work)):
        before, after = work[: d.start].rstrip(), work[d.end:].lstrip()
        if before.endswith(("。", "！")) and after.startswith(("附件", "附表")):
            return d.date.isoformat(), idx.line(d.start), work[: d.start] + " " * (d.end - d.start) + work[d.end:]
    return None, None, work


def _sections(work: str, idx: _Lines) -> list[dict]:
    marks = _heading_marks(work)
    top: list[dict] = []
    first = marks[0][0] if marks else len(work)
    preface = work[:first].strip()
    if preface:
        top.append({"number": None, "heading": "导语", "text": preface,
                    "location": {"line": idx.line(work.index(preface[:20]))}})
    stack: list[tuple[int, dict]] = []
    for i, (start, body_start, level, printed) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(work)
        heading, text_off = _split_heading(work, body_start, end)
        text = work[text_off:end]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        sec = {"number": printed, "heading": heading, "text": text,
               "location": {"line": idx.line(start), "text_line": idx.line(text_off + lead)}}
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].setdefault("sections", []) if stack else top).append(sec)
        stack.append((level, sec))
    return top


def _heading_marks(work: str) -> list[tuple[int, int, int, str]]:
    """(start, body_start, level, number) of accepted headings: numbering must run in sequence.

    A list inside a section ("…工作：一、加强组织领导。二、完善制度。") restarts at 一; its later
    items must not be taken for the report's next sections, unless they carry a section name.
    """
    known = {m.start(1) for m in _LEVEL1_KNOWN.finditer(work)}
    found = [(m.start(1), m.end(), 1, m.group(1)) for m in _LEVEL1.finditer(work)]
    starts = {f[0] for f in found}
    found += [(m.start(1), m.end(), 1, m.group(1)) for m in _LEVEL1_KNOWN.finditer(work) if m.start(1) not in starts]
    for m in _LEVEL2.finditer(work):
        found.append((m.start() + (len(m.group()) - len(m.group().lstrip())), m.end(), 2, m.group(1)))
    for m in _LEVEL3.finditer(work):
        found.append((m.start(1), m.end(), 3, m.group(1)))
    found.sort()
    accepted = []
    last = {1: 0, 2: 0, 3: 0}
    nested_next = 0  # the next item of a list inside a section, once one has started
    for start, body_start, level, num in found:
        value = int(num) if num.isdigit() else number(num)
        if _TABLE_LABEL.match(work[body_start: body_start + 12]):
            continue
        if level > 1 and last[1] == 0:
            continue  # sub-items before the first section belong to the preface
        if level == 1 and start not in known:
            if value == 1 and last[1] != 0:
                nested_next = 2
                continue
            if nested_next and value == nested_next:
                nested_next += 1
                continue
        if value != last[level] + 1 and not (value == 1 and level > 1):
            continue
        if level == 1:
            nested_next = 0
        last[level] = value
        for deeper in range(level + 1, 4):
            last[deeper] = 0
        printed = f"{num}、" if level == 1 else f"({num})" if level == 2 else f"{num}."
        accepted.append((start, body_start, level, printed))
    return accepted


def _split_heading(work: str, start: int, end: int) -> tuple[str, int]:
    """Heading text and where the section's own text begins.

    Crawled text runs headings into their text ("四、收费及减免情况2016年我区…"), so a heading
    also ends where a year, a space or an inline "1、" starts, or after a heading word.
    """
    seg = work[start:end]
    line_end = seg.find("\n")
    first = seg if line_end < 0 else seg[:line_end]
    lead = len(first) - len(first.lstrip())
    first = first.strip()
    stop = re.search(r"[。：:；;]", first)
    candidate = first[: stop.start()] if stop else first
    cut = len(candidate)
    run_on = _RUN_ON.search(candidate)
    if run_on:
        cut = run_on.start()
    elif len(candidate) > 40:
        word = _HEADING_END.search(candidate[:40]) or _HEADING_END_WEAK.search(candidate[:40])
        cut = word.end() if word else 40
    heading = first[:cut].strip()
    rest = start + lead + cut
    if stop is not None and cut == stop.start():
        rest += 1  # the 。 or ： that ends the heading
    return heading, rest


def _period(work: str, idx: _Lines) -> dict | None:
    matches = []
    pos = 0
    while True:
        m = find_period(work[pos:])
        if not m:
            break
        matches.append((m, pos))
        pos += m.end_offset
    if not matches:
        return None
    # Prefer the sentence that names the statistics period.
    best, base = next(((m, b) for m, b in matches if "统计" in _sentence(work, b + m.start_offset)), matches[0])
    return {"start": best.start.isoformat(), "end": best.end.isoformat(),
            "text": _sentence(work, base + best.start_offset),
            "location": {"line": idx.line(base + best.start_offset)}}


def _sentence(work: str, offset: int) -> str:
    left = max(work.rfind(c, 0, offset) for c in "。\n；")
    rights = [r for r in (work.find(c, offset) for c in "。\n；") if r >= 0]
    right = min(rights) if rights else len(work)
    return work[left + 1: right + 1].strip()


def _attachments(work: str, idx: _Lines) -> list[dict]:
    out = []
    for m in _ATTACH.finditer(work):
        title = m.group(2).strip().rstrip("。")
        if len(title) < 2:
            continue
        core = re.sub(r"[(（][^)）]*[)）]$", "", title)
        core = re.sub(r"^\d{4}年度?", "", core).strip() or title
        present = core in work[m.end():]
        out.append({"title": title, "present": present, "location": {"line": idx.line(m.start(1))}})
    return out

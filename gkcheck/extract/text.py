"""Narrative text → structured report.

Works on text as portals and crawlers publish it: metadata lines, a title, sections numbered
一、/(一)/1. either on their own lines or run together in one line, a signature date, 附件
lines, and footer noise. Locations are 1-based lines of the decoded text.
"""

from __future__ import annotations

import bisect
import re

from gkcheck.chinese.dates import find_dates, find_period, number, year_of_title
from gkcheck.chinese.normalize import normalize
from gkcheck.chinese.script import as_printed, has_traditional, to_simplified
from gkcheck.extract import meta
from gkcheck.extract.anchors import TABLE_ANCHORS
from gkcheck.util import regex

_CN_NUM = "一二三四五六七八九十"
_BODY_MARK = regex.compile(r"^[=\-\s]*正\s*文[=\-\s]*$")
_NOISE = regex.compile(
    r"^\s*(首页|打印|关闭|打印关闭|【?打印】?\s*【?关闭】?|分享到.*|扫一扫.*|返回顶部|字号.*|Produced By.*|Baidu|map|"
    r"当前位置.*|您当前的位置.*|.*>\s*信息公开.*|页面链接与图片详见.*|\[?表格\d+\]?)\s*$", re.I)
# No leading \s*: a number after spaces follows a space, which the lookbehind accepts, and a
# leading \s* would cost time quadratic in the length of a run of spaces.
_LEVEL1 = regex.compile(rf"(?:(?<=^)|(?<=[。；;！!？?\s:：]))([{_CN_NUM}]{{1,3}})\s*[、.．]")
# Flattened tables run straight into the next heading ("…11082三、收到和处理…"): the usual
# section names are trusted after any character.
_LEVEL1_KNOWN = regex.compile(
    rf"([{_CN_NUM}]{{1,3}})\s*、(?=\s*(总体情况|概述|主动公开|收到和处理|依申请公开|政府信息依申请|因政府信息公开|"
    rf"政府信息公开行政复议|政府信息公开的?收费|存在的?主要问题|主要问题|其他需要报告))")
_LEVEL2 = regex.compile(
    rf"(?:(?<=^)|(?<=[。；;！!？?\s:：])|(?<=情况|概述|方面|措施|事项|工作))\(([{_CN_NUM}]{{1,3}})\)")
_LEVEL3 = regex.compile(r"(?m)^[ \t]*(\d{1,2})\s*[、.．](?!\d)")
# Row labels of the statistics table: a flattened table must not open sections.
_TABLE_LABEL = regex.compile(r"^\s*(本年新收|上年结转|本年度办理结果|结转下年度|予以公开|部分公开|不予公开|无法提供|"
                          r"不予处理|其他处理|总计|属于|本机关不掌握|没有现成|补正后|信访|重复申请|要求)")
_HEADING_END = regex.compile(r"(情况|概述|措施|事项|方面)")
_HEADING_END_WEAK = regex.compile(r"(问题|成效|做法|工作|计划|举措)")
_RUN_ON = regex.compile(r"(?<=\S{4})(\s|(?:19|20)\d{2}\s*年|\d{1,2}[、.](?!\d))")
_ATTACH = regex.compile(r"(?m)^[ \t]*(附件|附表)\s*\d*\s*[:：]?\s*(\S[^\n]{1,80})$")
_TITLE_HINT = regex.compile(r"(政府信息公开|政务公开|信息公开).{0,12}(年度)?报告")
# What may stand before a space inside a title: the year, or the agency's name.
_TITLE_PART = regex.compile(r"((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*(年度?)?$|(人民政府|办公室|办公厅|局|委|委员会|厅|办|中心|"
                         r"街道|办事处|管委会|[省市县区旗镇乡])$")
_SIGN_LINE_MAX = 40
_NOISE_MAX = 80  # a crawler may put breadcrumbs and the whole body on one line


class _Lines:
    """Offset ↔ line mapping over the working text."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def build_report(text: str, source: dict, page_meta: dict | None = None) -> dict:
    """`page_meta`: the page's own <meta> tags (HTML), below what the page prints."""
    text = normalize(text)
    printed = None
    if has_traditional(text):  # read in simplified characters; evidence is quoted as printed
        printed, text = text, to_simplified(text)
    lines = text.split("\n")
    metadata, where, keep = _metadata_and_body(lines)
    for key, value in (page_meta or {}).items():
        metadata.setdefault(key, value)
    work = "\n".join(line if k else "" for line, k in zip(lines, keep))
    idx = _Lines(work)
    notes: list[str] = []
    unknown: dict[str, str] = {}

    title, title_span = _title(work, metadata)
    if title_span:
        work = work[: title_span[0]] + " " * (title_span[1] - title_span[0]) + work[title_span[1]:]
        above = _name_above(work, title, title_span[0])
        if above:  # a title page: "X县人民政府" on one line, "2022年政府信息公开工作年度报告" on the next
            title = above[0] + title
            work = work[: above[1]] + " " * len(above[0]) + work[above[1] + len(above[0]):]
    if title and not title_span and title == metadata.get("ArticleTitle"):
        notes.append("标题取自网页元数据 ArticleTitle")
    signed, signed_line, work, signer = _signature(work, idx)
    sections = _sections(work, idx)
    year = year_of_title(title) if title else None
    period = meta.statistics_period(work, idx.line)
    if year is None:
        year, note = _year_from_text(work, period)
        notes += [note] if note else []
    agency, why, agency_notes = meta.agency(title, signer, metadata, work)
    unknown.update(why)
    notes += agency_notes
    published, published_at, note = meta.published(metadata, where, work[:600])
    notes += [note] if note else []
    if published is None:
        unknown["published"] = ("没有门户为本页印出的发布日期（信息公开目录的公开日期、发布日期/发布时间、页面信息中的时间、"
                                "网页元数据 PubDate）；落款日期不是发布日期；可用 --published 指定")
    report: dict = {
        "schema_version": 1,
        "source": source,
        "agency": agency,
        "year": year,
        "title": title,
        "published": published,
        "signed": signed,
        "period": period,
        "metadata": metadata,
        "sections": sections,
        "attachments": _attachments(work, idx),
        "notes": notes,
        "locations": _locations(idx, title_span, signed_line, published_at),
    }
    if unknown:
        report["unknown"] = unknown
    if printed is not None:
        report["printed"] = printed
        notes.append("正文为繁体字，已转换为简体字阅读；证据按原文引用")
        if period and period.get("text"):
            period["text"] = as_printed(period["text"], printed, text)
    if "|" in text or any(anchor in text for anchor in TABLE_ANCHORS):  # tables as text; import only then
        from gkcheck.extract.flattened import attach_flattened

        attach_flattened(report, text)
    return report


def simplified_grids(report: dict, grids: list[dict]) -> list[dict]:
    """The page's table grids in simplified characters when its text was (build_report)."""
    if report.get("printed") is None:
        return grids
    for grid in grids:
        grid["grid"] = [[to_simplified(cell) for cell in row] for row in grid["grid"]]
        if grid.get("title"):
            grid["title"] = to_simplified(grid["title"])
    return grids


def _metadata_and_body(lines: list[str]) -> tuple[dict, dict, list[bool]]:
    """Portal metadata (key → value, key → line) and which lines belong to the body."""
    body_mark = next((i for i, ln in enumerate(lines) if _BODY_MARK.match(ln) and "=" in ln), None)
    in_header = [body_mark is not None and i < body_mark for i in range(len(lines))]
    noise = [i == body_mark or bool(len(line) <= _NOISE_MAX and _NOISE.match(line)) for i, line in enumerate(lines)]
    return meta.portal_metadata(lines, in_header, noise)


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
        # breadcrumbs or a run-on body may precede the title on the same line; a space after the
        # agency or the year ("X县2019年 政府信息公开…") is inside the title
        begin = max((line.rfind(c, 0, hint.start()) for c in " 。:>"), default=-1) + 1
        # a title starts at most 50 characters before its hint: look no further back than that
        # (a long run-on line would otherwise be copied and searched at every space)
        lo = max(0, hint.start() - 64)
        while begin > lo + 1 and line[begin - 1] == " ":
            before = line[lo:begin - 1].rstrip()
            start = lo + max((before.rfind(c) for c in " 。:>"), default=-1) + 1
            if not _TITLE_PART.search(before) or hint.start() - start > 50:
                break
            begin = start
        title = line[begin: hint.end()].strip()
        if 6 <= len(title) <= 60 and hint.start() - begin <= 50:
            start = m.start() + line.index(title, begin)
            return title, (start, start + len(title))
    article = (metadata.get("ArticleTitle") or "").strip()  # a page's <meta name="ArticleTitle">
    return (meta or article or None), None


def _locations(idx: _Lines, title_span, signed_line, published_at) -> dict:
    locs = {}
    if title_span:
        locs["title"] = {"line": idx.line(title_span[0])}
    if signed_line:
        locs["signed"] = {"line": signed_line}
    if published_at:
        locs["published"] = published_at
    return locs


def _year_from_text(work: str, period: dict | None) -> tuple[int | None, str | None]:
    """No year in the title: the report as the preamble names it, the statistics period, a first
    sentence "2022年，我县…" — in that order."""
    year, note = meta.year_in_preamble(work)
    if year is None and period and not period.get("defect") and (period.get("start") or period.get("end")):
        year, note = int((period["start"] or period["end"])[:4]), "标题中未找到报告年度，按统计期限推定"
    if year is None:
        year, note = meta.year_in_first_sentence(work)
    return year, note


def _name_above(work: str, title: str, start: int) -> tuple[str, int] | None:
    """(name, offset) of an agency's name alone on the line above a title that names none."""
    if meta.name_in_title(title):
        return None
    before = work[:start].rstrip()
    line_start = before.rfind("\n") + 1
    name = before[line_start:].strip()
    if name and meta.looks_like_name(name):
        return name, line_start + before[line_start:].index(name)
    return None


def _signature(work: str, idx: _Lines) -> tuple[str | None, int | None, str, str | None]:
    """(date, line, text without it, signer) of the signature: a short line at the end of the
    body that is (or ends with) a date; the signer stands before the date on that line ("浙江省商务厅
    2017年2月24日") or on the line above."""
    lines = _last_lines(work, 4)
    for k, m in enumerate(lines):
        line = m.group().strip()
        if len(line) > _SIGN_LINE_MAX or find_period(line):
            continue
        dates = find_dates(line)
        if not dates or dates[-1].end < len(line) - 1:
            continue
        before = line[: dates[-1].start].strip()
        # a date alone, or a name and a date; not the end of a sentence ("本报告发布于2023年1月20日")
        if len(before) <= 20 or meta.looks_like_name(before):
            above = lines[k + 1].group().strip() if k + 1 < len(lines) else ""
            signer = before or (above if above and len(above) <= _SIGN_LINE_MAX else None)
            blank = work[: m.start()] + " " * len(m.group()) + work[m.end():]
            return dates[-1].date.isoformat(), idx.line(m.start()), blank, signer
    # Run-on crawler text: "…常规化。 二○一二年二月二十日 附件1：…" — a date between the last
    # sentence and the attachments.
    for d in reversed(find_dates(work)):
        if _char_before(work, d.start) in ("。", "！") and _AFTER_SIGNATURE.match(work, d.end):
            return d.date.isoformat(), idx.line(d.start), work[: d.start] + " " * (d.end - d.start) + work[d.end:], None
    return None, None, work, None


_NONBLANK_LINE = regex.compile(r"[^\n]*\S[^\n]*")
_AFTER_SIGNATURE = regex.compile(r"\s*附[件表]")


def _last_lines(work: str, count: int) -> list:
    """Matches of the last `count` non-blank lines, last first, never the first non-blank line
    of the text. Found from the end: the cost does not grow with the length of the text."""
    out: list = []
    end = len(work)
    while end > 0 and len(out) <= count:
        start = work.rfind("\n", 0, end) + 1
        m = _NONBLANK_LINE.fullmatch(work, start, end) if not work[start:end].isspace() else None
        if m is not None:
            out.append(m)
        end = start - 1
    return out[:-1] if len(out) <= count else out[:count]


def _char_before(work: str, offset: int) -> str:
    """The last non-space character before offset ("" at the start)."""
    i = offset
    while i > 0 and work[i - 1].isspace():
        i -= 1
    return work[i - 1] if i else ""


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
        found.append((m.start(), m.end(), 2, m.group(1)))
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


_MAX_ATTACHMENTS = 50  # a real report lists a handful; each costs a search of the text


def _attachments(work: str, idx: _Lines) -> list[dict]:
    out: list[dict] = []
    last: dict[str, int] = {}  # where each title's last occurrence starts
    for m in _ATTACH.finditer(work):
        if len(out) >= _MAX_ATTACHMENTS:
            break
        title = m.group(2).strip().rstrip("。")
        if len(title) < 2:
            continue
        core = re.sub(r"[(（][^)）]*[)）]$", "", title)
        core = re.sub(r"^\d{4}年度?", "", core).strip() or title
        if core not in last:
            last[core] = work.rfind(core)
        present = last[core] >= m.end()
        out.append({"title": title, "present": present, "location": {"line": idx.line(m.start(1))}})
    return out

"""The facts around a report's text, read as a careful reader does: the portal's metadata box,
the publication date, who the report belongs to, the report year, the statistics period.

Each fact comes from the most trusted place that states it (the title, the signature, the portal's
box, then the text); what cannot be read is left unknown with the reason and the command-line
option that supplies it, never guessed.
"""

from __future__ import annotations

import re

from gkcheck.chinese.dates import (
    find_dates,
    find_period,
    parse_date,
    period_key_re,
    read_period_clause,
)
from gkcheck.report.agency import government_of_office, infer_agency, looks_like_name
from gkcheck.util import regex

__all__ = ["agency", "box_lines", "looks_like_name", "name_in_title", "portal_metadata", "published",
           "statistics_period", "year_in_first_sentence", "year_in_preamble"]

UNKNOWN_AGENCY = "（未知机关）"

# Keys of the portal's metadata box (信息公开目录) and page header lines. A line that begins with one
# is metadata, not report text.
META_KEYS = (
    "索引号", "信息索引号", "发布机构", "发布单位", "发文机关", "发文单位", "生成日期", "发布日期", "发布时间",
    "公开日期", "公开时间", "发文日期", "成文日期", "主题分类", "组配分类", "公开形式", "公开方式", "公开范围",
    "公开时限", "体裁分类", "文号", "发文字号", "标题", "栏目", "原文链接", "信息来源", "来源", "访问次数",
    "浏览次数", "点击率", "点击数", "阅读次数", "所属机构", "有效性", "本地目录", "作者", "分类", "主题词",
    "关键词", "名称", "效力状态", "主办单位", "承办单位", "抓取时间", "采集时间", "爬取时间", "保存时间",
    "下载时间", "更新时间", "生成时间",
)
# Generic words that are metadata only beside a key above ("来源: 作者: 时间:2023-01-31").
_GENERIC_KEYS = ("时间", "日期")
# Keys that may also begin a line of report text: metadata only above the text.
_WEAK_KEYS = frozenset(_GENERIC_KEYS + ("名称", "分类", "关键词", "主题词", "作者", "标题"))
_KEY = "|".join(sorted(META_KEYS + _GENERIC_KEYS, key=len, reverse=True))
META_KEY_RE = regex.compile(rf"({_KEY})\s*[:：]\s*")
_GENERIC_START = r"(时间|日期)\s*[:：]\s*(?=\d)"
_CELL_SPLIT = r"\s*[|｜\t]\s*"
_TRADITIONAL_KEY = (r"[發機構開號題時間單標類]")
_HEADING = regex.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")
# Keys that make a row of cells the portal's box even alone (a table row "分类 | 数量" is not).
_STRONG_KEYS = {"索引号", "信息索引号", "发布机构", "发布单位", "发文机关", "发文单位", "生成日期", "发布日期", "发布时间",
                "公开日期", "公开时间", "发文日期", "成文日期", "文号", "发文字号", "主题分类", "公开方式", "公开范围"}
_KEYS = frozenset(META_KEYS + _GENERIC_KEYS)
# What the portal prints for the page's publication, most specific first. 成文日期 is when the report
# was written, 抓取时间 and the like when a crawler saved the page: neither is its publication.
PUBLISHED_KEYS = ("发布日期", "发布时间", "公开日期", "公开时间", "生成日期", "时间", "发文日期", "日期",
                  "pubdate", "publishdate", "firstpublishedtime", "pubtime")  # <meta> names, any case
# Where the portal names the agency, most trusted first.
_AGENCY_KEYS = ("发布机构", "发布单位", "发文机关", "发文单位", "所属机构", "信息来源", "来源")
_HEADER_LINE_MAX = 60


def portal_metadata(lines: list[str], in_header: list[bool], skip: list[bool]) -> tuple[dict, dict, list[bool]]:
    """(metadata, line of each key, which lines are report text). Reads "key: value" lines, boxes
    printed as "索引号 | … | 发布机构 | …" cells, and a key alone on its line with the value on the next.
    `in_header`: lines of a crawler's header (all metadata); `skip`: page noise, not text."""
    metadata: dict[str, str] = {}
    where: dict[str, int] = {}
    keep = [True] * len(lines)
    # Before the first line of report text, a key alone on its line (value on the next) and a
    # "时间：2023-01-31" line are metadata too.
    header_zone = True
    skip_next = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if skip_next or skip[i]:
            skip_next = keep[i] = False
            continue
        if ("|" in stripped or "｜" in stripped or "\t" in stripped) and _box_row([c for c in re.split(_CELL_SPLIT, stripped) if c], metadata, where, i + 1):
            keep[i] = False
            continue
        key = META_KEY_RE.match(stripped)
        if key and key.group(1) in _GENERIC_KEYS:  # 时间：2023-01-31 above the text, nothing else
            key = key if header_zone and len(stripped) <= 30 and re.match(_GENERIC_START, stripped) else None
        elif key and key.group(1) in _WEAK_KEYS and not (header_zone or in_header[i]):
            key = None
        if key and (in_header[i] or len(line) < 200):
            _key_values(stripped, metadata, where, i + 1)
            keep[i] = False
            continue
        bare = _bare_key(stripped)
        value = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if bare and header_zone and 0 < len(value) <= 40 and not META_KEY_RE.match(value) and not _bare_key(value):
            metadata.setdefault(bare, value)
            where.setdefault(bare, i + 2)
            keep[i] = False
            skip_next = True
            continue
        if in_header[i]:
            keep[i] = False
        elif len(stripped) > _HEADER_LINE_MAX or stripped.endswith("。") or _HEADING.match(stripped):
            header_zone = False
    return metadata, where, keep


def _bare_key(cell: str) -> str | None:
    """The key of a cell that holds a key alone ("发布机构", "公开日期：")."""
    key = cell.strip().rstrip(":：").rstrip()
    return key if key in _KEYS else None


def _key_values(line: str, metadata: dict, where: dict, number: int) -> None:
    keys = list(META_KEY_RE.finditer(line))
    for k, nxt in zip(keys, keys[1:] + [None]):
        value = line[k.end(): nxt.start() if nxt else len(line)].strip()
        if value:
            metadata.setdefault(k.group(1), value)
            where.setdefault(k.group(1), number)


def box_lines(rows: list[list[str]]) -> list[str] | None:
    """A page's table that is the portal's box (索引号 | … | 发布机构 | …) as "key：value" lines;
    None for any other table."""
    pairs: dict[str, str] = {}
    if re.search(_TRADITIONAL_KEY, "".join("".join(row) for row in rows)):  # 發布機構, 公開日期
        from gkcheck.chinese.script import to_simplified

        rows = [[to_simplified(cell) for cell in row] for row in rows]
    for row in rows:
        _pairs(row, pairs)
    if len(pairs) < 2 and not (pairs.keys() & _STRONG_KEYS):
        return None
    return [f"{key}：{value}" for key, value in pairs.items()]


def _box_row(cells: list[str], metadata: dict, where: dict, number: int) -> bool:
    """One row of the portal's box: key | value | key | value (a key may carry its value: 文号：无).
    Taken only with two keys, or one that only the box has."""
    pairs: dict[str, str] = {}
    _pairs(cells, pairs)
    if len(pairs) < 2 and not (pairs.keys() & _STRONG_KEYS):
        return False
    for key, value in pairs.items():
        if value:
            metadata.setdefault(key, value)
            where.setdefault(key, number)
    return True


def _pairs(cells: list[str], pairs: dict) -> None:
    i = 0
    while i < len(cells):
        bare = _bare_key(cells[i])
        if bare and i + 1 < len(cells) and not _bare_key(cells[i + 1]):
            pairs.setdefault(bare, cells[i + 1])
            i += 2
            continue
        keys = list(META_KEY_RE.finditer(cells[i]))
        if keys and keys[0].start() == 0:
            for k, nxt in zip(keys, keys[1:] + [None]):
                pairs.setdefault(k.group(1), cells[i][k.end(): nxt.start() if nxt else None].strip())
        i += 1


def published(metadata: dict, where: dict, head: str) -> tuple[str | None, dict | None, str | None]:
    """(date, location, note): the page's publication date from the portal's keys, else from a page
    header run into the text ("来源：X 时间：2023-01-31"); never the signature or a crawler's date."""
    lowered = {k.lower(): k for k in metadata}
    for key in PUBLISHED_KEYS:
        actual = metadata.get(key) and key or lowered.get(key.lower())
        if not actual:
            continue
        value = metadata[actual]
        d = parse_date(value[:10]) or next((m.date for m in find_dates(value)), None)
        if d:
            line = where.get(actual)
            loc = {"line": line, "section": f"门户元数据 {actual}"} if line else {"section": f"网页元数据 {actual}"}
            note = None if line else f"发布日期取自网页元数据 {actual}：{value}"
            return d.isoformat(), loc, note
    m = re.search(_INLINE_PUBLISHED, head)
    if m:
        found = next(iter(find_dates(m.group("date"))), None)
        if found:
            return found.date.isoformat(), {"section": f"页面信息 {m.group('key')}"}, None
    return None, None, None


_INLINE_PUBLISHED = (
    r"(?:(?P<key>发布日期|发布时间|公开日期)|来源\s*[:：][^\n]{0,40}?(?P<k2>时间))\s*[:：]\s*"
    r"(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")


# ----------------------------------------------------------------------------- the agency


_TITLE_NAME = regex.compile(r"^(?P<n>.*?)(?:关于)?(?:印发)?(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年")
# X县人民政府办公室关于印发X县2022年政府信息公开工作年度报告的通知: the report is X县's.
_TITLE_ISSUED = r"^.*?关于(?:印发|公布|发布)(?P<n>.+?)(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年"
_TITLE_NAME_AFTER_YEAR = (
    r"^(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?)?\s*(?P<n>.*?)(?:政府信息公开|政务公开|信息公开)")
_YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?"
_NAMED_REPORT = (rf"(?:现公布|特编制|现将|现发布|编制了?|发布|公布)(?P<n>[^，,。；;、《》“”\s\d]{{2,30}}?)"
                           rf"(?:关于)?{_YEAR}\s*(?:政府信息公开|政务公开|信息公开)")
_COMPILER = (r"由(?P<n>[^，,。；;、《》“”\s\d]{2,40}?)(?:负责)?(?:牵头)?(?:组织)?(?:汇总)?(?:编制|编写|起草)")
_INNER_OFFICE = (r"^(?P<a>.+?(?:局|委员会|委|厅|署|中心|办))(?:政府)?(?:信息公开工作领导小组办公室|信息公开工作办公室|"
                           r"政务公开办公室|信息公开办公室|政务公开科|办公室|综合科|秘书科)$")
_SELF = (r"(?:我|本)(县|市|区|省|旗|州|盟|镇|乡|街道|局|委|厅|办|中心|署|室|机关|单位)")
_SELF_KIND = {"县": ("government", "county"), "旗": ("government", "county"), "省": ("government", "provincial"),
              "市": ("government", None), "区": ("government", None), "州": ("government", None),
              "盟": ("government", None), "镇": ("government", "township"), "乡": ("government", "township"),
              "街道": ("other", "township"), "局": ("department", None), "委": ("department", None),
              "厅": ("department", "provincial"), "中心": ("department", None), "署": ("department", None)}
_SUMMARY = (r"汇总[^。]{0,40}?各(?:县|区|市|乡|镇|街道|部门|单位)")
_GOV_SELF = (r"我(?:县|市|区|省|旗|州|盟|镇|乡)")
# 我办, 本厅 — not 本办法, 我办理, nor 本机关 (a row label of the national table: 本机关不掌握…)
_OFFICE_SELF = r"(?:我|本)(?:办(?![公事法理])|厅|室)"
_SHORT_OFFICE = r"(?:县|市|区|省|州|旗|盟)(?:人民)?政府办(?:公室|公厅)?"
_OPTION = {"agency": "--agency", "agency_kind": "--agency-kind", "agency_level": "--agency-level"}


def agency(title: str | None, signature: str | None, metadata: dict, text: str) -> tuple[dict, dict, list[str]]:
    """(agency, unknown, notes). `unknown` maps agency / agency_kind / agency_level to the reason
    (with the option that supplies it); `notes` say where the name came from when not the title."""
    candidates = [("标题", name_in_title(title) if title else None), ("落款", signature)]
    candidates += [(f"门户元数据 {k}", metadata.get(k)) for k in _AGENCY_KEYS]
    candidates.append(("门户元数据 索引号", _index_owner(metadata.get("索引号") or metadata.get("信息索引号"))))
    notes: list[str] = []
    unknown: dict[str, str] = {}
    chosen = next(((where, n.strip()) for where, n in candidates if n and looks_like_name(n.strip())), None)
    compiled = False
    if chosen is None:  # the preamble, read only when nothing more trusted names the agency
        in_text, compiled = _name_in_text(text[:3000])
        chosen = ("导语中的编制机关" if compiled else "导语", in_text) if in_text else None
    if chosen is None:
        found = _self_reference(text)
        info = {"name": UNKNOWN_AGENCY, "kind": None, "level": None, "province": None}
        unknown["agency"] = _why("标题、落款、门户元数据和导语中都没有机关名称" +
                                 (f"（正文只说“{found}”）" if found else ""), "agency")
        if found and found[1:] in _SELF_KIND:
            info["kind"], info["level"] = _SELF_KIND[found[1:]]
            notes.append(f"机关类型按正文中的“{found}”推定")
        _fill_unknown(info, unknown, None)
        return info, unknown, notes
    where, name = chosen
    name = _fuller(name, candidates)
    if where != "标题":
        notes.append(f"机关名称取自{where}：{name}")
    info = infer_agency(name)
    gov = government_of_office(name)
    if gov:
        kind, reason = _office_kind(text, name, gov, compiled)
        if kind == "government":
            info = {**infer_agency(gov), "name": gov}
            notes.append(f"“{name}”所发布的是{gov}的年度报告：{reason}")
        elif kind == "department":
            info["kind"] = "department"
            notes.append(f"“{name}”的报告是其本机关的年度报告：{reason}")
        else:
            info["kind"] = None
            unknown["agency_kind"] = _why(f"“{name}”可能发布本机关（政府部门）的报告，也可能代表{gov}发布"
                                          f"政府的报告，{reason}", "agency_kind")
    _fill_unknown(info, unknown, name)
    return info, unknown, notes


def _index_owner(index: str | None) -> str | None:
    """The owner an 索引号 names, where it names one in words (X县农业农村局/2023-00005); most give
    an organisation code instead, which says nothing here."""
    if not index:
        return None
    m = re.match(r"\s*([^/\-_—\d\s]{2,40})\s*[/\-_—]", index)
    return m.group(1) if m else None


def _fill_unknown(info: dict, unknown: dict, name: str | None) -> None:
    if info["kind"] is None and "agency_kind" not in unknown and name:
        unknown["agency_kind"] = _why(f"从名称“{name}”看不出是人民政府、政府部门还是其他机关", "agency_kind")
    elif info["kind"] is None and "agency_kind" not in unknown:
        unknown["agency_kind"] = _why("机关名称未知", "agency_kind")
    if info["level"] is None:
        where = f"名称“{name}”中没有可判断层级的地名" if name else "机关名称未知"
        unknown["agency_level"] = _why(where, "agency_level")


def _why(reason: str, field: str) -> str:
    return f"{reason}；可用 {_OPTION[field]} 指定"


def name_in_title(title: str) -> str | None:
    """The name before the year (X局2022年…), else between the year and 政府信息公开 (2022年X市…)."""
    for pattern in (_TITLE_ISSUED, _TITLE_NAME, _TITLE_NAME_AFTER_YEAR):
        m = re.match(pattern, title)
        name = m.group("n").strip() if m else ""
        if name.endswith("人民"):  # X市人民政府信息公开…: 政府 went with 政府信息公开
            name += "政府"
        if looks_like_name(name):
            return name
    return None


def _name_in_text(head: str) -> tuple[str | None, bool]:
    """(name, compiled): the report as the preamble names it (现公布X县2022年…报告), else who compiled
    it (由X局办公室编制 → X局)."""
    for m in re.finditer(_NAMED_REPORT, head):
        if looks_like_name(m.group("n")):
            return m.group("n"), False
    for m in re.finditer(_COMPILER, head):
        name = m.group("n")
        inner = re.match(_INNER_OFFICE, name)
        if inner and not government_of_office(name) and looks_like_name(inner.group("a")):
            return inner.group("a"), True
        if looks_like_name(name):
            return name, True
    return None, False


def _fuller(name: str, candidates: list) -> str:
    """A bare place in the title (X县) and its government in the signature or box (X县人民政府):
    the same agency, named in full."""
    if infer_agency(name)["kind"] != "government" or name.endswith("政府"):
        return name
    for _, other in candidates:
        if other and other.strip() in (f"{name}人民政府", f"{name}政府"):
            return other.strip()
    return name


def _self_reference(text: str) -> str | None:
    """The most frequent 我县 / 我局 / 本单位 of a report that never names itself."""
    counts: dict[str, int] = {}
    for m in re.finditer(_SELF, text):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    return max(counts, key=counts.get) if counts else None


def _office_kind(text: str, office: str, gov: str, compiler: bool) -> tuple[str | None, str]:
    """Whether a report under a government office's name is the government's or the office's own:
    a summary of the government's units or "我县" speak for the government; "我办", "本厅" or the
    office as the subject of its sentences speak for the office. A report that only says the office
    compiled it (本报告由X县人民政府办公室组织编制) is the government's, as 第四十九条第二款 has it."""
    if re.search(_SUMMARY, text):
        return "government", "正文说明报告汇总了下属各单位的情况"
    gov_refs = len(re.findall(_GOV_SELF, text))
    subject = rf"(?:{re.escape(office)}|{_SHORT_OFFICE})"  # the office, by its full or short name
    own = len(re.findall(_OFFICE_SELF, text)) + len(re.findall(
        rf"(?:^|[。；;\n]|年[，,])[ \t]*{subject}(?![ \t]*(?:\n|$))(?!联系|地址|电话|组织编制|编制|负责)", text))
    if compiler and own <= gov_refs:
        return "government", "导语说明报告由其办公室编制（第四十九条第二款：政府的报告由其政府信息公开工作主管部门公布）"
    if gov_refs and gov_refs >= 2 * own:
        return "government", f"正文以“我县/我市”等自称（{gov_refs} 处）"
    if own and own >= 2 * gov_refs:
        return "department", f"正文以本机关自称（{own} 处）"
    if not gov_refs and not own:
        return None, "正文没有说明"
    return None, f"正文两种自称都有（政府 {gov_refs} 处、本机关 {own} 处）"


# ----------------------------------------------------------------------------- the period


_SENTENCE_END = "。；;\n"
_FALLBACK_WORDS = (r"数据|期限|时限|报告期|时间段")


def statistics_period(work: str, line_of) -> dict | None:
    """The statistics period as the report states it, read strictly: a whole period, a cut-off date
    alone, or a statement whose dates are blank, partial or garbled (`defect`)."""
    readings = []
    for m in period_key_re().finditer(work):
        end = _sentence_end(work, m.end())
        reading = read_period_clause(work[m.end(): end], cutoff=bool(m.group("cut")))
        if reading is not None:
            readings.append((reading, m.start()))
    if readings:
        rank = lambda r: 0 if r[0].defect is None and r[0].start else 1 if r[0].defect is None else 2  # noqa: E731
        reading, at = min(readings, key=lambda r: (rank(r), r[1]))
        period = {"start": _iso(reading.start), "end": _iso(reading.end), "text": _sentence(work, at),
                  "location": {"line": line_of(at)}}
        if reading.defect:
            period["defect"] = reading.defect
        return period
    # A period printed without the word 统计: only beside words about the data or the term
    # (本报告所列数据时间为…), never an event's dates. Each window is bounded: linear time.
    for m in re.finditer(_FALLBACK_WORDS, work):
        window = work[m.start(): _sentence_end(work, m.end())]
        found = find_period(window)
        if found:
            at = m.start() + found.start_offset
            return {"start": found.start.isoformat(), "end": found.end.isoformat(), "text": _sentence(work, at),
                    "location": {"line": line_of(at)}}
    return None


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _sentence_end(work: str, offset: int) -> int:
    ends = [r for r in (work.find(c, offset, offset + 120) for c in _SENTENCE_END) if r >= 0]
    return min(ends) if ends else min(len(work), offset + 120)


def _sentence(work: str, offset: int) -> str:
    left = max(work.rfind(c, 0, offset) for c in "。\n；")
    rights = [r for r in (work.find(c, offset) for c in "。\n；") if r >= 0]
    right = min(rights) if rights else len(work)
    return work[left + 1: right + 1].strip()


# ----------------------------------------------------------------------------- the year


_YEAR_IN_PREAMBLE = (r"(?:现公布|特编制|现将|编制了?|发布|公布)[^，,。；;《》]{0,30}?(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})"
                               r"\s*年度?\s*(?:政府信息公开|政务公开|信息公开)")
_YEAR_FIRST_SENTENCE = (r"(?:^|[。\n])\s*(?P<y>\d{4})\s*年(?:度)?\s*[，,]")


def year_in_preamble(work: str) -> tuple[int | None, str | None]:
    """(year, note) from the report as the preamble names it: 现公布X县2022年政府信息公开工作年度报告."""
    from gkcheck.chinese.dates import number

    m = re.search(_YEAR_IN_PREAMBLE, work[:3000])
    if m and 2000 <= number(m["y"]) <= 2099:
        return number(m["y"]), "标题中未找到报告年度，按导语中的报告名称确定"
    return None, None


def year_in_first_sentence(work: str) -> tuple[int | None, str | None]:
    """(year, note) from a first sentence that begins with it: "2022年，我县…"."""
    m = re.search(_YEAR_FIRST_SENTENCE, work[:3000])
    if m and 2000 <= int(m["y"]) <= 2099:
        return int(m["y"]), "标题中未找到报告年度，按正文首句的年份推定"
    return None, None

"""Chinese dates and statistics periods.

Text is width-folded first (２０１７ → 2017, －／． → -/.), one character for one,
so match offsets are offsets into the caller's string.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import NamedTuple

from gkcheck.chinese.normalize import fold_width, normalize
from gkcheck.util import regex

# Zero is written 〇 (U+3007), ○ (U+25CB), ◯, 零, and in practice also O or 0.
_CN_ZERO = "〇○◯零O0"
_CN_DIGIT = {**{c: 0 for c in _CN_ZERO}, **{c: i + 1 for i, c in enumerate("一二三四五六七八九")}}
_D = "[一二三四五六七八九]"

# Building blocks, without capture groups so they can be combined freely.
_NOT_AFTER = r"(?<![0-9A-Za-z])(?<![0-9][.])"  # not inside a longer number or code
_AR_YMD = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
_CN_YEAR = f"[{_CN_ZERO}一二三四五六七八九]{{4}}"
_CN_MONTH = f"(?:十[一二]?|{_D})"
_CN_DAY = f"(?:[二三]?十{_D}?|{_D})"
_CN_YMD = rf"{_CN_YEAR}\s*年\s*{_CN_MONTH}\s*月\s*{_CN_DAY}\s*[日号]"
_COMPACT = r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
# Month and day only; the year comes from the start of the period.
_MD = rf"(?:\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]|{_CN_MONTH}\s*月\s*{_CN_DAY}\s*[日号])"
_CONNECTOR = r"(?:至|到|——?|–|―|-|~|〜)"


def _date_pattern(sep: str, cn: bool) -> str:
    """Any one date; the group named `sep` keeps 2017-02-24 to a single separator."""
    numeric = rf"\d{{4}}(?P<{sep}>[-/.])\d{{1,2}}(?P={sep})\d{{1,2}}(?!\d)(?![.]\d)"
    written = f"{_AR_YMD}|{_CN_YMD}" if cn else _AR_YMD
    return f"{_NOT_AFTER}(?:{written}|{numeric}|{_COMPACT})"


# Compiled on first use, with the Chinese-numeral forms only for text that has them: their
# character classes make up most of this module's compile time on a cold start.
@lru_cache(maxsize=None)
def _date_re(cn: bool) -> re.Pattern:
    return regex.compile(_date_pattern("sep", cn))


@lru_cache(maxsize=None)
def _period_re(cn: bool) -> re.Pattern:
    md = _MD if cn else r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    return regex.compile(rf"(?:[自从]\s*)?(?P<a>{_date_pattern('sa', cn)})\s*起?\s*{_CONNECTOR}\s*"
                      rf"(?P<b>{_date_pattern('sb', cn)}|{_NOT_AFTER}{md})(?:\s*止)?")


_CN_MONTH_END = regex.compile(r"[一二三四五六七八九十]\s*月")


def _has_cn_dates(text: str) -> bool:
    """A Chinese-numeral date always has 月 after a numeral (二月, 十二月)."""
    return "月" in text and _CN_MONTH_END.search(text) is not None


# Parsing one written date (already width-folded), with capture groups.
_PARSE = [
    regex.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    regex.compile(r"(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})"),
    regex.compile(r"(?P<y>\d{4})(?P<m>\d\d)(?P<d>\d\d)"),
]
_PARSE_MD = [regex.compile(r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")]


@lru_cache(maxsize=None)
def _cn_parsers() -> tuple[re.Pattern, re.Pattern]:
    """(full date, month-day) in Chinese numerals; compiled when a text first has one."""
    return (regex.compile(rf"(?P<y>{_CN_YEAR})\s*年\s*(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})\s*[日号]"),
            regex.compile(rf"(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})\s*[日号]"))
_TITLE_YEAR = regex.compile(rf"{_NOT_AFTER}(?P<y>\d{{4}}|{_CN_YEAR})(?!\d)\s*(?P<suffix>年度|年)?")
_FOLLOWED_BY_MONTH = regex.compile(rf"\s*(?:\d{{1,2}}|{_CN_MONTH})\s*月")


class DateMatch(NamedTuple):  # NamedTuple: far cheaper to define at import than a dataclass
    date: _dt.date
    start: int
    end: int
    text: str


class PeriodMatch(NamedTuple):
    start: _dt.date
    end: _dt.date
    start_offset: int
    end_offset: int
    text: str


class PeriodReading(NamedTuple):
    """What a statement of the statistics period says. `start` is None for a cut-off date alone
    (统计数据截止时间为…); `defect` is "blank", "partial" or "garbled" when its dates are not all there."""
    start: _dt.date | None
    end: _dt.date | None
    defect: str | None


def parse_date(s: str) -> _dt.date | None:
    """One date in any supported written form, or None (also for 2月30日)."""
    s = normalize(s).strip()
    for pattern in _PARSE + [_cn_parsers()[0]] if _has_cn_dates(s) else _PARSE:
        m = pattern.fullmatch(s)
        if m:
            return _make_date(number(m["y"]), number(m["m"]), number(m["d"]))
    return None


def find_dates(text: str) -> list[DateMatch]:
    """All valid dates in text, with offsets into text."""
    folded = fold_width(text)
    out = []
    for m in _date_re(_has_cn_dates(folded)).finditer(folded):
        d = parse_date(m.group())
        if d is not None:
            out.append(DateMatch(d, m.start(), m.end(), text[m.start():m.end()]))
    return out


def find_period(text: str) -> PeriodMatch | None:
    """The first statistics period "<date> 至/到/—/-/~ <date>" in text."""
    return next(find_periods(text), None)


def find_periods(text: str):
    """Every statistics period in text, left to right (one pass over the text: linear time)."""
    folded = fold_width(text)
    for m in _period_re(_has_cn_dates(folded)).finditer(folded):
        start = parse_date(m["a"])
        end = start and (parse_date(m["b"]) or _parse_month_day(m["b"], start))
        if start and end and start <= end:
            yield PeriodMatch(start, end, m.start(), m.end(), text[m.start():m.end()])


# Words that introduce the statistics period: 统计期限/时限/期/时间/日期, and cut-off forms
# (统计数据截止时间为…, 数据截至…) that give its end alone.
_PERIOD_KEY = (r"(?P<cut>统计数据的?(?:截止|截至)(?:时间|日期)?|统计的?(?:截止|截至)(?:时间|日期)|统计(?:时间|日期)(?:截止|截至)"
               r"|数据(?:统计)?(?:截止|截至)(?:时间|日期))"
               r"|统计(?:期限|时限|周期|区间|期间|时段|时间|日期|期)")
# Patterns as strings, compiled by re on first use (a cold start reads few periods).
_PERIOD_LEAD = r"[\s:：为是自从到至于]*"  # 截止到, 截至于 too
# What a blank period is printed with: 年 月 日 至, underlines, placeholders.
_SCAFFOLD = r"[\s年月日号至到起止自从—–\-~～_＿./·…XxＸ×*＊]*"
_YEAR = rf"(?:\d{{4}}|{_CN_YEAR})"
_MONTH = rf"(?:\d{{1,2}}|{_CN_MONTH})"
_DAY = rf"(?:\d{{1,2}}|{_CN_DAY})"


@lru_cache(maxsize=None)
def period_key_re() -> re.Pattern:
    return regex.compile(_PERIOD_KEY)


@lru_cache(maxsize=None)
def _loose_period_re() -> tuple[re.Pattern, re.Pattern]:
    """(a span of months or days: 2022年1月至12月, 2022年1-12月, 2022年1月1日起，至12月31日止;
    a year alone: 2022年度, 2022年全年)."""
    def part(n: int) -> str:  # 2022年1-12月: the first month may leave out its 月
        return rf"(?P<m{n}>{_MONTH})\s*(?:月份?\s*(?:(?P<d{n}>{_DAY})\s*[日号])?)" + ("?" if n == 1 else "")

    span = regex.compile(rf"(?P<y1>{_YEAR})\s*年\s*{part(1)}\s*起?\s*[,，]?\s*{_CONNECTOR}\s*"
                      rf"(?:(?P<y2>{_YEAR})\s*年\s*)?{part(2)}(?!\s*\d)")
    whole = regex.compile(rf"(?P<y>{_YEAR})\s*(?:年\s*(?:度|全年|1\s*[-—至到]\s*12\s*月)?)?(?=\s*(?:[,，。；;)）的内中全]|$))")
    return span, whole


def read_period_clause(clause: str, cutoff: bool = False) -> PeriodReading | None:
    """What follows a period keyword (统计期限…) up to the end of its sentence, read strictly; None
    when the words do not state a period here ("统计期间，共…")."""
    folded = fold_width(clause)
    lead = re.match(_PERIOD_LEAD, folded).end()
    rest = folded[lead:]
    if not folded[:lead].strip() and rest[:1] in ("，", ",", "。", "；", ";", ""):
        return None  # 统计期间，全年共…: the words run on, no period here
    if cutoff:
        found = find_dates(rest)
        if found and found[0].start == 0:
            return PeriodReading(None, found[0].date, None)
        month = re.match(rf"(?P<y>{_YEAR})\s*年\s*(?:(?P<m>{_MONTH})\s*月(?!\s*\d)|(?P<end>底|末))", rest)
        if month and (month["end"] or 1 <= number(month["m"]) <= 12):  # 2022年11月(底), 2022年底
            return PeriodReading(None, _month_end(number(month["y"]), 12 if month["end"] else number(month["m"])), None)
        return _defect(rest, ranged=True)
    whole_period = find_period(rest)
    if whole_period and whole_period.start_offset <= 1:
        return PeriodReading(whole_period.start, whole_period.end, None)
    span, whole = _loose_period_re()
    m = span.match(rest)
    if m:
        y1 = number(m["y1"])
        start = _make_date(y1, number(m["m1"]), number(m["d1"]) if m["d1"] else 1)
        y2 = number(m["y2"]) if m["y2"] else y1
        m2 = number(m["m2"])
        end = _make_date(y2, m2, number(m["d2"])) if m["d2"] else (_month_end(y2, m2) if 1 <= m2 <= 12 else None)
        if start and end and end < start and not m["y2"]:
            end = end.replace(year=end.year + 1) if not (end.month == 2 and end.day == 29) else None
        if start and end and start <= end:
            return PeriodReading(start, end, None)
    m = whole.match(rest)
    if m:
        y = number(m["y"])
        if 2000 <= y <= 2099:
            return PeriodReading(_dt.date(y, 1, 1), _dt.date(y, 12, 31), None)
    return _defect(rest, ranged=bool(re.search("[自从]", folded[:lead])))


def _defect(rest: str, ranged: bool = False) -> PeriodReading | None:
    """A period statement whose dates are not all there: blank (only 年 月 日 至 printed), partial
    (some dates), garbled (figures that are not dates); None when no period is stated here.
    `ranged`: the words before began a range (自/从)."""
    head = re.split(r"[，,。；;\n]", rest, maxsplit=1)[0]
    if not head.strip() or re.fullmatch(_SCAFFOLD, head):
        return PeriodReading(None, None, "blank")
    if not (head[0].isdigit() or head[0] in _CN_DIGIT or re.match(_SCAFFOLD, head).end()):
        return None  # 统计期间共收到…: words, not a period
    if not re.search(r"\d|" + _CN_YEAR, head):
        return None
    if not (ranged or re.search(_CONNECTOR, head)):
        return None  # 统计日期：2023年1月10日 — when the figures were compiled, a point in time
    found = find_dates(head)
    if found:
        first = found[0]
        return PeriodReading(first.date if first.start <= 1 else None,
                             found[-1].date if len(found) > 1 else None, "partial")
    return PeriodReading(None, None, "garbled")


def _month_end(year: int, month: int) -> _dt.date | None:
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        return None
    return _dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)


def year_of_title(title: str) -> int | None:
    """The report year in a title (2000-2099): prefer "YYYY年度", then a year not followed by a month."""
    folded = fold_width(title)
    ranked = []
    for m in _TITLE_YEAR.finditer(folded):
        year = number(m["y"])
        if not 2000 <= year <= 2099:
            continue
        if m["suffix"] == "年度":
            rank = 0
        elif m["suffix"] and not _FOLLOWED_BY_MONTH.match(folded, m.end()):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, m.start(), year))
    return min(ranked)[2] if ranked else None


def _parse_month_day(s: str, start: _dt.date) -> _dt.date | None:
    """'12月31日' after a start date: same year, or the next one if it would end before it."""
    for pattern in _PARSE_MD + [_cn_parsers()[1]] if _has_cn_dates(s) else _PARSE_MD:
        m = pattern.fullmatch(s)
        if m:
            month, day = number(m["m"]), number(m["d"])
            end = _make_date(start.year, month, day)
            if end is not None and end < start:
                end = _make_date(start.year + 1, month, day)
            return end
    return None


def number(s: str) -> int:
    """'2017', '二〇一七', '十二', '二十四', '三十一' to int (also section numbers)."""
    if s.isdigit() and s.isascii():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    value = 0
    for ch in s:
        value = value * 10 + _CN_DIGIT[ch]
    return value


def _make_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None

"""Chinese date, period and title-year parsing (gkcheck.chinese.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkcheck.chinese.dates import (
    DateMatch,
    PeriodMatch,
    find_dates,
    find_period,
    parse_date,
    year_of_title,
)

MIN, MAX = dt.date(1990, 1, 1), dt.date(2099, 12, 31)
DATES = st.dates(min_value=MIN, max_value=MAX)
CN_DIGITS = "〇一二三四五六七八九"
ZEROS = ["〇", "○", "零"]
SPACES = ["", "", " ", "  ", "\u3000"]
FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
# Text around a date: no digits, letters, 年月日号, nor the period words 自从起止至到.
SURROUND = st.text(
    alphabet="政府信息公开工作报告本机关统计期为主动申请办理情况一二三四五六七八九十〇。，、：；“”《》（）【】 ",
    max_size=12,
)


def cn_small(n: int) -> str:
    """1..31 the way reports write month and day: 十, 十二, 二十, 二十四, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


@st.composite
def written_date(draw, dates=DATES, forms=("ymd", "sep", "compact", "cn")):
    """(date, written text, form) in any supported form."""
    d = draw(dates)
    form = draw(st.sampled_from(forms))
    sp = lambda: draw(st.sampled_from(SPACES))
    pad = lambda n: draw(st.sampled_from([str(n), f"{n:02d}"]))
    day_word = draw(st.sampled_from("日日号"))
    if form == "ymd":
        s = f"{d.year}{sp()}年{sp()}{pad(d.month)}{sp()}月{sp()}{pad(d.day)}{sp()}{day_word}"
    elif form == "sep":
        sep = draw(st.sampled_from("-/."))
        s = f"{d.year}{sep}{pad(d.month)}{sep}{pad(d.day)}"
    elif form == "compact":
        s = d.strftime("%Y%m%d")
    else:
        year = "".join(draw(st.sampled_from(ZEROS)) if c == "0" else CN_DIGITS[int(c)] for c in str(d.year))
        s = f"{year}{sp()}年{sp()}{cn_small(d.month)}{sp()}月{sp()}{cn_small(d.day)}{sp()}{day_word}"
    if form != "cn" and draw(st.booleans()):
        s = s.translate(FULL_WIDTH)
    return d, s, form


@st.composite
def written_month_day(draw, d: dt.date) -> str:
    """The end of a period with its year left out: 12月31日 / 十二月三十一日."""
    sp = lambda: draw(st.sampled_from(SPACES))
    if draw(st.booleans()):
        return f"{cn_small(d.month)}{sp()}月{sp()}{cn_small(d.day)}{sp()}日"
    s = f"{d.month}{sp()}月{sp()}{d.day}{sp()}日"
    return s.translate(FULL_WIDTH) if draw(st.booleans()) else s


@st.composite
def written_period(draw):
    start = draw(DATES)
    end = draw(st.dates(min_value=start, max_value=MAX))
    _, a, form = draw(written_date(st.just(start)))
    if form in ("ymd", "cn") and start.year == end.year and draw(st.booleans()):
        b = draw(written_month_day(end))
    else:
        _, b, _ = draw(written_date(st.just(end)))
    sp = lambda: draw(st.sampled_from(["", " "]))
    prefix = draw(st.sampled_from(["", "自", "从"]))
    since = draw(st.sampled_from(["", "起"]))
    until = draw(st.sampled_from(["", "止"]))
    conn = draw(st.sampled_from(["至", "到", "—", "——", "–", "-", "~", "～", "－"]))
    return start, end, f"{prefix}{a}{since}{sp()}{conn}{sp()}{b}{until}"


# --- property tests -------------------------------------------------------------------------


@given(written_date())
def test_parse_any_written_form(case):
    d, s, _ = case
    assert parse_date(s) == d


@given(written_date(), SURROUND, SURROUND)
def test_find_dates_in_text_with_offsets(case, before, after):
    d, s, _ = case
    text = before + s + after
    assert find_dates(text) == [DateMatch(d, len(before), len(before) + len(s), s)]


@given(written_period(), SURROUND, SURROUND)
def test_find_period_any_form(case, before, after):
    start, end, s = case
    text = before + s + after
    assert find_period(text) == PeriodMatch(start, end, len(before), len(before) + len(s), s)


# --- examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "s, expected",
    [
        ("2017年2月24日", (2017, 2, 24)),
        ("2017年02月24日", (2017, 2, 24)),
        ("2017 年 2 月 24 日", (2017, 2, 24)),
        ("2017-02-24", (2017, 2, 24)),
        ("2017-2-24", (2017, 2, 24)),
        ("2017/2/24", (2017, 2, 24)),
        ("2017.2.24", (2017, 2, 24)),
        ("2017.02.24", (2017, 2, 24)),
        ("20170224", (2017, 2, 24)),
        ("二〇一七年二月二十四日", (2017, 2, 24)),
        ("二○一七年二月二十四日", (2017, 2, 24)),
        ("二零一七年十二月三十一日", (2017, 12, 31)),
        ("二〇二〇年十月十日", (2020, 10, 10)),
        ("２０１７年２月２４日", (2017, 2, 24)),
        ("  2017-02-24\n", (2017, 2, 24)),
    ],
)
def test_parse_examples(s, expected):
    assert parse_date(s) == dt.date(*expected)


@pytest.mark.parametrize(
    "s",
    ["2017年2月30日", "2017-02-30", "20170230", "20171301", "2017年13月1日", "二〇一七年二月三十日",
     "2017-2/24", "2017年2月", "", "日期", "2017-02-24 10:00", "12345678"],
)
def test_parse_invalid_is_none(s):
    assert parse_date(s) is None


def test_index_number_is_not_a_date():
    text = "索引号：11330000002482322Q/2017-05123"
    assert find_dates(text) == []


def test_no_dates_inside_longer_numbers():
    assert find_dates("编号 120170224 与 201702245 与 1.2017.2.24 与 2017.2.24.1") == []


def test_find_dates_several_and_invalid_skipped():
    text = "发布日期：2017-05-12，成文日期：二〇一七年五月十日，另2017年2月30日无效。"
    found = find_dates(text)
    assert [m.date for m in found] == [dt.date(2017, 5, 12), dt.date(2017, 5, 10)]
    assert [text[m.start:m.end] for m in found] == [m.text for m in found] == ["2017-05-12", "二〇一七年五月十日"]


def test_find_dates_offsets_with_full_width_and_crlf():
    text = "\r\n成文日期：２０１７年２月２４日\r\n"
    (m,) = find_dates(text)
    assert m.date == dt.date(2017, 2, 24)
    assert text[m.start:m.end] == "２０１７年２月２４日"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("本报告统计期限自2016年1月1日至2016年12月31日。", (2016, 1, 1), (2016, 12, 31)),
        ("2016年1月1日到12月31日", (2016, 1, 1), (2016, 12, 31)),
        ("2016年1月1日—2016年12月31日", (2016, 1, 1), (2016, 12, 31)),
        ("2016年1月1日——2016年12月31日", (2016, 1, 1), (2016, 12, 31)),
        ("2016年1月1日~2016年12月31日", (2016, 1, 1), (2016, 12, 31)),
        ("2019年1月1日起至2019年12月31日止", (2019, 1, 1), (2019, 12, 31)),
        ("二〇一六年一月一日至二〇一六年十二月三十一日", (2016, 1, 1), (2016, 12, 31)),
        ("二〇一六年一月一日至十二月三十一日", (2016, 1, 1), (2016, 12, 31)),
        ("2016.1.1-2016.12.31", (2016, 1, 1), (2016, 12, 31)),
        ("２０１６年１月１日－２０１６年１２月３１日", (2016, 1, 1), (2016, 12, 31)),
        ("2016年7月1日至6月30日", (2016, 7, 1), (2017, 6, 30)),
    ],
)
def test_find_period_examples(text, start, end):
    m = find_period(text)
    assert m is not None
    assert (m.start, m.end) == (dt.date(*start), dt.date(*end))
    assert text[m.start_offset:m.end_offset] == m.text


def test_find_period_text_and_offsets():
    text = "数据统计期限自2016年1月1日起至2016年12月31日止。"
    m = find_period(text)
    assert m.text == "自2016年1月1日起至2016年12月31日止"
    assert m.start_offset == text.index("自")


@pytest.mark.parametrize(
    "text",
    ["截至2016年12月31日", "2016年12月31日至2016年1月1日", "2016年2月30日至2016年12月31日", "无日期", ""],
)
def test_find_period_none(text):
    assert find_period(text) is None


@pytest.mark.parametrize(
    "title, year",
    [
        ("浙江省商务厅2016年政府信息公开工作报告", 2016),
        ("平潭综合实验区管委会2019年度政府信息公开工作年度报告", 2019),
        ("二〇一六年度政府信息公开工作年度报告", 2016),
        ("二○一九年政府信息公开工作年度报告", 2019),
        ("北京市2020年政府信息公开工作年度报告（2021年1月发布）", 2020),
        ("２０１８年度政府信息公开工作年度报告", 2018),
        ("政府信息公开工作年度报告", None),
        ("1999年政府信息公开工作年度报告", None),
    ],
)
def test_year_of_title(title, year):
    assert year_of_title(title) == year


# --- the statistics period read strictly (read_period_clause) ---------------------------------

from gkcheck.chinese.dates import PeriodReading, read_period_clause  # noqa: E402

# What follows the keyword before the dates (统计期限为… / 统计期限自… / 统计期限：…).
LEADS = st.sampled_from(["为", "是", "：", ":", "", " ", "为 "])
TAILS = st.sampled_from(["", "。", "，本报告电子版可在门户网站下载。", "；"])


@given(written_period(), LEADS, TAILS)
def test_a_whole_period_is_read_back(case, lead, tail):
    start, end, s = case
    assert read_period_clause(lead + s + tail) == PeriodReading(start, end, None)


@given(written_period(), LEADS, TAILS, st.data())
def test_a_period_with_its_figures_blanked_is_a_defect(case, lead, tail, data):
    """Blank out every figure of a printed period (as a template left unfilled): never read as a
    valid period, never taken for words."""
    _, _, s = case
    blanked = "".join(" " if c.isdigit() or c in "〇○零一二三四五六七八九十０１２３４５６７８９" else c for c in s)
    reading = read_period_clause(lead + blanked + tail)
    assert reading is not None and reading.defect == "blank"


@given(written_date(forms=("ymd",)), LEADS, st.sampled_from(["至", "到", "—", "起至"]),
       st.sampled_from(["  年  月  日", "    年  月  日止", "", "____年__月__日"]))
def test_a_period_without_its_end_is_partial(case, lead, conn, blank_end):
    d, s, _ = case
    reading = read_period_clause(f"{lead}自{s}{conn}{blank_end}。")
    assert reading.defect in ("partial", "blank") and reading.end is None


@pytest.mark.parametrize("clause, expected", [
    ("为2022年度。", PeriodReading(dt.date(2022, 1, 1), dt.date(2022, 12, 31), None)),
    ("为2022年1月至12月。", PeriodReading(dt.date(2022, 1, 1), dt.date(2022, 12, 31), None)),
    ("为2022年1-11月。", PeriodReading(dt.date(2022, 1, 1), dt.date(2022, 11, 30), None)),
    ("自2022年1月1日起，至2022年12月31日止。", PeriodReading(dt.date(2022, 1, 1), dt.date(2022, 12, 31), None)),
    ("为2022 1 1至2022 12 31。", PeriodReading(None, None, "garbled")),
    ("自至。", PeriodReading(None, None, "blank")),
    ("内，共收到申请5件。", None),
    ("，全年共收到申请5件。", None),
])
def test_read_period_clause_examples(clause, expected):
    assert read_period_clause(clause) == expected


@pytest.mark.parametrize("clause, end", [("为2022年12月31日。", dt.date(2022, 12, 31)),
                                         ("为2022年11月。", dt.date(2022, 11, 30))])
def test_a_cut_off_date_is_an_end_alone(clause, end):
    assert read_period_clause(clause, cutoff=True) == PeriodReading(None, end, None)


@pytest.mark.parametrize("clause", ["：2023年1月10日。", "为每月月底。", "段内共收到申请5件。"])
def test_words_after_a_period_keyword_that_state_no_period(clause):
    """统计日期：2023年1月10日 is when the figures were compiled, not a broken period."""
    assert read_period_clause(clause) is None


def test_a_year_alone_is_the_whole_year():
    assert read_period_clause("为2022。") == PeriodReading(dt.date(2022, 1, 1), dt.date(2022, 12, 31), None)


@pytest.mark.parametrize("clause, end", [("2022年底。", dt.date(2022, 12, 31)), ("到2022年11月底。", dt.date(2022, 11, 30)),
                                         ("为2022年末", dt.date(2022, 12, 31))])
def test_a_cut_off_at_the_end_of_a_year_or_month(clause, end):
    assert read_period_clause(clause, cutoff=True) == PeriodReading(None, end, None)

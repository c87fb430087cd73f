"""Prose arithmetic: numbers as reports write them, and totals with their parts, as properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gkcheck.chinese.numbers import parse_number
from gkcheck.engine import run_rule
from gkcheck.report.model import Report

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """n (< 10^8) in Chinese numerals as reports print them (一百零五, 两万三千 is also read)."""
    if n == 0:
        return "零"

    def below_10000(k: int) -> str:
        out, zero = "", False
        for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            d, k = divmod(k, size)
            if d:
                out += ("零" if zero and out else "") + DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10000)
    text = (below_10000(high) + "万" if high else "") + (("零" if high and low < 1000 and low else "") + below_10000(low))
    return text[1:] if text.startswith("一十") else text


@pytest.mark.parametrize("text,value", [
    ("1,234", 1234), ("12.5", Decimal("12.5")), ("1.2万", 12000), ("3千", 3000), ("三千", 3000),
    ("一百二十", 120), ("两万三千", 23000), ("一百零五", 105), ("十二", 12), ("二〇二二", 2022),
])
def test_numbers_as_printed(text, value):
    assert parse_number(text) == value


def test_a_run_of_digits_is_an_estimate_not_a_number():
    assert parse_number("三四百") is None


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_read_back(n):
    assert parse_number(chinese(n)) == n


# ----------------------------------------------------------------------------- the rules

PARTS = st.lists(st.integers(min_value=1, max_value=5000), min_size=2, max_size=6)
LABELS = ["政策文件", "工作动态", "政策解读", "人事信息", "规划计划", "财政信息"]


def status(ruleset, rule_id: str, text: str) -> str:
    data = {"year": 2022, "agency": {"name": "某县某局", "kind": "department", "level": "county"},
            "sections": [{"number": "二、", "heading": "主动公开政府信息情况", "text": text}]}
    return run_rule(ruleset.get(rule_id), Report(data, source="property"))["status"]


def listing(parts: list[int], form=str) -> str:
    return "，".join(f"{label}{form(n)}条" for label, n in zip(LABELS, parts))


@settings(max_examples=40, deadline=None)
@given(parts=PARTS, marker=st.sampled_from(["其中", "包括"]), width=st.sampled_from(["ascii", "full", "chinese"]))
def test_parts_that_add_up_pass_in_any_script(ruleset, parts, marker, width):
    form = {"ascii": str, "chinese": chinese,
            "full": lambda n: str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})}[width]
    text = f"全年共主动公开政府信息{form(sum(parts))}条，{marker}{listing(parts, form)}。"
    assert status(ruleset, "prose.total_parts", text) == "pass"


@settings(max_examples=40, deadline=None)
@given(parts=PARTS, extra=st.integers(min_value=1, max_value=500))
def test_parts_exceeding_the_total_fail(ruleset, parts, extra):
    text = f"全年共主动公开政府信息{max(sum(parts) - extra, 1)}条，其中{listing(parts)}。"
    assert status(ruleset, "prose.total_parts", text) == "fail"


@settings(max_examples=40, deadline=None)
@given(parts=PARTS, missing=st.integers(min_value=1, max_value=500))
def test_a_shortfall_fails_only_when_the_sentence_says_the_parts_are_the_whole(ruleset, parts, missing):
    total = sum(parts) + missing
    assert status(ruleset, "prose.total_parts", f"共主动公开信息{total}条，包括{listing(parts)}。") == "fail"
    assert status(ruleset, "prose.total_parts", f"共主动公开信息{total}条，其中{listing(parts)}。") == "not_applicable"
    # a last part 其他 closes the list
    closed = f"共主动公开信息{total + 5}条，其中{listing(parts)}，其他信息5条。"
    assert status(ruleset, "prose.total_parts", closed) == "fail"


@settings(max_examples=30, deadline=None)
@given(parts=PARTS, extra=st.integers(min_value=1, max_value=500))
def test_channels_may_overlap_and_are_never_a_failure(ruleset, parts, extra):
    channels = "，".join(f"通过{c}公开{n}条" for c, n in zip(["政府网站", "政务微信", "政务微博", "政府公报", "客户端", "公开栏"], parts))
    text = f"全年共主动公开政府信息{max(sum(parts) - extra, 1)}条，其中{channels}。"
    assert status(ruleset, "prose.total_parts", text) == "not_applicable"


@settings(max_examples=30, deadline=None)
@given(count=st.integers(min_value=1, max_value=999), total=st.integers(min_value=1, max_value=999),
       decimals=st.integers(min_value=0, max_value=2))
def test_shares_rounded_to_their_printed_precision_pass(ruleset, count, total, decimals):
    count = min(count, total)
    share = round(Decimal(count) / Decimal(total) * 100, decimals)
    text = f"共收到申请{total}件，其中自然人{count}件，占{share}%。"
    assert status(ruleset, "prose.shares", text) == "pass"


@settings(max_examples=30, deadline=None)
@given(received=st.integers(min_value=1, max_value=500), more=st.integers(min_value=1, max_value=50))
def test_more_closed_than_received_with_a_full_rate_fails(ruleset, received, more):
    text = f"全年受理政府信息公开申请{received}件，办结{received + more}件，办结率100%。"
    assert status(ruleset, "prose.rates", text) == "fail"
    assert status(ruleset, "prose.rates", text.replace(f"办结{received + more}件", f"办结{received}件")) == "pass"


def test_words_keep_a_regex_beside_an_anchored_plain_word():
    from gkcheck.checks.prose import Words

    words = Words(["^共", ".共", "其中"])
    assert words.search("x共") and words.search("共3件") and words.search("其中")
    assert not Words(["^共"]).search("x共")


WORD_ITEMS = st.lists(st.sampled_from(["网站", "微信", "^共", "^其他", "上一?年", ".共", "涉及", "年"]), max_size=5)
WORD_TEXTS = st.lists(st.text(alphabet="共其他网站微信上一年涉及\n x", max_size=8), max_size=4)


@settings(max_examples=400, deadline=None)
@given(WORD_ITEMS, WORD_TEXTS)
@example(["网站"], ["通过网", "站公开"])
@example(["^共"], ["x", "共3件"])
def test_search_any_says_what_search_says_of_any_of_the_texts(items, texts):
    """The plain words are looked for once in the texts joined: never found across two of them."""
    from gkcheck.checks.prose import Words

    words = Words(items)
    assert words.search_any(texts) == any(words.search(t) for t in texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["人", "人次", "件", "元", "次", "次数"]), min_size=1, max_size=4),
       st.lists(st.tuples(st.sampled_from(["3", "12", "1,200", "三", "1.5", "二十"]),
                          st.sampled_from(["人", "人次", "件", "元", "次", "次数", "个", ""])), max_size=4))
def test_a_figure_takes_the_longest_unit_written_after_it(units, figures):
    from gkcheck.checks.prose import FigureReader

    text = "，".join(n + u for n, u in figures)
    read = FigureReader(units).read(text)
    expected = []
    for n, u in figures:
        unit = max((x for x in units if u.startswith(x)), key=len, default=None)
        if unit is not None:
            expected.append((n + unit, unit, parse_number(n)))
    assert [(f.text, f.unit, f.value) for f in read] == expected

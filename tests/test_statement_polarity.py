"""Negation in statement rules, as properties: a negation word flips a statement's polarity where
the rule cares about polarity, and words that only begin like a negation (未来, 无偿, 无障碍, 不断)
flip nothing. Rules that accept either polarity (the fee statement of the 2007 条例) pass both ways.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcheck.checks.statement import NEGATIONS, polarity
from gkcheck.engine import run_rule
from gkcheck.report.model import Report

NEGATING = ["未", "没有", "尚未", "并未", "从未"]
NOT_NEGATING = ["未来", "无偿", "无论", "无障碍", "无纸化", "不断", "零距离", "未成年人"]
ZERO_FREE = st.integers(min_value=1, max_value=99999)
NEG = re.compile("|".join(f"(?:{p})" for p in NEGATIONS))


def status(ruleset, rule_id: str, heading: str, text: str, year: int) -> str:
    data = {"year": year, "agency": {"name": "某县某局", "kind": "department", "level": "county"},
            "sections": [{"number": "一、", "heading": heading, "text": text}]}
    return run_rule(ruleset.get(rule_id), Report(data, source="property"))["status"]


# ----------------------------------------------------------------------------- polarity()

CLAUSE_WORDS = st.text(alphabet="本年度全市依申请提供政府信息工作部门窗口网站平台按照规定要求", max_size=12)


@given(before=CLAUSE_WORDS, after=CLAUSE_WORDS, neg=st.sampled_from(NEGATING))
def test_a_negation_in_the_clause_flips_polarity(before, after, neg):
    sentence = f"{before}收取复制费{after}。"
    m = re.search("收取复制费", sentence)
    assert polarity(sentence, m, NEG) == "affirmative"
    negated = f"{before}{neg}收取复制费{after}。"
    assert polarity(negated, re.search("收取复制费", negated), NEG) == "negative"


@given(before=CLAUSE_WORDS, word=st.sampled_from(NOT_NEGATING))
def test_words_that_only_look_negative_do_not_flip(before, word):
    sentence = f"{before}{word}收取复制费。"
    assert polarity(sentence, re.search("收取复制费", sentence), NEG) == "affirmative"


@given(neg=st.sampled_from(NEGATING), n=ZERO_FREE)
def test_a_negation_in_another_clause_does_not_flip(neg, n):
    sentence = f"本年度{neg}收到投诉，收取复制费{n}元。"
    assert polarity(sentence, re.search("收取复制费", sentence), NEG) == "affirmative"


@given(n=ZERO_FREE)
def test_zero_is_a_negation_only_as_a_whole_number(n):
    for amount, expected in ((0, "negative"), (n * 10, "affirmative"), (n, "affirmative")):
        sentence = f"收取复制费{amount}元。"
        assert polarity(sentence, re.search("收取复制费", sentence), NEG) == expected


# ----------------------------------------------------------------------------- rules

FEES = st.sampled_from(["检索费", "复制费", "邮寄费", "检索、复制、邮寄等成本费用", "复制、邮寄费用"])


@settings(max_examples=40, deadline=None)
@given(fee=FEES, n=ZERO_FREE, neg=st.sampled_from(NEGATING + ["不再", "免收", "取消"]))
def test_no_cost_fees_flips_with_negation(ruleset, fee, n, neg):
    """fee.2019.no_cost_fees looks for an affirmative charge: a negation makes it pass."""
    charged = f"全年依申请提供政府信息收取{fee}{n}元。"
    assert status(ruleset, "fee.2019.no_cost_fees", "其他需要报告的事项", charged, 2021) == "fail"
    verb = "收取" if neg not in ("免收", "取消") else ""
    denied = f"全年依申请提供政府信息{neg}{verb}{fee}。"
    assert status(ruleset, "fee.2019.no_cost_fees", "其他需要报告的事项", denied, 2021) == "pass"


@settings(max_examples=40, deadline=None)
@given(fee=FEES, n=ZERO_FREE, word=st.sampled_from(["未来", "无论", "不断", "无纸化"]))
def test_no_cost_fees_is_not_fooled_by_look_alike_negations(ruleset, fee, n, word):
    text = f"{word}收取{fee}{n}元。"
    assert status(ruleset, "fee.2019.no_cost_fees", "其他需要报告的事项", text, 2021) == "fail"


@settings(max_examples=40, deadline=None)
@given(neg=st.sampled_from(["", *NEGATING]), what=st.sampled_from(["收取任何费用", "发生收费情况", "收取检索、复制费"]))
def test_fee_statement_of_2007_accepts_both_polarities(ruleset, neg, what):
    text = f"2016年，我局依申请提供政府信息{neg}{what}。"
    assert status(ruleset, "content.2007.fees", "概述", text, 2016) == "pass"


@settings(max_examples=40, deadline=None)
@given(neg=st.sampled_from(NEGATING), what=st.sampled_from(["收取任何费用", "收取信息处理费", "发生收费情况", "产生信息处理费"]))
def test_section6_fee_statement_accepts_negatives(ruleset, neg, what):
    text = f"2022年，本机关{neg}{what}。"
    assert status(ruleset, "fee.2021.section6", "其他需要报告的事项", text, 2022) == "pass"


@settings(max_examples=40, deadline=None)
@given(which=st.sampled_from(["部门预算", "部门决算", "部门预算和部门决算"]), year=st.integers(2019, 2024),
       neg=st.sampled_from(["未", "尚未", "没有"]))
def test_budget_publication_flips_with_negation(ruleset, which, year, neg):
    """budget.2019.published wants an affirmative publication: 未公开 is not one."""
    published = f"在门户网站公开{year}年{which}。"
    assert status(ruleset, "budget.2019.published", "主动公开政府信息情况", published, year) == "pass"
    withheld = f"{year}年{which}{neg}公开。"
    assert status(ruleset, "budget.2019.published", "主动公开政府信息情况", withheld, year) == "fail"


@settings(max_examples=30, deadline=None)
@given(word=st.sampled_from(["无障碍", "无纸化", "零距离"]), which=st.sampled_from(["部门预算", "部门决算"]))
def test_budget_publication_is_not_fooled_by_look_alike_negations(ruleset, word, which):
    text = f"通过{word}服务专栏公开{which}。"
    assert status(ruleset, "budget.2019.published", "主动公开政府信息情况", text, 2021) == "pass"


@pytest.mark.parametrize("text", [
    "公开减免税政策信息12条。", "未公开减免税政策信息。",
    "主动公开价格和收费信息25条。", "未主动公开价格和收费信息。",
    "公开行政事业性收费项目12项。", "未公开行政事业性收费项目。",
    "公开收费公路信息。", "未公开收费公路信息。",
    "落实税费减免政策。", "未落实税费减免政策。",
    "向下属单位收取工作经费。", "不向下属单位收取工作经费。",
])
def test_other_fees_are_never_a_fee_statement_whatever_the_polarity(ruleset, text):
    assert status(ruleset, "content.2007.fees", "概述", text, 2016) == "fail"


# ----------------------------------------------------------------------------- topics skipped early
@pytest.mark.parametrize("text, status, missing", [
    ("本年度未收取任何费用。", "pass", ""),           # the second topic of the name is found
    ("本年度未收费。", "pass", ""),                  # the first one
    ("本年度无此事项。", "fail", "费用、费用"),       # neither: the words of both are absent
])
def test_a_topic_whose_words_are_absent_leaves_its_namesake_to_be_found(text, status, missing):
    """Topics whose words the scope never uses are skipped before the sentences are read; two
    topics may share a name (a user's pack), and skipping one must not skip the other."""
    from gkcheck.checks.statement import compile as compile_statement

    run = compile_statement({"topics": [{"name": "费用", "patterns": ["收费"]}, {"name": "费用", "patterns": ["费用"]}]})
    data = {"year": 2021, "agency": {"name": "某局"}, "sections": [{"heading": "其他情况", "text": text}]}
    outcome = run(Report(data, source="t.yaml"))
    assert (outcome.status, outcome.values["missing"]) == (status, missing)


# ------------------------------------------- which sentence each topic is taken from

def _plain_found(params: dict, report: Report) -> dict:
    """The statement check's choice written out plainly: sentence by sentence, each topic in
    turn, a name taken from the first sentence that states any topic of that name."""
    from gkcheck.checks.scope import Scope, compile_patterns, location, readings, topic_match, unless_patterns

    exclude = compile_patterns(params.get("exclude", []))
    negations = compile_patterns(NEGATIONS)
    found = {}
    for sentence, heading_end in readings(Scope(params.get("scope")), report):
        if exclude and exclude.search(sentence.text):
            continue
        for t in params["topics"]:
            if t["name"] in found:
                continue
            m = topic_match(sentence.text, compile_patterns(t["patterns"]), unless_patterns(t.get("unless", [])))
            if not m or (heading_end is not None and m.start() >= heading_end):
                continue
            also = compile_patterns(t.get("and", []))
            if also and not also.search(sentence.text):
                continue
            pol = polarity(sentence.text, m, negations)
            if t.get("polarity", "any") not in ("any", pol):
                continue
            found[t["name"]] = {"text": sentence.text, "topic": t["name"], "polarity": pol,
                                "location": location(sentence)}
    return found


WORDS = ["收费", "公开", "复议", "诉讼", "未", "无", "申请", "，"]
TOPICS = st.lists(st.fixed_dictionaries(
    {"name": st.sampled_from(["甲", "乙", "丙"]),
     "patterns": st.lists(st.sampled_from(["收费", "公开", "复议|诉讼", "申请.?公开", "[收公]"]), min_size=1, max_size=2)},
    optional={"unless": st.lists(st.sampled_from(["收费标准", "公开申请"]), min_size=1, max_size=1),
              "and": st.lists(st.sampled_from(["未", "申请"]), min_size=1, max_size=1),
              "polarity": st.sampled_from(["affirmative", "negative", "any"])}), min_size=1, max_size=4)
SECTIONS = st.lists(st.fixed_dictionaries(
    {"heading": st.sampled_from(["一、总体情况", "二、收费情况", "三、复议诉讼"]),
     "text": st.lists(st.lists(st.sampled_from(WORDS), max_size=6).map("".join), max_size=5).map("。".join)}),
    min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(TOPICS, SECTIONS, st.sampled_from([[], ["复议"]]), st.sampled_from([None, {"sections": ["收费|复议"]}]))
def test_each_topic_is_taken_from_the_sentence_the_plain_reading_takes(topics, sections, exclude, scope):
    from gkcheck.checks.statement import compile as compile_statement

    params = {"topics": topics, "exclude": exclude, **({"scope": scope} if scope else {})}
    report = Report({"year": 2023, "sections": sections}, source="property")
    outcome = compile_statement(params)(report)
    plain = _plain_found(params, Report({"year": 2023, "sections": sections}, source="property"))
    assert outcome.evidence == list(plain.values())
    assert outcome.values["found"] == "、".join(plain)

"""Scopes: sections chosen by heading patterns, joined into one regex or searched one by one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcheck.checks.scope import Scope
from gkcheck.report.model import Report

REPORT = {
    "year": 2023,
    "title": "某局2023年政府信息公开工作年度报告",
    "sections": [
        {"heading": "一、总体情况", "text": "全年主动公开信息100条。"},
        {"heading": "二、收到和处理政府信息公开申请情况", "text": "收到申请5件。"},
        {"heading": "三、政府信息公开行政复议、行政诉讼情况", "text": "未发生行政复议。"},
        {"heading": "四、其他需要报告的事项", "text": "无。"},
    ],
}


def chosen(params):
    secs, matched = Scope(params).sections(Report(REPORT, source="t.yaml"))
    return [s.heading[:2] for s in secs], matched


@pytest.mark.parametrize("sections", [
    ["申请", "复议"],                       # joined into one regex
    ["(?P<x>申请)", "(?P<x>复议)"],          # the same group name twice: searched one by one
    ["(?i)申请", "复议"],                    # a global flag: one by one
])
def test_any_pattern_chooses_a_section(sections):
    assert chosen({"sections": sections}) == (["二、", "三、"], True)


@pytest.mark.parametrize("exclude, left", [
    (["复议"], ["一、", "二、", "四、"]),
    (["(?P<x>复议)", "(?P<x>事项)"], ["一、", "二、"]),
])
def test_excluded_sections_are_left_out(exclude, left):
    assert chosen({"exclude_sections": exclude}) == (left, True)


def test_no_heading_matches_falls_back_to_the_document_or_nothing():
    assert chosen({"sections": ["收费"]}) == (["一、", "二、", "三、", "四、"], False)
    assert chosen({"sections": ["收费"], "fallback": "none"}) == ([], False)


def test_a_numbered_back_reference_keeps_its_group():
    assert chosen({"sections": ["(总)体", "(问)题\\1"]}) == (["一、"], True)
    report = dict(REPORT, sections=REPORT["sections"] + [{"heading": "五、问题问", "text": "无。"}])
    secs, _ = Scope({"sections": ["(总)体", "(问)题\\1"]}).sections(Report(report, source="t.yaml"))
    assert [s.heading for s in secs] == ["一、总体情况", "五、问题问"]


def test_a_numbered_back_reference_in_a_joined_list_is_refused():
    from gkcheck.checks.scope import compile_patterns
    from gkcheck.errors import ParamError

    with pytest.raises(ParamError, match="反向引用"):
        compile_patterns(["(总)体", "(问)题\\1"])
    assert compile_patterns(["(?P<w>问)题(?P=w)"]).search("问题问")


def test_a_pattern_is_searched_only_in_the_readings_that_hold_its_words():
    import re

    from gkcheck.checks.scope import compile_patterns, readings_to_search

    report = Report(REPORT, source="t.yaml")
    everywhere, review = Scope(None), Scope({"sections": ["复议"]})

    def searched(pattern, scope):
        return [sentence.text for _, sentence, _ in readings_to_search(pattern, scope, report)]

    assert searched(compile_patterns(["收费", "收取[^，]{0,5}费"]), everywhere) == []
    assert searched(compile_patterns(["收到.{0,3}申请"]), everywhere) == [
        "收到申请5件。", "二、收到和处理政府信息公开申请情况：收到申请5件。"]  # and the heading with its answer
    assert searched(compile_patterns(["收到.{0,3}申请"]), review) == []  # in another section
    assert searched(compile_patterns(["行政复议"]), review) == ["未发生行政复议。", "三、政府信息公开行政复议、行政诉讼情况：未发生行政复议。"]
    assert searched(compile_patterns(["事项：无"]), Scope({"sections": ["其他"]})) == ["四、其他需要报告的事项：无。"]
    assert len(searched(re.compile("[收缴]费"), everywhere)) == 8  # no needles: every reading


HEADINGS = st.sampled_from(["总体情况", "主动公开", "依申请公开", "其他事项", "附表", "说明"])
SECTION_TREES = st.recursive(st.builds(lambda h: {"heading": h, "text": "有。"}, HEADINGS),
                             lambda inner: st.builds(lambda h, subs: {"heading": h, "sections": subs},
                                                     HEADINGS, st.lists(inner, max_size=3)), max_leaves=12)


def _reference(report: Report, include: list[str], exclude: list[str], fallback: str):
    """The choice written out plainly: excluded sections and everything under them go; a section
    whose heading matches comes with everything under it that is not excluded."""
    import re

    def under(sec):
        return [d for d in report.sections if d.index > sec.index and _ancestor(report, sec, d)]

    gone = {d.index for s in report.sections if any(re.search(p, s.heading) for p in exclude) for d in [s, *under(s)]}
    hit = {d.index for s in report.sections if s.index not in gone and any(re.search(p, s.heading) for p in include)
           for d in [s, *under(s)]}
    if not include:
        return [s.index for s in report.sections if s.index not in gone], True
    if hit - gone:
        return sorted(hit - gone), True
    return ([], False) if fallback == "none" else ([s.index for s in report.sections if s.index not in gone], False)


def _ancestor(report: Report, sec, d) -> bool:
    while d.parent is not None:
        if d.parent == sec.index:
            return True
        d = report.sections[d.parent]
    return False


@settings(max_examples=300, deadline=None)
@given(st.lists(SECTION_TREES, min_size=1, max_size=4),
       st.lists(st.sampled_from(["总体", "公开", "事项"]), max_size=2),
       st.lists(st.sampled_from(["依申请", "附表"]), max_size=1), st.sampled_from(["document", "none"]))
def test_a_scope_chooses_what_the_plain_reading_chooses(sections, include, exclude, fallback):
    report = Report({"year": 2023, "sections": sections}, source="t.yaml")
    secs, matched = Scope({"sections": include, "exclude_sections": exclude, "fallback": fallback}).sections(report)
    assert ([s.index for s in secs], matched) == _reference(report, include, exclude, fallback)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="收到申请3件。；;！？ \t\u3000一、", max_size=40), st.none() | st.integers(0, 50))
def test_one_line_text_is_split_as_the_line_reader_splits_it(text, line):
    """Text on one line (most JSON reports) takes the short way; it gives what the reader of
    wrapped lines gives."""
    from gkcheck.checks.scope import _split, _split_lines
    from gkcheck.report.model import SectionView

    sec = SectionView("一、", None, "一、", text, text, 0, line, line, 0, None)
    assert _split(sec) == list(_split_lines(text, line))

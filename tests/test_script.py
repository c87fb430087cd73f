"""Traditional script is read in simplified characters, line for line and character for character."""

from hypothesis import given
from hypothesis import strategies as st

from gkcheck.chinese.script import as_printed, has_traditional, to_simplified

TRADITIONAL = "政府信息公開工作年度報告總體情況統計期限行政復議訴訟辦理項數據處於後來發髮乾隆著裡甚麼臺灣"
SIMPLE = "政府信息公开工作年度报告总体情况统计期限行政复议诉讼办理项数据"


@given(st.text(alphabet=TRADITIONAL + SIMPLE + "0123456789年月日，。\n ", max_size=200))
def test_conversion_keeps_every_line_and_offset(text):
    simple = to_simplified(text)
    assert len(simple) == len(text)
    assert [len(line) for line in simple.split("\n")] == [len(line) for line in text.split("\n")]
    assert to_simplified(simple) == simple


def test_reading_and_quoting_as_printed():
    printed = "一、總體情況\n本報告所列數據統計期限自2022年1月1日起至2022年12月31日止。"
    read = to_simplified(printed)
    assert read == "一、总体情况\n本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。"
    assert as_printed("统计期限自2022年1月1日", printed, read) == "統計期限自2022年1月1日"
    assert as_printed("不在原文中", printed, read) == "不在原文中"


def test_a_few_traditional_characters_do_not_make_a_traditional_report():
    assert not has_traditional("X县2022年政府信息公开工作年度报告：赴臺灣交流1次")
    assert has_traditional("政府信息公開工作年度報告 總體情況")

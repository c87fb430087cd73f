"""Narrative text extraction: the cases real reports bring (numbering, signatures, metadata)."""

import pytest

from gkcheck.extract.text import build_report

SOURCE = {"path": "t.txt", "form": "text"}


def test_a_list_inside_a_section_does_not_take_over_the_sections():
    text = ("某市2021年政府信息公开工作年度报告\n一、总体情况\n本年度重点做了以下工作：一、加强组织领导。二、完善工作制度。"
            "三、强化督查。\n二、主动公开政府信息情况\n主动公开信息100条。\n三、收到和处理政府信息公开申请情况\n收到申请5件。\n")
    report = build_report(text, SOURCE)
    assert [(s["number"], s["heading"]) for s in report["sections"]] == [
        ("一、", "总体情况"), ("二、", "主动公开政府信息情况"), ("三、", "收到和处理政府信息公开申请情况")]


def test_run_on_signature_before_attachments():
    text = ("某县2011年政府信息公开工作报告 一、概述 全年公开信息10条。 二、存在的问题 培训不足。 "
            "二○一二年二月二十日 附件1：某县2011年政府信息公开情况统计表 指标名称计量单位")
    assert build_report(text, SOURCE)["signed"] == "2012-02-20"


def test_writing_date_is_not_the_publication_date():
    text = "成文日期: 2017-01-10\n某厅2016年政府信息公开工作年度报告\n一、概述\n全年公开信息10条。\n"
    report = build_report(text, SOURCE)
    assert report["published"] is None and report["metadata"]["成文日期"] == "2017-01-10"


def test_headings_after_a_flattened_table_and_breadcrumbs():
    text = ("当前位置: 首页政务公开年报 平潭综合实验区2021年度政府信息公开工作年度报告 来源：某 时间：2022-02-08 "
            "一、总体情况 全年公开。二、主动公开政府信息情况 行政事业性收费24252.311082三、收到和处理政府信息公开申请情况 "
            "收到申请。")
    report = build_report(text, SOURCE)
    assert report["title"] == "平潭综合实验区2021年度政府信息公开工作年度报告"
    assert [s["number"] for s in report["sections"] if s["number"]] == ["一、", "二、", "三、"]


@pytest.mark.parametrize("ending, signed, agency", [
    ("X市X区人民政府信息公开工作领导小组办公室 2023年1月20日", "2023-01-20", "X市X区人民政府信息公开工作领导小组办公室"),
    ("X市X区教育局\n2023年1月20日", "2023-01-20", "X市X区教育局"),
    ("本报告电子版可在本机关门户网站政府信息公开专栏下载，发布于2023年1月20日", None, None),
])
def test_the_signature_and_its_signer_are_read_together(ending, signed, agency):
    text = f"2022年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息100条。\n{ending}\n"
    report = build_report(text, SOURCE)
    assert report.get("signed") == signed
    if agency:
        assert report["agency"]["name"] == agency

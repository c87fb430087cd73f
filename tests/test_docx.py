"""gkcheck.extract.docx: paragraphs, real Word tables with gridSpan/vMerge, the 2021 template."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from gkcheck.extract import read_report
from gkcheck.extract.docx import read_docx, table_grid

ROOT = Path(__file__).parents[1]
TEMPLATE = ROOT / "fixtures/reports/format-2021-blank-template.docx"
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def template():
    return read_docx(TEMPLATE.read_bytes(), str(TEMPLATE))


def cells(report, tid):
    return {(c["row"], c["col"]): c for c in report["tables"][tid]["cells"]}


def test_template_labels_as_printed(template):
    assert set(template["tables"]) == {"T1", "T2", "T3"}
    assert all(t["format"] == "2021" and not t["unplaced"] for t in template["tables"].values())
    t2 = cells(template, "T2")
    c = t2["other.unpaid_fee", "commercial"]
    assert c["row_label"] == ("三、本年度办理结果 / （六）其他处理 / "
                              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    assert c["column_label"] == "申请人情况 / 法人或其他组织 / 商业企业"
    assert (c["kind"], c["printed"], c["value"]) == ("blank", "", None)
    assert c["location"] == {"table": 2, "row": 25, "column": 5}
    t3 = cells(template, "T3")
    assert t3["litigation_direct", "upheld"]["column_label"] == "行政诉讼 / 未经复议直接起诉 / 结果维持"
    assert len(t3) == 15 and len(t2) == 175 and len(cells(template, "T1")) == 10
    headings = [s["heading"] for s in template["sections"]]
    assert headings[-6:] == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                             "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    assert template["tables"]["T2"]["title"] == "三、收到和处理政府信息公开申请情况"


def p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def tc(text: str, span: int = 1, vmerge: str | None = None) -> str:
    props = ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


def docx(body: str) -> bytes:
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


T3_XML = "<w:tbl>" + "".join([
    "<w:tr>" + tc("行政复议", 5) + tc("行政诉讼", 10) + "</w:tr>",
    "<w:tr>" + "".join(tc(x, vmerge="restart") for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    + tc("未经复议直接起诉", 5) + tc("复议后起诉", 5) + "</w:tr>",
    "<w:tr>" + "".join(tc("", vmerge="") for _ in range(5))
    + "".join(tc(x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2) + "</w:tr>",
    "<w:tr>" + "".join(tc(str(v)) for v in (1, 0, 2, 0, 3, 4, 0, 0, 1, 5, 0, 0, 0, 0, 0)) + "</w:tr>",
]) + "</w:tbl>"


def test_synthetic_report_with_merged_cells_and_tracked_changes():
    body = (
        p("某区人民政府2022年政府信息公开工作年度报告")
        + "<w:sdt><w:sdtContent>" + p("一、总体情况") + "</w:sdtContent></w:sdt>"
        + '<w:p><w:r><w:t>本年度共收到申请</w:t></w:r><w:del><w:r><w:delText>99</w:delText></w:r></w:del>'
        + '<w:ins><w:r><w:t>12</w:t></w:r></w:ins><w:r><w:t>件。</w:t></w:r></w:p>'
        + p("二、政府信息公开行政复议、行政诉讼情况") + T3_XML
        + p("三、存在的主要问题及改进情况") + p("2023年1月20日")
    )
    report = read_report("synthetic.docx", docx(body))
    assert report["source"]["form"] == "docx"
    assert report["year"] == 2022 and report["agency"]["name"] == "某区人民政府"
    assert report["signed"] == "2023-01-20"
    text = report["sections"][0]["text"]
    assert "收到申请12件" in text and "99" not in text  # insertion kept, deletion dropped
    t3 = cells(report, "T3")
    assert [t3["review", k]["value"] for k in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3]
    assert t3["litigation_direct", "total"]["value"] == 5
    assert t3["litigation_direct", "total"]["column_label"] == "行政诉讼 / 未经复议直接起诉 / 总计"
    assert t3["review", "upheld"]["location"] == {"table": 1, "row": 4, "column": 1}


def test_grid_expansion_with_grid_before():
    from lxml import etree

    xml = (f'<w:tbl {NS}><w:tr>' + tc("A", vmerge="restart") + tc("B", 2) + "</w:tr>"
           "<w:tr>" + tc("", vmerge="") + tc("C") + tc("D") + "</w:tr>"
           '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + tc("E") + tc("F") + "</w:tr></w:tbl>")
    texts, origins = table_grid(etree.fromstring(xml), str.strip)
    assert texts == [["A", "B", "B"], ["A", "C", "D"], ["", "E", "F"]]
    assert origins == [[(1, 1), (1, 2), (1, 2)], [(1, 1), (2, 2), (2, 3)], [None, (3, 2), (3, 3)]]


def test_cells_csv_of_the_template(tmp_path):
    from click.testing import CliRunner

    from gkcheck.cli import cli

    out = tmp_path / "cells.csv"
    result = CliRunner().invoke(cli, ["extract", str(TEMPLATE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheets
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "source,table,row,column,row_label,column_label,printed,value,provenance"
    assert len(lines) == 1 + 10 + 175 + 15
    row = next(ln for ln in lines if ",T2,refused.state_secret,natural," in ln)
    assert row.endswith(",三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密,申请人情况 / 自然人,,,t2 r8 c4")

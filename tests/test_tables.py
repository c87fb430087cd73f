"""gkcheck.tables: cell semantics, label matching and placing grids onto T1/T2/T3."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkcheck.tables import (
    collect_tables,
    match_label,
    parse_cell,
    parse_number,
    place,
    place_grid,
)

SCHEMA = json.loads((Path(__file__).parents[1] / "gkcheck/report/schema.json").read_text("utf-8"))


def assert_valid_table(table: dict) -> None:
    import jsonschema

    jsonschema.validate(table, {"$ref": "#/$defs/table", "$defs": SCHEMA["$defs"]})


def cell_map(table: dict) -> dict:
    return {(c["row"], c["col"]): c for c in table["cells"]}


# ----------------------------------------------------------------------------- cells


@pytest.mark.parametrize("text", ["", " ", "\xa0", "\u3000", "\u200b", "\n\t", None])
def test_blank_cells(text):
    assert parse_cell(text) == (parse_cell(""))
    assert parse_cell(text).kind == "blank" and parse_cell(text).value is None


@pytest.mark.parametrize("text", ["—", "——", "–", "-", "--", "/", "／", "无", "－", " — ", "\\"])
def test_dash_cells(text):
    cell = parse_cell(text)
    assert (cell.kind, cell.value, cell.unit) == ("dash", None, None)


@pytest.mark.parametrize("text, value, unit", [
    ("0", 0, None), ("13", 13, None), ("1,234", 1234, None), ("1，234", 1234, None),
    ("１２３", 123, None), ("-8", -8, None), ("－8", -8, None), ("+3", 3, None),
    ("96171.6", 96171.6, None), ("12.0", 12, None),
    ("251000元", 251000, "元"), ("96171.6万元", 96171.6, "万元"), ("３９４０ 元", 3940, "元"),
    ("5（件）", 5, "件"), ("33.9%", 33.9, "%"), ("33.9％", 33.9, "%"), ("￥380", 380, "元"),
])
def test_number_cells(text, value, unit):
    cell = parse_cell(text)
    assert cell.kind == "number" and cell.value == value and cell.unit == unit
    assert type(cell.value) is type(value)  # int when integral, float otherwise


@pytest.mark.parametrize("text", ["不适用", "1,2", "12,34", "约5", "5件左右", "abc", "2.3.4", "一"])
def test_text_cells(text):
    assert parse_cell(text).kind == "text" and parse_cell(text).value is None


_FULL = str.maketrans("0123456789,", "０１２３４５６７８９，")


@given(st.integers(min_value=-10**15, max_value=10**15), st.booleans(), st.booleans())
def test_number_round_trip(n, separators, full_width):
    printed = f"{n:,}" if separators else str(n)
    if full_width:
        printed = printed.translate(_FULL)
    assert parse_number(printed) == Decimal(n)
    cell = parse_cell(printed)
    assert cell.kind == "number" and cell.value == n and isinstance(cell.value, int)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_round_trip(d):
    assert parse_number(f"{d:f}") == d


# ----------------------------------------------------------------------------- labels


@pytest.mark.parametrize("text, table, axis, parents, key", [
    ("2.其他法律行政止公开", "T2", "row", ("results", "refused"), "refused.law_prohibited"),
    ("2.其他法律行政法规禁止公外", "T2", "row", ("results", "refused"), "refused.law_prohibited"),
    ("4.无正当理由大量反复 申请", "T2", "row", ("results", "not_processed"), "not_processed.mass_repeat"),
    ("４．无正当理由大量\n反复申请", "T2", "row", (), "not_processed.mass_repeat"),
    ("3.危及\"三安全一稳定\"", "T2", "row", ("results", "refused"), "refused.three_safety"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "T2", "row", ("results",), "partial"),
    ("(二)部分公开", "T2", "row", ("results",), "partial"),
    ("规范性文件", "T1", "row", (), "normative_docs"),
    ("行政规范性文件", "T1", "row", (), "normative_docs"),
    ("本年新 制作数量", "T1", "col", (), "new_made"),
    ("本年增/减", "T1", "col", (), "change"),
    ("本年收费金额（单位：万元）", "T1", "col", (), "fee_amount"),
    ("本年收费金额(单位:万元)", "T1", "col", (), "fee_amount"),
    ("其他", "T2", "col", ("applicant", "legal_person"), "other_org"),
    ("（六）其他处理", "T2", "row", ("results",), "other"),
    ("3.其他", "T2", "row", ("results", "other"), "other.other"),
    ("（七）总计", "T2", "row", ("results",), "total_results"),
    ("总计", "T2", "col", ("applicant",), "total"),
    ("法人或其他组织小计", "T2", "col", ("applicant", "legal_person"), "subtotal"),
    ("其他结果", "T3", "col", (), "other"),
    ("复议后起诉", "T3", "row", (), "litigation_after_review"),
    ("未经复议直接起诉", "T3", "row", (), "litigation_direct"),
])
def test_label_variants(text, table, axis, parents, key):
    m = match_label(text, table, axis, parents)
    assert m is not None and m.key == key


def test_parent_decides_numbered_leaf():
    # A garbled leaf: the number and the group it is printed under decide.
    assert match_label("1.属于国家秘", "T2", "row", ("results", "refused")).key == "refused.state_secret"
    assert match_label("1.本机关不掌握相关政府信", "T2", "row", ("results", "unable")).key == "unable.not_held"
    assert match_label("3.其他", "T2", "row", ("results", "other")).key == "other.other"
    # "其他" alone is the T2 column 其他 (法人或其他组织), not a row label of T1.
    assert match_label("其他", "T1", "row") is None


def test_fuzzy_match_is_flagged_and_unrelated_labels_rejected():
    m = match_label("2.其他法律行政法规禁止公外", "T2", "row", ("results", "refused"))
    assert not m.exact and m.score < 1
    for text in ("备注", "合计金额", "第二十条第（一）项", "申请人情况", "本列数据的勾稽关系为"):
        assert match_label(text, "T2", "row") is None


def test_format_specific_labels():
    assert match_label("本年处理决定数量", "T1", "col").formats == {"2021"}
    assert match_label("处理决定数量", "T1", "col").formats == {"2019"}
    assert match_label("本年新公开数量", "T1", "col").formats == {"2019"}
    assert match_label("现行有效件数", "T1", "col").formats == {"2021"}


# ----------------------------------------------------------------------------- grids

T2_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3 + ["申请人情况"] * 7,
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3
    + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3
    + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
]


def header_origins(width=10):
    """Origins of T2_HEADER: the corner note spans 3×3, 申请人情况 1×7, 自然人/总计 2 rows."""
    corner = (1, 1)
    return [
        [corner] * 3 + [(1, 4)] * 7,
        [corner] * 3 + [(2, 4)] + [(2, 5)] * 5 + [(2, 10)],
        [corner] * 3 + [(2, 4)] + [(3, c) for c in range(5, 10)] + [(2, 10)],
    ]


def test_t2_grid_with_unknown_row_and_column():
    grid = [row + ["备注"] for row in T2_HEADER] + [
        ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "1", "", "", "", "", "6", ""],
        ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "3", "1", "", "", "", "", "4", "含1件转办"],
        ["三、本年度办理结果", "（八）其他统计项", "（八）其他统计项", "2", "", "", "", "", "", "2", ""],
        ["三、本年度办理结果", "（九）说明", "（九）说明", "", "", "", "", "", "", "", ""],
    ]
    origins = [row + [(r + 1, 11)] for r, row in enumerate(header_origins())]
    origins[1][10] = origins[2][10] = (1, 11)
    for r in range(3, 7):
        origins.append([(r + 1, 1)] * 3 if r == 3 else [(5, 1), (r + 1, 2), (r + 1, 2)])
        origins[-1] += [(r + 1, c) for c in range(4, 12)]
    tid, table = place_grid(grid, table_index=2, origins=origins)
    assert tid == "T2"
    assert_valid_table(table)
    cells = cell_map(table)
    assert cells[("received", "natural")]["value"] == 5
    assert cells[("received", "total")]["location"] == {"table": 2, "row": 4, "column": 10}
    assert cells[("granted", "commercial")]["row_label"] == "三、本年度办理结果 / （一）予以公开"
    assert cells[("granted", "other_org")]["column_label"] == "申请人情况 / 法人或其他组织 / 其他"
    unplaced = {(u["printed"], u["reason"].split("：")[0]) for u in table["unplaced"]}
    assert ("含1件转办", "列标签无法识别") in unplaced  # the extra column
    assert ("2", "未识别的行") in unplaced  # both values of the extra row
    assert ("（九）说明", "未识别的行（无数值）") in unplaced  # an extra row without values
    assert len([u for u in table["unplaced"] if u["printed"] == "2"]) == 2
    assert table["columns"] == ["natural", "commercial", "research", "nonprofit", "legal_service",
                                "other_org", "total"]


def test_unknown_column_without_values_is_reported():
    grid = [row + ["备注"] for row in T2_HEADER] + [
        ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "", "", "", "", "", "5", ""]]
    _, table = place_grid(grid, table_index=1)
    assert [u["printed"] for u in table["unplaced"]] == ["备注"]
    assert table["unplaced"][0]["reason"] == "未识别的列（无数值）"


def _t1_2021_grid():
    return [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "3"],
        ["行政规范性文件", "6", "9", "36"],
        ["第二十条第（五）项"] * 4,
        ["信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"],
        ["行政许可", "2293", "2293", "2293"],
        ["第二十条第（六）项"] * 4,
        ["信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"],
        ["行政处罚", "1282", "1282", "1282"],
        ["行政强制", "42", "42", "42"],
        ["第二十条第（八）项"] * 4,
        ["信息内容", "本年收费金额（单位：万元）", "本年收费金额（单位：万元）", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "96171.6", "96171.6", "96171.6"],
    ]


def _t1_2021_origins():
    out = []
    for r, row in enumerate(_t1_2021_grid()):
        if len(set(row)) == 1:
            out.append([(r + 1, 1)] * 4)
        elif len(set(row[1:])) == 1:
            out.append([(r + 1, 1)] + [(r + 1, 2)] * 3)
        else:
            out.append([(r + 1, c + 1) for c in range(4)])
    return out


def test_t1_2021_format():
    tid, table = place_grid(_t1_2021_grid(), table_index=1, origins=_t1_2021_origins())
    assert tid == "T1" and table["format"] == "2021"
    assert_valid_table(table)
    cells = cell_map(table)
    assert cells[("normative_docs", "in_force")]["value"] == 36
    assert cells[("licensing", "decisions")]["value"] == 2293
    assert cells[("coercion", "decisions")]["location"] == {"table": 1, "row": 11, "column": 2}
    fee = cells[("admin_fees", "fee_amount")]
    assert (fee["value"], fee["unit"], fee["printed"]) == (96171.6, "万元", "96171.6")
    assert fee["row_label"] == "第二十条第（八）项 / 行政事业性收费"
    assert len(table["cells"]) == 10 and table["unplaced"] == []


def test_t1_mixed_labels_give_unknown_format():
    grid = _t1_2021_grid()
    grid[1] = ["信息内容", "本年新制作数量", "本年废止件数", "现行有效件数"]
    p = place(grid, table_index=1, origins=_t1_2021_origins())
    assert p.table["format"] == "unknown"
    assert any("同时含有2019和2021格式" in n for n in p.notes)


def test_t1_without_origins_and_misaligned_colspan_pairs_by_order():
    # Shanghai-style: header 上一年项目数量 | 本年增/减 (2 slots) | 处理决定数量, data with the
    # colspan on the first value. Order pairing puts each value under its own header.
    grid = [["第二十条第（五）项"] * 5,
            ["信息内容", "上一年项目数量", "本年增/减", "本年增/减", "处理决定数量"],
            ["行政许可", "7", "7", "-2", "3"]]
    origins = [[(1, 1)] * 5, [(2, 1), (2, 2), (2, 3), (2, 3), (2, 5)], [(3, 1), (3, 2), (3, 2), (3, 4), (3, 5)]]
    _, table = place_grid(grid, table_index=1, origins=origins)
    cells = cell_map(table)
    assert [cells[("licensing", k)]["value"] for k in ("prev_count", "change", "decisions")] == [7, -2, 3]


def test_t3_one_row_and_transposed():
    header = [["行政复议"] * 5 + ["行政诉讼"] * 10,
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3]
    values = [str(i) for i in range(15)]
    _, flat = place_grid(header + [values], table_index=3)
    transposed = [["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                  ["行政复议"] + values[0:5],
                  ["行政诉讼", "未经复议直接起诉"] + values[5:10],
                  ["行政诉讼", "复议后起诉"] + values[10:15]]
    transposed[2] = ["未经复议直接起诉"] + values[5:10]
    transposed[3] = ["复议后起诉"] + values[10:15]
    _, trans = place_grid(transposed, table_index=3)
    for table in (flat, trans):
        assert_valid_table(table)
        assert table["format"] == "unknown"  # same labels in both formats
        got = {(c["row"], c["col"]): c["value"] for c in table["cells"]}
        assert got[("review", "upheld")] == 0
        assert got[("litigation_direct", "total")] == 9
        assert got[("litigation_after_review", "pending")] == 13
        assert len(got) == 15 and table["unplaced"] == []


def test_t3_all_blank_data_row():
    header = [["行政复议"] * 5 + ["行政诉讼"] * 10,
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3]
    _, table = place_grid(header + [[""] * 15], table_index=1)
    assert len(table["cells"]) == 15 and {c["kind"] for c in table["cells"]} == {"blank"}


def test_non_standard_table_is_not_placed():
    assert place_grid([["姓名", "电话"], ["张三", "123"]], table_index=1) == (None, None)
    assert place_grid([], table_index=1) == (None, None)


def test_split_t1_is_merged_and_t3_takes_the_report_format():
    grid, origins = _t1_2021_grid(), _t1_2021_origins()
    t3 = [["行政复议"] * 5 + ["行政诉讼"] * 10,
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
          ["0"] * 15]
    tables, notes = collect_tables([
        {"grid": grid[:4], "origins": origins[:4], "table_index": 1},
        {"grid": grid[4:], "origins": [[(r - 4, c) for r, c in row] for row in origins[4:]], "table_index": 2},
        {"grid": t3, "table_index": 3},
    ])
    assert len(tables["T1"]["cells"]) == 10 and tables["T1"]["format"] == "2021"
    assert tables["T3"]["format"] == "2021"
    assert any("表格1、表格2均被识别为T1" in n for n in notes)


def test_t2_without_merged_cells_like_pdf_tables():
    """Extractors that do not report merged cells leave the cells below a group label blank,
    and some print （三）/（六） as heading rows of their own: the group still applies."""
    header = [["", "", ""] + ["申请人情况"] + [""] * 6,
              ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
              ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
    v = ["1", "0", "0", "0", "0", "0", "1"]
    body = [
        ["一、本年新收政府信息公开申请数量", "", "", *v],
        ["三、本年度办理结果", "（一）予以公开", "", *v],
        ["", "（三）不予公开", "1.属于国家秘", *v],  # garbled: the group decides
        ["", "", "2.其他法律行政止公开", *v],
        ["", "（四）无法提供", "", *[""] * 7],  # a heading row
        ["", "", "1.本机关不掌握相关政府信", *v],
        ["", "（六）其他处理", "", *[""] * 7],  # 2021 format, heading row
        ["", "", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", *v],
        ["", "", "3.其他", *v],
        ["", "（七）总计", "", *v],
        ["四、结转下年度继续办理", "", "", *v],
    ]
    p = place(header + body, table_index=2)
    assert p.table_id == "T2" and p.table["unplaced"] == []
    rows = [c["row"] for c in p.table["cells"] if c["col"] == "natural"]
    assert rows == ["received", "granted", "refused.state_secret", "refused.law_prohibited",
                    "unable.not_held", "other.no_correction", "other.other", "total_results",
                    "carried_forward"]
    assert p.table["format"] == "2021"
    cells = cell_map(p.table)
    assert cells[("refused.law_prohibited", "total")]["row_label"] == (
        "三、本年度办理结果 / （三）不予公开 / 2.其他法律行政止公开")
    assert any("1.属于国家秘" in n and "近似匹配" in n for n in p.notes)


def test_group_heading_row_with_values_is_unplaced():
    grid = [row[:] for row in T2_HEADER] + [
        ["三、本年度办理结果", "（三）不予公开", "（三）不予公开", "9", "", "", "", "", "", "9"],
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "9", "", "", "", "", "", "9"],
    ]
    _, table = place_grid(grid, table_index=1)
    assert {u["reason"] for u in table["unplaced"]} == {"分组标题行不是标准行（可能是小计）"}
    assert len(table["unplaced"]) == 2
    assert cell_map(table)[("refused.state_secret", "natural")]["value"] == 9


def test_title_row_inside_the_table_is_not_a_label():
    t3 = [["四、政府信息公开行政复议、行政诉讼情况"] * 15,
          ["行政复议"] * 5 + ["行政诉讼"] * 10,
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
          ["1"] * 15]
    _, table = place_grid(t3, table_index=4)
    assert len(table["cells"]) == 15 and table["unplaced"] == []
    assert cell_map(table)[("review", "total")]["column_label"] == "行政复议 / 总计"
    t2 = [["收到和处理政府信息公开申请情况"] * 10] + [row[:] for row in T2_HEADER] + [
        ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "", "", "", "", "", "5"]]
    _, table = place_grid(t2, table_index=2)
    assert len(table["cells"]) == 7 and table["unplaced"] == []
    assert cell_map(table)[("received", "natural")]["column_label"] == "申请人情况 / 自然人"


def test_t3_header_without_merge_information():
    # As pdfplumber reports merged cells: the text in the first slot, the rest blank.
    grid = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
            ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "",
             "复议后起诉", "", "", "", ""],
            ["", "", "", "", "", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)],
            [str(i) for i in range(15)]]
    _, table = place_grid(grid, table_index=1)
    got = {(c["row"], c["col"]): c["value"] for c in table["cells"]}
    assert got[("review", "total")] == 4 and got[("litigation_direct", "upheld")] == 5
    assert got[("litigation_after_review", "total")] == 14 and len(got) == 15


def test_import_is_light():
    import subprocess
    import sys

    code = ("import sys, gkcheck.tables; "
            "heavy = [m for m in ('lxml', 'yaml', 'difflib', 'jsonschema') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_a_readable_table_from_the_text_beats_an_unreadable_grid():
    from gkcheck.tables import overlay

    readable = {"cells": [{"row": "review", "col": "total", "kind": "number", "value": 3}]}
    unreadable = {"cells": [], "unplaced": [{"printed": "3", "reason": "无法确定是行政复议还是哪类行政诉讼"}]}
    assert overlay({"T3": readable}, {"T3": unreadable})["T3"] is readable
    assert overlay({"T3": unreadable}, {"T3": readable})["T3"] is readable
    assert overlay({}, {"T3": unreadable})["T3"] is unreadable
    grid = {"cells": [{"row": "review", "col": "total", "kind": "number", "value": 4}]}
    assert overlay({"T3": readable}, {"T3": grid})["T3"] is grid  # the grid wins otherwise


def test_a_table_its_title_names_but_in_another_layout_is_kept_unreadable():
    p = place([["复议案件", "件数"], ["行政诉讼", "2"]], table_index=4, title="四、政府信息公开行政复议、行政诉讼情况")
    assert p.table_id == "T3" and p.table["cells"] == []
    assert {u["printed"] for u in p.table["unplaced"]} == {"复议案件", "件数", "行政诉讼", "2"}
    assert any("行列标签不是统一格式" in n for n in p.notes)
    # no label of the table at all: some other table of the section, not the standard one
    assert place([["公开渠道", "条数"], ["政府网站", "65"]], table_index=1, title="二、主动公开政府信息情况").table_id is None

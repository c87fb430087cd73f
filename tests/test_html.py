"""gkcheck.extract.html: decoding, text lines, table grids and the standard tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import gkcheck.extract.text as text_module
from gkcheck.extract.html import read_html, table_grid

ROOT = Path(__file__).parents[1]
SHANGHAI = ROOT / "fixtures/reports/shanghai-gov-office-2019.html"
EXPECTED = ROOT / "fixtures/expected/shanghai-gov-office-2019.tables.yaml"
SCHEMA = json.loads((ROOT / "gkcheck/report/schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def shanghai():
    return read_html(SHANGHAI.read_bytes(), str(SHANGHAI))


@pytest.fixture
def captured_text(monkeypatch):
    """The narrative text read_html hands to build_report."""
    seen = []
    real = text_module.build_report

    def spy(text, source, **kw):
        seen.append(text)
        return real(text, source, **kw)

    monkeypatch.setattr(text_module, "build_report", spy)
    return seen


def assert_valid_tables(report: dict) -> None:
    import jsonschema

    schema = {"$ref": "#/$defs/table", "$defs": SCHEMA["$defs"]}
    for table in report["tables"].values():
        jsonschema.validate(table, schema)


def cells_of(report, tid):
    return {(c["row"], c["col"]): c for c in report["tables"][tid]["cells"]}


# ----------------------------------------------------------------------------- Shanghai 2019


def test_shanghai_matches_hand_written_expectation(shanghai):
    expected = yaml.safe_load(EXPECTED.read_text("utf-8"))
    assert set(shanghai["tables"]) == {"T1", "T2", "T3"}
    want = {}  # (tid, row, col) -> (printed, value, unit, row, column, row_label, column_label)
    t1 = expected["T1"]
    for row, spec in t1["rows"].items():
        for col, c in spec["cells"].items():
            want["T1", row, col] = (c["printed"], c["value"], c.get("unit"), spec["row"], c["column"],
                                    spec["label"], None)
    t2 = expected["T2"]
    for row, spec in t2["rows"].items():
        for i, col in enumerate(t2["columns"]):
            want["T2", row, col] = (spec["printed"][i], spec["value"][i], None, spec["row"],
                                    t2["source_columns"][i], spec["label"], t2["column_labels"][i])
    t3 = expected["T3"]
    for row, spec in t3["cells"].items():
        for i, col in enumerate(t3["columns"]):
            want["T3", row, col] = (spec["printed"][i], spec["value"][i], None, t3["row"], spec["columns"][i],
                                    None, spec["column_label"][i])
    got = {}
    for tid, table in shanghai["tables"].items():
        assert table["format"] == expected[tid]["format"], tid
        assert table["columns"] == expected[tid]["columns"], tid
        assert table["location"] == {"table": expected[tid]["table"]}
        assert table["unplaced"] == [], tid
        for c in table["cells"]:
            loc = c["location"]
            assert loc["table"] == expected[tid]["table"]
            got[tid, c["row"], c["col"]] = (c["printed"], c["value"], c["unit"], loc["row"], loc["column"],
                                            c["row_label"], None if tid == "T1" else c["column_label"])
            assert c["kind"] == ("blank" if c["printed"] == "" else "number")
    assert got == want
    assert len(got) == 22 + 161 + 15


def test_shanghai_t1_column_labels_as_printed(shanghai):
    cells = cells_of(shanghai, "T1")
    assert cells["regulations", "new_made"]["column_label"] == "本年新制作数量"  # printed with a <br>
    assert cells["licensing", "change"]["column_label"] == "本年增/减"


def test_shanghai_report_and_text(captured_text):
    report = read_html(SHANGHAI.read_bytes(), str(SHANGHAI))
    text = captured_text[0]
    assert "上海市人民政府办公厅" in text and "Ã" not in text  # UTF-8 without charset, no mojibake
    lines = text.split("\n")
    for n, heading in ((1, "二、主动公开政府信息情况"), (2, "三、收到和处理政府信息公开申请情况"),
                       (3, "四、政府信息公开行政复议、行政诉讼情况")):
        i = lines.index(f"[表格{n}]")
        assert lines[i - 1] == heading
        assert report["tables"][f"T{n}"]["title"] == heading
    assert "821" not in text  # table cells are not narrative text
    assert report["source"]["form"] == "html" and report["source"]["encoding"] == "utf-8"
    assert report["year"] == 2019 and report["published"] == "2020-01-31"
    assert any("T2" in n and "空白" in n for n in report["notes"])
    assert_valid_tables(report)


# ----------------------------------------------------------------------------- grids


def _table(html: str):
    import lxml.html

    return lxml.html.fragment_fromstring(html)


def test_colspan_rowspan_expansion():
    t = _table("""<table>
      <tr><td rowspan="2">A</td><td colspan="2">B</td><td>C</td></tr>
      <tr><td>D</td><td rowspan="2" colspan="2">E<br/>F</td></tr>
      <tr><td colspan="2">G</td></tr>
      <tr><td>H</td></tr>
    </table>""")
    texts, origins = table_grid(t)
    assert texts == [["A", "B", "B", "C"],
                     ["A", "D", "E F", "E F"],
                     ["G", "G", "E F", "E F"],
                     ["H", "", "", ""]]
    assert origins[2] == [(3, 1), (3, 1), (2, 3), (2, 3)]
    assert origins[3] == [(4, 1), None, None, None]


def test_rowspan_beyond_table_and_zero_spans_are_clamped():
    t = _table('<table><tr><td rowspan="9">A</td><td colspan="0">B</td></tr><tr><td>C</td></tr></table>')
    texts, _ = table_grid(t)
    assert texts == [["A", "B"], ["A", "C"]]


# ----------------------------------------------------------------------------- synthetic T2

T2_LEAVES_2021 = (
    [("一、本年新收政府信息公开申请数量", None, None), ("二、上年结转政府信息公开申请数量", None, None)]
    + [("三、本年度办理结果", "（一）予以公开", None),
       ("三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None)]
    + [("三、本年度办理结果", "（三）不予公开", x) for x in (
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")]
    + [("三、本年度办理结果", "（四）无法提供", x) for x in (
        "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")]
    + [("三、本年度办理结果", "（五）不予处理", x) for x in (
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息")]
    + [("三、本年度办理结果", "（六）其他处理", x) for x in (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")]
    + [("三、本年度办理结果", "（七）总计", None), ("四、结转下年度继续办理", None, None)]
)
T2_KEYS_2021 = (
    ["received", "carried_over", "granted", "partial"]
    + [f"refused.{k}" for k in ("state_secret", "law_prohibited", "three_safety", "third_party",
                                "internal_affairs", "process_info", "enforcement_file", "query_matter")]
    + [f"unable.{k}" for k in ("not_held", "needs_creation", "unclear")]
    + [f"not_processed.{k}" for k in ("petition", "repeat", "publication", "mass_repeat", "confirm")]
    + ["other.no_correction", "other.unpaid_fee", "other.other", "total_results", "carried_forward"]
)
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t2_html(leaves, values, *, subtotal=False, extra_column=None) -> str:
    """A T2 as Word pastes it: merged label cells with rowspan, grouped column headers."""
    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] + (["小计"] if subtotal else [])
    extra = f'<td rowspan="3">{extra_column}</td>' if extra_column else ""
    n = 2 + len(orgs)
    rows = [f'<tr><td colspan="3" rowspan="3">{NOTE}</td><td colspan="{n}">申请人情况</td>{extra}</tr>',
            (f'<tr><td rowspan="2">自然人</td><td colspan="{len(orgs)}">法人或其他组织</td>'
             '<td rowspan="2">总计</td></tr>'),
            "<tr>" + "".join(f"<td>{o}</td>" for o in orgs) + "</tr>"]
    for i, (top, mid, leaf) in enumerate(leaves):
        tds = []
        if mid is None:
            tds.append(f'<td colspan="3">{top}</td>')
        else:
            if i == 0 or leaves[i - 1][0] != top:
                tds.append(f'<td rowspan="{sum(1 for x in leaves if x[0] == top)}">{top}</td>')
            if leaf is None:
                tds.append(f'<td colspan="2">{mid}</td>')
            else:
                if leaves[i - 1][1] != mid:
                    tds.append(f'<td rowspan="{sum(1 for x in leaves if x[1] == mid)}">{mid}</td>')
                tds.append(f"<td>{leaf}</td>")
        tds += [f"<td>{v}</td>" for v in values[i]]
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return "<table border=1>" + "".join(rows) + "</table>"


def page(*tables: str, head: str = "") -> bytes:
    body = "".join(f"<p>{h}</p>{t}" for h, t in tables)
    return (f"<html><head>{head}</head><body><p>2021年某某县人民政府政府信息公开工作年度报告</p>"
            f"<p>本报告统计期限自2021年1月1日起至2021年12月31日止。</p>{body}</body></html>").encode()


def test_t2_2021_format_html():
    values = [[str(i), "1", "", "—", "0", "0", str(i + 1)] for i in range(len(T2_LEAVES_2021))]
    report = read_html(page(("三、收到和处理政府信息公开申请情况", t2_html(T2_LEAVES_2021, values))), "x.html")
    t2 = report["tables"]["T2"]
    assert t2["format"] == "2021" and t2["unplaced"] == []
    assert t2["columns"] == ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]
    cells = cells_of(report, "T2")
    assert len(cells) == len(T2_KEYS_2021) * 7
    for i, key in enumerate(T2_KEYS_2021):
        assert cells[key, "natural"]["value"] == i
        assert cells[key, "total"]["value"] == i + 1
        assert cells[key, "research"]["kind"] == "blank"
        assert cells[key, "nonprofit"]["kind"] == "dash"
    assert cells["other.unpaid_fee", "natural"]["row_label"] == (
        "三、本年度办理结果 / （六）其他处理 / 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    assert_valid_tables(report)


def test_t2_eight_columns_and_an_unknown_column_html():
    leaves = [x for x in T2_LEAVES_2021 if not (x[1] or "").startswith("（六）")]
    leaves.insert(-2, ("三、本年度办理结果", "（六）其他处理", None))  # 2019 format: one row
    values = [["1", "2", "0", "0", "0", "0", "2", "3", "备注文字"] for _ in leaves]
    report = read_html(page(("三、收到和处理政府信息公开申请情况",
                             t2_html(leaves, values, subtotal=True, extra_column="备注"))), "x.html")
    t2 = report["tables"]["T2"]
    assert t2["format"] == "2019"
    assert t2["columns"] == ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org",
                             "subtotal", "total"]
    cells = cells_of(report, "T2")
    assert cells["other", "subtotal"]["value"] == 2
    assert cells["other", "subtotal"]["column_label"] == "申请人情况 / 法人或其他组织 / 小计"
    assert len(cells) == len(leaves) * 8
    assert len(t2["unplaced"]) == len(leaves)
    assert {u["printed"] for u in t2["unplaced"]} == {"备注文字"}
    assert all(u["column_label"] == "备注" for u in t2["unplaced"])
    assert any("无法对应到标准行列" in n for n in report["notes"])


# ----------------------------------------------------------------------------- page handling


def test_meta_tags_chrome_and_layout_tables(captured_text):
    head = ('<meta name="ArticleTitle" content="2021年某某县人民政府政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2022-01-20 09:30"><meta name="ContentSource" content="某某县人民政府">'
            '<meta name="viewport" content="width=device-width"><title>首页</title>'
            '<script>var x = "脚本内容";</script>')
    body = ('<div class="breadcrumb">当前位置：首页 &gt; 年报</div><nav>导航栏目</nav>'
            '<style>.a{color:red}</style>'
            '<table><tr><td><table><tr><td>左侧</td></tr></table></td>'
            '<td><p>一、总体情况</p><p>正文一段。</p></td></tr></table>')
    data = (f"<html><head>{head}</head><body>{body}</body></html>").encode()
    report = read_html(data, "x.html")
    text = captured_text[0]
    assert "脚本内容" not in text and "导航栏目" not in text and "当前位置" not in text and "color" not in text
    assert "一、总体情况" in text.split("\n") and "正文一段。" in text.split("\n")
    assert report["metadata"]["PubDate"] == "2022-01-20 09:30"
    assert report["metadata"]["ContentSource"] == "某某县人民政府"
    assert "viewport" not in report["metadata"]
    assert report["published"] == "2022-01-20"
    assert any("PubDate" in n for n in report["notes"])
    assert report["tables"] == {}  # the layout tables are text, the inner one-cell table too


def test_gbk_page_and_fragment():
    html = "<p>2019年某某局政府信息公开工作年度报告</p><table><tr><td>姓名</td><td>电话</td></tr></table>"
    report = read_html(html.encode("gbk"), "x.html")
    assert report["source"]["encoding"] == "gb18030"
    assert report["title"] == "2019年某某局政府信息公开工作年度报告"
    assert report["tables"] == {}
    assert "表格1不是可识别的标准表格（表二/表三/表四），未解析其数值" in report["notes"]


@pytest.mark.parametrize("declared", ['<meta charset="iso-8859-1">', '<meta charset="gb2312">'])
def test_wrong_charset_declaration_is_ignored(declared):
    html = f"<html><head>{declared}</head><body><p>2019年某某局政府信息公开工作年度报告</p></body></html>"
    assert read_html(html.encode("utf-8"), "x.html")["title"] == "2019年某某局政府信息公开工作年度报告"


def test_empty_page_is_an_input_error():
    from gkcheck.errors import InputError

    with pytest.raises(InputError):
        read_html(b"   ", "x.html")


def test_xml_declaration_is_accepted():
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>2019年某某局政府信息公开工作年度报告</p></body></html>'
    assert read_html(html.encode("utf-8"), "x.html")["year"] == 2019

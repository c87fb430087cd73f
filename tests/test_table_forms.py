"""Tables in more forms: the shared reports' tables rewritten as Markdown pipe tables.

The cells of six real reports (fixtures/expected/*.tables.yaml: 淮安 2024, 洪泽 2023/2024,
上海 2019, 平潭 2019/2021; both national formats) are printed again the way OCR tools and
document converters print tables: pipe rows with and without the |---| separator and the
outer pipes, merged cells repeated or left empty, headers over two and three rows, T2 with
its applicant columns in another order, T3 as one row, transposed, or as three small tables
under the sub-headings 行政复议 / 行政诉讼（未经复议直接起诉）/ 行政诉讼（复议后起诉） with
abbreviated columns, T1 as one table or one small table per 第二十条 item. Each rewrite is
read as plain text, as HTML and as Word text, and the cells must equal the original's.

`python tests/test_table_forms.py` prints the cells compared per form.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from test_accuracy import EXPECTED, expected_cells  # noqa: E402  (the same expectations)

from gkcheck.extract import read_report  # noqa: E402
from gkcheck.extract.text import build_report  # noqa: E402

SOURCES = ["huaian-city-gov-2024", "hongze-district-gov-2023", "hongze-district-gov-2024",
           "shanghai-gov-office-2019", "pingtan-2019", "pingtan-2021"]

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T2_COLUMNS = [("natural", None, "自然人"), ("commercial", "法人或其他组织", "商业企业"),
              ("research", "法人或其他组织", "科研机构"), ("nonprofit", "法人或其他组织", "社会公益组织"),
              ("legal_service", "法人或其他组织", "法律服务机构"), ("other_org", "法人或其他组织", "其他"),
              ("total", None, "总计")]
RESULTS = "三、本年度办理结果"
T2_ROWS = [  # key, group label (under 三), leaf label
    ("received", None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, "二、上年结转政府信息公开申请数量"),
    ("granted", "", "（一）予以公开"),
    ("partial", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("refused.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("refused.law_prohibited", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("refused.three_safety", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("refused.third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("refused.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("refused.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("refused.enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("refused.query_matter", "（三）不予公开", "8.属于行政查询事项"),
    ("unable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.repeat", "（五）不予处理", "2.重复申请"),
    ("not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.mass_repeat", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirm", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other", "", "（六）其他处理"),
    ("other.no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.unpaid_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "（六）其他处理", "3.其他"),
    ("total_results", "", "（七）总计"),
    ("carried_forward", None, "四、结转下年度继续办理"),
]
T1_BLOCKS = {  # format -> [(第二十条 item, columns, rows)]
    "2021": [("（一）", [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
              [("regulations", "规章"), ("normative_docs", "行政规范性文件")]),
             ("（五）", [("decisions", "本年处理决定数量")], [("licensing", "行政许可")]),
             ("（六）", [("decisions", "本年处理决定数量")], [("penalty", "行政处罚"), ("coercion", "行政强制")]),
             ("（八）", [("fee_amount", "本年收费金额（单位：万元）")], [("admin_fees", "行政事业性收费")])],
    "2019": [("（一）", [("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"),
                       ("total_published", "对外公开总数量")],
              [("regulations", "规章"), ("normative_docs", "规范性文件")]),
             ("（五）", [("prev_count", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
              [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
             ("（六）", [("prev_count", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
              [("penalty", "行政处罚"), ("coercion", "行政强制")]),
             ("（八）", [("prev_count", "上一年项目数量"), ("change", "本年增/减")], [("admin_fees", "行政事业性收费")]),
             ("（九）", [("procurement_count", "采购项目数量"), ("procurement_amount", "采购总金额")],
              [("procurement", "政府集中采购")])],
}
T3_BLOCKS = [("review", "行政复议", None, "行政复议"),
             ("litigation_direct", "行政诉讼", "未经复议直接起诉", "行政诉讼（未经复议直接起诉）"),
             ("litigation_after_review", "行政诉讼", "复议后起诉", "行政诉讼（复议后起诉）")]
T3_COLUMNS = [("upheld", "结果维持", "维持"), ("corrected", "结果纠正", "纠正"), ("other", "其他结果", "其他"),
              ("pending", "尚未审结", "尚未审结"), ("total", "总计", "总计")]


# ----------------------------------------------------------------------------- the originals


def original(name: str) -> tuple[dict, dict]:
    """({(tid, row, col): printed}, {tid: format}) of a report's expected tables. Rows with an
    ambiguous cell are left out: their true values are not known from the text."""
    spec = yaml.safe_load((EXPECTED / f"{name}.tables.yaml").read_text("utf-8"))
    cells = expected_cells(spec)
    skip = {(t, r) for (t, r, _), v in cells.items() if v[0] == "ambiguous"}
    printed = {k: v[2] for k, v in cells.items() if (k[0], k[1]) not in skip}
    formats = {tid: str(t.get("format")) for tid, t in spec.items()}
    return printed, formats


def _t1_format(cells: dict, formats: dict) -> str:
    if formats.get("T1") in T1_BLOCKS:
        return formats["T1"]
    return "2021" if any(c == "issued" for t, _, c in cells if t == "T1") else "2019"


# ----------------------------------------------------------------------------- printing


def row_line(cells: list[str], borders: bool = True) -> str:
    inner = " | ".join(cells)
    return f"| {inner} |" if borders else inner


def separator(width: int, borders: bool = True) -> str:
    return row_line(["---"] * width, borders)


def merged(texts: list[str], repeat: bool) -> list[str]:
    """A merged cell as converters print it: repeated in every slot, or in the first only."""
    if repeat:
        return texts
    out = []
    for i, t in enumerate(texts):
        out.append("" if i and t == texts[i - 1] and t else t)
    return out


def t1_lines(cells: dict, fmt: str, split: bool, borders: bool, sep: bool, wide: str | None = None) -> list[str]:
    """`wide`: a block with fewer columns than the table spreads its last column over the
    rest, the value "repeat"ed in every slot, left "empty" beside it, or the row cut "short"."""
    blocks = [(item, cols, [(k, lab) for k, lab in rows if any((k, c) in cells for c, _ in cols)])
              for item, cols, rows in T1_BLOCKS[fmt]]
    blocks = [b for b in blocks if b[2]]
    width = 1 + max(len(cols) for _, cols, _ in blocks)
    out: list[str] = []
    for item, cols, rows in blocks:
        header = ["信息内容"] + [lab for _, lab in cols]
        body = [[lab] + [cells.get((k, c), "") for c, _ in cols] for k, lab in rows]
        if split:  # one small table per item, under its sub-heading
            out += ["", f"第二十条第{item}项", row_line(header, borders)]
            if sep:
                out.append(separator(len(header), borders))
            out += [row_line(r, borders) for r in body]
            continue
        pad = [""] * (width - len(header))
        if wide and pad:
            header, pad = header + [header[-1]] * len(pad), []
            fill = {"repeat": lambda v: [v[-1]] * (width - len(v)), "empty": lambda v: [""] * (width - len(v)),
                    "short": lambda v: []}[wide]
            body = [r + fill(r) for r in body]
        out.append(row_line([f"第二十条第{item}项"] + [""] * (width - 1), borders))
        if sep and not out[:-1]:
            out.append(separator(width, borders))
        out.append(row_line(header + pad, borders))
        out += [row_line(r + pad, borders) for r in body]
    return out


def t2_lines(cells: dict, *, repeat: bool, borders: bool, sep: bool, order=None, header_rows: int = 3,
             label_columns: int = 3) -> list[str]:
    cols = [c for c in T2_COLUMNS if any((r, c[0]) in cells for r, _, _ in T2_ROWS)]
    if order:
        cols = sorted(cols, key=lambda c: order.index(c[0]))
    rows = [r for r in T2_ROWS if any((r[0], c[0]) in cells for c in cols)]
    corner = [CORNER] * label_columns
    if header_rows == 3:
        header = [corner + ["申请人情况"] * len(cols),
                  corner + [g or leaf for _, g, leaf in cols],
                  corner + [leaf for _, _, leaf in cols]]
    elif header_rows == 2:
        header = [corner + [g or leaf for _, g, leaf in cols], corner + [leaf for _, _, leaf in cols]]
    else:
        header = [corner + [leaf for _, _, leaf in cols]]
    if not repeat:  # a merged cell keeps its text in its top-left slot only
        header = [[("" if (r and t == header[r - 1][c]) or (c and t == h[c - 1]) else t) for c, t in enumerate(h)]
                  for r, h in enumerate(header)]
    out = [row_line(h, borders) for h in header]
    if sep:
        out.insert(len(header), separator(len(header[0]), borders))
    last_group = None
    for key, group, leaf in rows:
        values = [cells.get((key, c[0]), "") for c in cols]
        if label_columns == 1:
            if group and group != last_group:  # a heading row of its own: （三）不予公开
                out.append(row_line([group] + [""] * len(cols), borders))
            last_group = group
            out.append(row_line([leaf] + values, borders))
            continue
        if group is None:
            labels = [leaf] * 3
        else:
            labels = [RESULTS, group or leaf, leaf]
        out.append(row_line(merged(labels, repeat) + values, borders))
    return out


def t3_lines(cells: dict, form: str, borders: bool, sep: bool) -> list[str]:
    if form == "split":  # three small tables under sub-headings, abbreviated columns
        out: list[str] = []
        for key, _, _, heading in T3_BLOCKS:
            out += ["", heading, row_line([short for _, _, short in T3_COLUMNS], borders)]
            if sep:
                out.append(separator(5, borders))
            out.append(row_line([cells.get((key, c), "") for c, _, _ in T3_COLUMNS], borders))
        return out
    if form == "transposed":
        out = [row_line([""] + [lab for _, lab, _ in T3_COLUMNS], borders)]
        if sep:
            out.append(separator(6, borders))
        for key, _, _, heading in T3_BLOCKS:
            out.append(row_line([heading] + [cells.get((key, c), "") for c, _, _ in T3_COLUMNS], borders))
        return out
    header = [["行政复议"] * 5 + ["行政诉讼"] * 10,
              [lab for _, lab, _ in T3_COLUMNS] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
              [lab for _, lab, _ in T3_COLUMNS] * 3]
    out = [row_line(h, borders) for h in header]
    if sep:
        out.append(separator(15, borders))
    out.append(row_line([cells.get((k, c), "") for k, *_ in T3_BLOCKS for c, _, _ in T3_COLUMNS], borders))
    return out


FORMS = {
    # name: how each table is printed
    "repeated merges, separator, outer pipes": dict(t1=dict(split=False, wide="repeat"), t2=dict(repeat=True),
                                                    t3="one row", borders=True, sep=True),
    "empty merges, no separator, no outer pipes": dict(t1=dict(split=False, wide="empty"), t2=dict(repeat=False),
                                                       t3="one row", borders=False, sep=False),
    "T3 under sub-headings, T1 per item": dict(t1=dict(split=True), t2=dict(repeat=True, header_rows=2),
                                              t3="split", borders=True, sep=True),
    "T2 columns reordered, one header row": dict(
        t1=dict(split=True), t2=dict(repeat=True, header_rows=1,
                                     order=["total", "other_org", "legal_service", "nonprofit", "research",
                                            "commercial", "natural"]),
        t3="transposed", borders=False, sep=True),
    "T2 groups as heading rows, headers over two rows": dict(
        t1=dict(split=False, wide="short"), t2=dict(repeat=False, header_rows=2, label_columns=1,
                                      order=["natural", "total", "commercial", "research", "nonprofit",
                                             "legal_service", "other_org"]),
        t3="split", borders=True, sep=False),
}


def document(name: str, form: str) -> str:
    cells, formats = original(name)
    spec = FORMS[form]
    by_table = {tid: {(r, c): v for (t, r, c), v in cells.items() if t == tid} for tid in ("T1", "T2", "T3")}
    year = 2019 if _t1_format(cells, formats) == "2019" else 2024
    lines = [f"某市人民政府{year}年政府信息公开工作年度报告", "一、总体情况", "本机关依法做好政府信息公开工作。"]
    if by_table["T1"]:
        lines += ["二、主动公开政府信息情况",
                  *t1_lines(by_table["T1"], _t1_format(cells, formats), borders=spec["borders"], sep=spec["sep"],
                            **spec["t1"])]
    if by_table["T2"]:
        lines += ["", "三、收到和处理政府信息公开申请情况",
                  *t2_lines(by_table["T2"], borders=spec["borders"], sep=spec["sep"], **spec["t2"])]
    if by_table["T3"]:
        lines += ["", "四、政府信息公开行政复议、行政诉讼情况",
                  *t3_lines(by_table["T3"], spec["t3"], spec["borders"], spec["sep"])]
    lines += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- reading back


def as_html(text: str) -> bytes:
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def as_docx(text: str) -> bytes:
    from xml.sax.saxutils import escape

    from test_docx import docx, p

    return docx("".join(p(escape(line)) for line in text.split("\n")))


def read_as(text: str, medium: str, tmp_path: Path) -> dict:
    if medium == "text":
        return build_report(text, {"path": "forms.txt", "form": "text"})
    data = as_html(text) if medium == "html" else as_docx(text)
    path = tmp_path / f"forms.{medium}"
    path.write_bytes(data)
    return read_report(str(path))


def compare(name: str, report: dict) -> tuple[int, int, list]:
    """(equal, compared, differences): every original cell against the cell read back, by
    kind, value and printed text; cells read back that the original does not have count too."""
    from gkcheck.tables import parse_cell

    want, _ = original(name)
    got = {(tid, c["row"], c["col"]): c for tid, t in (report.get("tables") or {}).items() for c in t["cells"]}
    keys = sorted(set(want) | set(got))
    bad = []
    for k in keys:
        w, g = want.get(k), got.get(k)
        cell = parse_cell(w) if w is not None else None
        if (w is None or g is None or (g["kind"], g["value"], g["printed"]) != (cell.kind, cell.value, w)):
            bad.append((k, w, g and (g["kind"], g["value"], g["printed"])))
    return len(keys) - len(bad), len(keys), bad


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("name", SOURCES)
def test_rewritten_tables_read_back_as_the_original(name, form):
    report = build_report(document(name, form), {"path": "forms.txt", "form": "text"})
    equal, total, bad = compare(name, report)
    assert total > 15 and not bad, f"{name} / {form}: {equal}/{total}; first differences {bad[:5]}"
    for table in report["tables"].values():
        assert not table["unplaced"], table["unplaced"][:3]


@pytest.mark.parametrize("medium", ["html", "docx"])
@pytest.mark.parametrize("form", ["T3 under sub-headings, T1 per item", "empty merges, no separator, no outer pipes"])
def test_pipe_tables_in_html_and_word_text(medium, form, tmp_path):
    name = "huaian-city-gov-2024"
    report = read_as(document(name, form), medium, tmp_path)
    equal, total, bad = compare(name, report)
    assert not bad, f"{medium} / {form}: {equal}/{total}; first differences {bad[:5]}"


def test_cells_keep_the_line_they_were_read_from():
    text = document("huaian-city-gov-2024", "T3 under sub-headings, T1 per item")
    report = build_report(text, {"path": "forms.txt", "form": "text"})
    lines = text.split("\n")
    for table in report["tables"].values():
        for cell in table["cells"]:
            assert cell["printed"] in lines[cell["location"]["line"] - 1]
    t3 = {(c["row"], c["col"]): c for c in report["tables"]["T3"]["cells"]}
    assert t3["litigation_direct", "total"]["row_label"] == "行政诉讼(未经复议直接起诉)"
    assert any("均被识别为T3" in n for n in report["notes"])


# ----------------------------------------------------------------------------- present, not placeable


def results(path: Path, ruleset) -> dict:
    from gkcheck.api import check_file

    return {r["rule"]: r for r in check_file(str(path), ruleset)["results"]}


def test_t3_parts_without_their_sub_headings_are_unreadable_not_missing(tmp_path, ruleset):
    text = document("huaian-city-gov-2024", "T3 under sub-headings, T1 per item")
    for heading in ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"):
        text = text.replace(f"\n{heading}\n|", "\n|", 1)  # nothing tells the three blocks apart
    path = tmp_path / "report.txt"
    path.write_text(text, "utf-8")
    report = read_report(str(path))
    t3 = report["tables"]["T3"]
    assert t3["cells"] == [] and len(t3["unplaced"]) == 15
    got = results(path, ruleset)
    presence = got["format.2021.tables"]
    assert presence["status"] == "not_applicable"
    assert "T3" in presence["message"] and "无法对应到标准行列" in presence["message"]
    assert "无法确定是行政复议还是哪类行政诉讼" in presence["message"]
    lines = text.split("\n")
    assert lines[presence["location"]["line"] - 1] == "| 72 | 64 | 178 | 37 | 351 |"  # the first block
    assert got["t2.flow_identity"]["status"] == "pass"  # the other tables are read as before


NON_FORMAT_T3 = ["| 类别 | 件数 | 其中纠正 |", "| 被申请行政复议 | 3 | 1 |", "| 行政诉讼 | 2 | 0 |"]


@pytest.mark.parametrize("medium", ["text", "html"])
def test_a_table_its_heading_names_but_not_in_the_format_is_unreadable(medium, tmp_path, ruleset):
    text = document("huaian-city-gov-2024", "repeated merges, separator, outer pipes")
    start = text.index("四、政府信息公开行政复议")
    end = text.index("五、存在的主要问题")
    text = text[:start] + "四、政府信息公开行政复议、行政诉讼情况\n" + "\n".join(NON_FORMAT_T3) + "\n" + text[end:]
    if medium == "html":
        from html import escape

        rows = "".join("<tr>" + "".join(f"<td>{escape(c.strip())}</td>" for c in line.strip("|").split("|")) + "</tr>"
                       for line in NON_FORMAT_T3)
        body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if not line.startswith("| 类别")
                       and line not in NON_FORMAT_T3[1:])
        body = body.replace("<p>四、政府信息公开行政复议、行政诉讼情况</p>",
                            f"<p>四、政府信息公开行政复议、行政诉讼情况</p><table>{rows}</table>")
        path = tmp_path / "report.html"
        path.write_text(f"<html><body>{body}</body></html>", "utf-8")
    else:
        path = tmp_path / "report.txt"
        path.write_text(text, "utf-8")
    t3 = read_report(str(path))["tables"]["T3"]
    assert t3["cells"] == [] and {u["printed"] for u in t3["unplaced"]} >= {"被申请行政复议", "3", "2"}
    presence = results(path, ruleset)["format.2021.tables"]
    assert presence["status"] == "not_applicable" and "T3" in presence["message"]
    assert presence["location"]


def test_a_table_of_another_kind_under_the_heading_is_not_taken_for_the_standard_one():
    text = ("某县人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "| 公开渠道 | 条数 |\n| 政府网站 | 65 |\n| 政务微信 | 635 |\n")
    report = build_report(text, {"path": "x.txt", "form": "text"})
    assert "T1" not in (report.get("tables") or {})


def summary() -> list[str]:
    lines = [f"{'form':52} {'cells':>12}"]
    for form in FORMS:
        equal = total = 0
        for name in SOURCES:
            e, t, _ = compare(name, build_report(document(name, form), {"path": "forms.txt", "form": "text"}))
            equal, total = equal + e, total + t
        lines.append(f"{form:52} {equal:>5}/{total}")
    return lines


if __name__ == "__main__":
    print("\n".join(summary()))

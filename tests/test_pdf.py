"""gkcheck.extract.pdf: tables from ruling lines (across page breaks), text, provenance, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gkcheck.extract.pdf.reader as pdf_module
import gkcheck.extract.text as text_module
from gkcheck.extract.pdf import read_pdf

ROOT = Path(__file__).parents[1]
REPORTS = ROOT / "fixtures/reports"
SCHEMA = json.loads((ROOT / "gkcheck/report/schema.json").read_text("utf-8"))


def read(name: str) -> dict:
    path = REPORTS / name
    return read_pdf(path.read_bytes(), str(path))


@pytest.fixture(scope="module")
def huaian():
    return read("huaian-city-gov-2024.pdf")


@pytest.fixture(scope="module")
def hongze23():
    return read("hongze-district-gov-2023.pdf")


def cells(report, tid):
    return {(c["row"], c["col"]): c for c in report["tables"][tid]["cells"]}


def test_huaian_metadata_from_first_page(huaian):
    assert huaian["title"] == "淮安市人民政府2024年政府信息公开工作年度报告"  # two title lines joined
    assert huaian["agency"]["name"] == "淮安市人民政府" and huaian["year"] == 2024
    assert huaian["period"]["start"] == "2024-01-01" and huaian["period"]["end"] == "2024-12-31"
    assert huaian["published"] is None  # a PDF carries no portal date
    assert huaian["source"]["form"] == "pdf"
    assert [s["heading"] for s in huaian["sections"][1:]] == [
        "总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]


def test_huaian_text_lines(monkeypatch):
    seen = []
    real = text_module.build_report
    monkeypatch.setattr(text_module, "build_report", lambda t, s: seen.append(t) or real(t, s))
    read("huaian-city-gov-2024.pdf")
    lines = seen[0].split("\n")
    assert not any(line.strip() in ("- 1 -", "- 3 -", "-3-") for line in lines)  # page numbers dropped
    assert [ln for ln in lines if ln.startswith("[表格")] == ["[表格1]", "[表格2]", "[表格3]"]
    assert "447228" not in seen[0]  # table cells are not narrative
    # a paragraph wrapped over the page break is one line
    para = next(ln for ln in lines if ln.startswith("（一）主动公开情况"))
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in para


def test_huaian_tables_with_provenance(huaian):
    t2 = cells(huaian, "T2")
    c = t2["unable.needs_creation", "natural"]  # first row of page 5
    assert (c["printed"], c["value"], c["kind"]) == ("11", 11, "number")
    assert c["location"]["page"] == 5 and c["location"]["table"] == 2
    # the label cell "（四）无" | "法提供" cut by the page break reads as one label
    assert c["row_label"] == "三、本年度办理结果 / （四）无法提供 / 2.没有现成信息需要另行制作"
    assert c["column_label"] == "申请人情况 / 自然人"
    assert t2["unable.not_held", "total"]["location"]["page"] == 4
    t1 = cells(huaian, "T1")
    fee = t1["admin_fees", "fee_amount"]
    assert (fee["value"], fee["unit"], fee["location"]["page"]) == (96171.6, "万元", 4)
    assert huaian["tables"]["T3"]["location"] == {"table": 3, "page": 5}
    assert all(not t["unplaced"] for t in huaian["tables"].values())


def test_tables_are_schema_valid(huaian, hongze23):
    import jsonschema

    schema = {"$ref": "#/$defs/table", "$defs": SCHEMA["$defs"]}
    for report in (huaian, hongze23):
        for table in report["tables"].values():
            jsonschema.validate(table, schema)


def test_hongze_2023_t3_as_printed_and_vertical_label(hongze23):
    t3 = cells(hongze23, "T3")
    assert [t3["review", k]["value"] for k in ("upheld", "corrected", "other", "pending", "total")] == [10, 1, 0, 0, 0]
    assert t3["litigation_after_review", "upheld"]["value"] == 5
    assert t3["litigation_after_review", "total"]["value"] == 0
    # 三、本年度办理结果 is printed one character per line in a merged cell
    assert cells(hongze23, "T2")["refused.state_secret", "natural"]["row_label"].startswith("三、本年度办理结果 / ")


def test_hongze_2023_audit_reports_the_t3_totals(ruleset):
    from gkcheck.api import check_file

    entry = check_file(str(REPORTS / "hongze-district-gov-2023.pdf"), ruleset)
    result = next(r for r in entry["results"] if r["rule"] == "t3.block_total")
    assert result["status"] == "fail" and "行政复议" in result["message"]


def test_hongze_cross_year_pair(ruleset):
    from gkcheck.api import check_file

    entry = check_file(str(REPORTS / "hongze-district-gov-2024.pdf"), ruleset,
                       previous=str(REPORTS / "hongze-district-gov-2023.pdf"))
    status = {r["rule"]: r["status"] for r in entry["results"]}
    assert status["t2.carry_over_xyear"] == "pass"
    assert status["t3.block_total"] == "pass"


def test_text_stream_fallback_reads_the_same_values(monkeypatch, hongze23):
    """Without ruling lines the table text goes through the flattened reader."""
    monkeypatch.setattr(pdf_module, "regions", lambda *a: [])
    plain = read("hongze-district-gov-2023.pdf")
    for tid in ("T1", "T2", "T3"):
        want = {k: (c["printed"], c["value"]) for k, c in cells(hongze23, tid).items()}
        got = {k: (c["printed"], c["value"]) for k, c in cells(plain, tid).items()}
        assert got == want, tid
    loc = cells(plain, "T3")["review", "total"]["location"]
    assert loc["page"] == 4 and "line" in loc and not loc.get("inferred")  # separated: no guess


def test_cells_csv_provenance():
    from gkcheck.extract.cells_csv import cells_csv, provenance

    text = cells_csv(read("huaian-city-gov-2024.pdf"))
    row = next(ln for ln in text.splitlines() if ",T2,unable.needs_creation,natural," in ln)
    assert row.endswith(",11,11,p5 t2 r17 c4")  # grid row 17: 3 header rows, then 14 above it
    assert provenance({"line": 10, "offset": 2343, "inferred": True}) == "line 10 off 2343 inferred"

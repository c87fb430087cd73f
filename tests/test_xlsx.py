"""The Excel workbook (--format xlsx): read back with openpyxl and compared cell by cell with the
JSON of the same audit; frozen headers, filters, widths, types, and no report text run as a formula."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from tests.conftest import FIXTURES

openpyxl = pytest.importorskip("openpyxl")

INPUTS = [FIXTURES / "reports", FIXTURES / "batch"]
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
VERDICT = {"pass": "通过", "fail": "不通过", "error": "无法检查"}
HOSTILE = """year: 2021
agency: {{name: "{name}", kind: department, level: county, province: 浙江}}
title: 2021年政府信息公开工作年度报告
published: 2022-01-20
signed: 2022-01-18
period: {{start: 2021-01-01, end: 2021-12-31}}
sections:
  - {{number: 一、, heading: 总体情况, text: "全年主动公开政府信息100条。详见附件。"}}
attachments:
  - {{title: "{attachment}\\f", present: false}}
"""


def audit(*args):
    result = CliRunner().invoke(cli, ["audit", "--no-progress", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xlsx")
    audit(*INPUTS, "--format", "json", "-o", tmp / "audit.json", "--jobs", "2")
    code, out, err = audit(*INPUTS, "--format", "xlsx", "-o", tmp / "audit.xlsx", "--jobs", "2")
    assert code == 2 and "共 15 份" in out and not err.strip().startswith("Traceback")
    return json.loads((tmp / "audit.json").read_text("utf-8")), openpyxl.load_workbook(tmp / "audit.xlsx")


def rows(sheet):
    values = list(sheet.iter_rows(values_only=True))
    return values[0], [dict(zip(values[0], r)) for r in values[1:]]


def test_sheets_frozen_filtered_and_wide_enough(both):
    _doc, book = both
    assert book.sheetnames == ["汇总", "问题清单", "规则统计", "历年对比", "无法检查", "运行记录"]
    for name in ("汇总", "问题清单", "规则统计", "无法检查"):
        sheet = book[name]
        assert sheet.freeze_panes in ("A2", "B2", "C2") and sheet.auto_filter.ref.startswith("A1:")
        assert all(c.font.b for c in sheet[1])
    sheet = book["问题清单"]
    assert width(sheet, 1) >= 14 and width(sheet, 9) >= 40  # agency names, messages in Chinese
    assert width(sheet, 9) <= 62  # long text wraps instead


def width(sheet, column: int) -> float:
    """A column's width (XlsxWriter writes equal neighbours as one <col min max>)."""
    for dim in sheet.column_dimensions.values():
        if dim.min <= column <= dim.max:
            return dim.width
    return 0


def test_summary_one_row_per_report_ranked_by_score(both):
    doc, book = both
    head, table = rows(book["汇总"])
    entries = {e["source"]: e for e in doc["reports"]}
    assert len(table) == len(entries) == doc["summary"]["reports"]
    scores = [r["得分"] for r in table if r["得分"] is not None]
    assert scores == sorted(scores, reverse=True) and len(scores) == doc["summary"]["reports"] - doc["summary"]["error"]
    assert [r["排名"] for r in table[:3]] == [1, 2, 3]
    categories = head[6:head.index("错误")]
    for r in table:
        e = entries[r["文件"]]
        assert r["结论"] == VERDICT[e["verdict"]]
        if e["verdict"] == "error":
            assert r["得分"] is None and r["机关"] is None
            continue
        info = e["report"]
        assert (r["机关"], r["年度"]) == (info["agency"]["name"], info["year"])
        assert r["得分"] == e["score"]["total"] and isinstance(r["得分"], (int, float))
        assert [r[c] for c in categories] == [c["score"] for c in e["score"]["categories"]]
        failed = [x for x in e["results"] if x["status"] == "fail" and not x.get("baseline")]
        assert r["错误"] == sum(1 for x in failed if x["severity"] == "error")
        assert r["警告"] == sum(1 for x in failed if x["severity"] == "warning")
        assert r["提示"] == sum(1 for x in failed if x["severity"] == "info")
        published = r["发布日期"]
        assert (published.date().isoformat() if published else None) == info["published"]
        assert isinstance(published, (dt.datetime, type(None)))
        assert r["对照的上一年度报告"] == (info["previous"] or {}).get("source")


def test_findings_one_row_per_failure_as_in_the_json(both):
    doc, book = both
    _head, table = rows(book["问题清单"])
    expected = []
    for e in doc["reports"]:
        points = {d["rule"]: d["points"] for c in (e["score"] or {}).get("categories", []) for d in c["deductions"]}
        for x in e["results"]:
            if x["status"] in ("fail", "waived"):
                expected.append((e["source"], x["rule"], SEVERITY[x["severity"]], x["basis"], x["message"],
                                 points.get(x["rule"], 0), e["report"]["agency"]["name"], e["report"]["year"]))
    got = [(r["文件"], r["规则"], r["严重程度"], r["依据"], r["说明"], r["扣分"], r["机关"], r["年度"]) for r in table]
    assert got == expected
    with_evidence = [r for r in table if r["证据"]]
    assert with_evidence and all(r["证据"].startswith("「") for r in with_evidence)


def test_rule_statistics_from_the_same_reports(both):
    doc, book = both
    _head, table = rows(book["规则统计"])
    for r in table:
        applied = sum(1 for e in doc["reports"] for x in e["results"] if x["rule"] == r["规则"]
                      and x["status"] != "not_applicable")
        failed = sum(1 for e in doc["reports"] for x in e["results"] if x["rule"] == r["规则"] and x["status"] == "fail")
        assert (r["检查份数"], r["不通过份数"]) == (applied, failed)
        assert r["不通过比例"] == pytest.approx(failed / applied)
    assert [r["不通过份数"] for r in table] == sorted((r["不通过份数"] for r in table), reverse=True)


def test_inputs_in_error_and_the_run_record(both):
    doc, book = both
    _head, table = rows(book["无法检查"])
    assert [(r["文件"], r["原因"]) for r in table] == [(e["source"], e["error"]) for e in doc["reports"]
                                                     if e["verdict"] == "error"]
    record = {r[0]: r[1] for r in book["运行记录"].iter_rows(min_row=2, values_only=True)}
    assert record["报告"] == 15 and record["gkcheck 版本"] == doc["run"]["version"]
    assert doc["run"]["scorecard"]["sha256"] in record["评分表"]


def test_trends_year_on_year(both):
    doc, book = both
    head, table = rows(book["历年对比"])
    pingtan = next(r for r in table if r["机关"] == "平潭综合实验区")
    by_year = {e["report"]["year"]: e for e in doc["reports"]
               if e["verdict"] != "error" and e["report"]["agency"]["name"] == "平潭综合实验区"}
    assert sorted(by_year) == [2016, 2018, 2019, 2021]  # not only the consecutive pairs
    for year, e in by_year.items():
        assert pingtan[f"{year} 年度得分"] == e["score"]["total"]
        assert pingtan[f"{year} 年度问题数"] == sum(1 for x in e["results"] if x["status"] == "fail")
    assert pingtan["得分变化"] == pytest.approx(by_year[2021]["score"]["total"] - by_year[2016]["score"]["total"])
    hongze = [r for r in table if "洪泽区" in r["机关"]]
    assert len(hongze) == 1 and hongze[0]["2023 年度得分"] and hongze[0]["2024 年度得分"]  # paired, names differ


def test_report_text_never_becomes_a_formula(tmp_path):
    for i, (name, attachment) in enumerate([("=HYPERLINK(\\\"http://x.invalid\\\",\\\"点击\\\")", "+cmd|' /C calc'!A0"),
                                            ("@SUM(1,2)", "-2+3"), ("-1", "=1+1")]):
        (tmp_path / f"r{i}.yaml").write_text(HOSTILE.format(name=name, attachment=attachment), "utf-8")
    out = tmp_path / "audit.xlsx"
    code, _, err = audit(tmp_path, "--format", "xlsx", "-o", out, "--jobs", "1")
    assert code in (0, 1), err
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [r["机关"] for r in rows(book["汇总"])[1]]
    assert sorted(names) == sorted(['=HYPERLINK("http://x.invalid","点击")', "@SUM(1,2)", "-1"])
    evidence = " ".join(r["证据"] or "" for r in rows(book["问题清单"])[1])
    assert "+cmd|' /C calc'!A0" in evidence and "=1+1" in evidence and "\f" not in evidence


def test_binary_formats_need_an_output_file():
    for fmt in ("xlsx", "docx"):
        code, out, err = audit(FIXTURES / "batch", "--format", fmt)
        assert code == 2 and out == ""
        assert err.strip() == f"gkcheck: 错误: --format {fmt} 写出的是二进制文件，请用 -o 指定文件（例如 -o audit.{fmt}）"


def test_written_atomically_and_never_over_a_file(tmp_path):
    out = tmp_path / "audit.xlsx"
    out.write_bytes(b"old")
    code, _, err = audit(FIXTURES / "batch", "--format", "xlsx", "-o", out)
    assert code == 2 and "文件已存在" in err and out.read_bytes() == b"old"
    code, _, _ = audit(FIXTURES / "batch", "--format", "xlsx", "-o", out, "--force")
    assert out.read_bytes()[:2] == b"PK" and sorted(p.name for p in tmp_path.iterdir()) == ["audit.xlsx"]

"""Flattened tables in text: unique splits are inferred, the rest stays ambiguous."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcheck.extract import read_report
from gkcheck.extract.text import build_report
from gkcheck.tables.splits import enumerate_splits

ROOT = Path(__file__).parents[1]
PINGTAN_2021 = ROOT / "fixtures/reports/pingtan-2021.txt"


def t2_check(v):
    return v[6] == sum(v[:6])


def t3_check(v):
    return all(v[b + 4] == sum(v[b:b + 4]) for b in (0, 5, 10))


def split_run(printed: str, decimals: list[bool], check=None) -> tuple[list[str] | None, int, bool]:
    """(values as printed when exactly one split keeps the row's totals, number of fitting
    splits, whether a token had to be cut)."""
    s = enumerate_splits(printed, decimals, check)
    values = s.candidates[0] if s.count == 1 and s.complete and s.candidates else None
    return values, s.count, s.cut


@pytest.mark.parametrize("run, n, check, values, count, cut", [
    ("693665", 3, None, None, 10, True),                       # T1: no totals, ten splits
    ("000", 3, None, ["0", "0", "0"], 1, True),                 # one digit per column
    ("640020470", 7, t2_check, ["64", "0", "0", "2", "0", "4", "70"], 1, True),
    ("270020130", 7, t2_check, None, 2, True),                  # 27/0/0/2/0/1/30 or 2/7/0/0/20/1/30
    ("230 000023", 7, t2_check, ["23", "0", "0", "0", "0", "0", "23"], 1, True),  # no number across a space
    ("21 0 0 0 0 0 21", 7, t2_check, ["21", "0", "0", "0", "0", "0", "21"], 1, False),
    # separated as printed: taken as printed even though the totals are wrong (the audit says so)
    ("10 1 0 0 0 0 0 0 0 0 5 0 0 0 0", 15, t3_check, ["10", "1"] + ["0"] * 8 + ["5"] + ["0"] * 4, 1, False),
    ("10203120001200000", 15, t3_check, ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12"] + ["0"] * 5, 1, True),
    ("5 0 0", 7, t2_check, None, 0, True),                      # too few digits for the columns
    ("05", 2, None, ["0", "5"], 1, True),                      # no leading zeros
])
def test_split_run(run, n, check, values, count, cut):
    got = split_run(run, [False] * n, check)
    assert got[0] == values and got[1] == count
    if values is not None:
        assert got[2] == cut


def test_decimals_only_where_a_column_takes_amounts():
    assert split_run("24252.311082", [True], None)[0] == ["24252.311082"]
    assert split_run("12.5", [False, False], None)[0] is None
    assert split_run("394432.52元", [True], None)[0] == ["394432.52元"]


@pytest.fixture(scope="module")
def pingtan():
    return read_report(str(PINGTAN_2021))


def cells(report, tid):
    return {(c["row"], c["col"]): c for c in report["tables"][tid]["cells"]}


def test_pingtan_inferred_and_ambiguous_cells(pingtan):
    t2 = cells(pingtan, "T2")
    received = [t2["received", k] for k in ("natural", "nonprofit", "other_org", "total")]
    assert [c["value"] for c in received] == [64, 2, 4, 70]
    assert all(c["location"]["inferred"] and c["location"]["line"] == 10 for c in received)
    assert received[0]["split"] == {"run": "640020470", "candidates": 1, "basis": "row", "used": ["row"],
                                    "evidence": "满足本行合计的拆分在此列一致"}
    # 27/0/0/2/0/1/30 or 2/7/0/0/20/1/30: only the first lets column 自然人 of （七）总计 add up
    granted = t2["granted", "natural"]
    assert (granted["kind"], granted["value"], granted["printed"]) == ("number", 27, "27")
    assert granted["location"]["inferred"] and granted["split"]["basis"] == "table"
    assert granted["split"]["used"] == ["row", "col"] and granted["split"]["candidates"] == 2
    assert "办理结果合计" in granted["split"]["evidence"]
    assert t2["granted", "total"]["split"]["basis"] == "row"  # 30 in both splits
    assert granted["row_label"] == "三、本年度办理结果 / (一)予以公开"
    assert t2["carried_over", "total"]["split"]["basis"] == "digits"  # "0000000"
    normative = cells(pingtan, "T1")["normative_docs", "repealed"]
    assert (normative["kind"], normative["printed"]) == ("ambiguous", "693665")
    assert normative["split"] == {"run": "693665", "candidates": 10, "evidence": "有10种拆分都可能"}
    assert "inferred" not in normative["location"]
    assert cells(pingtan, "T1")["licensing", "decisions"]["value"] == 2293
    notes = "\n".join(pingtan["notes"])
    assert "“693665”" in notes and "有10种拆分" in notes and "ambiguous" in notes
    assert "64/0/0/2/0/4/70" in notes and "location.inferred = true" in notes
    assert "按本表各列的勾稽关系、行内合计和列数只有一种拆分" in notes and "27/0/0/2/0/1/30" in notes
    assert "不作为独立核对" in notes


def test_no_arithmetic_error_rests_on_a_guessed_split(ruleset):
    from gkcheck.api import check_file

    entry = check_file(str(PINGTAN_2021), ruleset)
    arithmetic = {r["rule"]: r for r in entry["results"] if r["rule"].startswith(("t2.", "t3."))}
    assert not [r for r in arithmetic.values() if r["status"] == "fail"]
    # The column sums chose 予以公开 and 不掌握 in four columns: those columns are not counted
    # as checked; the three where every split agreed are.
    result_sum = arithmetic["t2.result_sum"]
    assert result_sum["status"] == "pass" and "已核对 3 处" in result_sum["evidence"][0]["text"]
    unchecked = [e["text"] for e in result_sum["evidence"][1:]]
    assert len(unchecked) == 4 and all("等式成立是拆分的前提" in t for t in unchecked)
    # Rows split by their own totals do not confirm those totals; the T3 run was split by its
    # three block totals, so t3.block_total has nothing independent to check.
    row_total = arithmetic["t2.row_total"]
    assert "已核对 21 处" in row_total["evidence"][0]["text"]
    assert arithmetic["t3.block_total"]["status"] == "not_applicable"
    assert "等式成立是拆分的前提" in arithmetic["t3.block_total"]["message"]


def test_a_wrong_total_in_a_run_together_row_is_not_guessed():
    text = ("某县人民政府2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "自然人商业企业科研机构社会公益组织法律服务机构其他总计\n"
            "一、本年新收政府信息公开申请数量5000009\n")  # 5 ≠ 9: no split fits
    report = build_report(text, {"path": "x.txt", "form": "text"})
    cell = cells(report, "T2")["received", "total"]
    assert cell["kind"] == "ambiguous" and cell["printed"] == "5000009"
    assert any("没有满足列数和行内合计的拆分" in n for n in report["notes"])


def test_html_and_plain_narrative_get_no_tables():
    report = build_report("某局2020年政府信息公开工作年度报告\n一、总体情况\n行政复议结果维持3件，总计5件。\n",
                          {"path": "x.txt", "form": "text"})
    assert not report.get("tables")


def test_a_flattened_header_without_values_is_unreadable_not_missing(ruleset, tmp_path):
    from gkcheck.api import check_file

    text = PINGTAN_2021.read_text("utf-8").replace("10203120001200000", "", 1)  # 表四 printed all blank
    path = tmp_path / "pingtan.txt"
    path.write_text(text, "utf-8")
    assert read_report(str(path))["tables"]["T3"]["cells"] == []
    presence = {r["rule"]: r for r in check_file(str(path), ruleset)["results"]}["format.2021.tables"]
    assert presence["status"] == "not_applicable" and "T3" in presence["message"]
    assert presence["location"]["line"] == 10

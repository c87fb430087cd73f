"""Flattened digit runs resolved by evidence (gkcheck.tables.resolve, extract/stated.py).

A run splits by its digits, then the row's own totals, then figures the text states for
the same quantity, then the table's column relations; a cell no stage fixes stays
ambiguous. Whatever chose a split cannot confirm it, and no arithmetic rule fails on a
guessed split.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcheck.engine import run_rule
from gkcheck.extract.stated import stated_figures
from gkcheck.extract.text import build_report
from gkcheck.report.model import Report
from gkcheck.tables.splits import enumerate_splits

T1_HEAD = ("某区人民政府2021年政府信息公开工作年度报告\n一、总体情况\n{narrative}\n"
           "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
           "规章{regulations}行政规范性文件{normative}第二十条第（五）项信息内容本年处理决定数量行政许可12\n"
           "五、存在的主要问题及改进情况\n无。\n")


def t1_report(narrative: str, regulations: str = "000", normative: str = "693665") -> dict:
    text = T1_HEAD.format(narrative=narrative, regulations=regulations, normative=normative)
    return build_report(text, {"path": "x.txt", "form": "text"})


def cells(report: dict, tid: str) -> dict:
    return {(c["row"], c["col"]): c for c in report["tables"][tid]["cells"]}


def t2_check(v):
    return v[6] == sum(v[:6])


# ----------------------------------------------------------------------------- enumeration


def test_agreement_over_all_splits_and_over_those_keeping_the_totals():
    s = enumerate_splits("270020130", [False] * 7, t2_check)
    assert (s.count, s.complete, s.as_printed) == (2, True, False)
    assert sorted(s.candidates) == [["2", "7", "0", "0", "20", "1", "30"], ["27", "0", "0", "2", "0", "1", "30"]]
    assert s.row == [None, None, "0", None, None, "1", "30"]
    assert s.digits[6] is None  # without the total, the last column could be 0, 30 or 130
    printed = enumerate_splits("21 0 0 0 0 0 21", [False] * 7, t2_check)
    assert printed.as_printed and printed.digits == ["21", "0", "0", "0", "0", "0", "21"]


def test_a_hostile_run_is_bounded_and_left_ambiguous():
    s = enumerate_splits("1" * 60, [False] * 15, lambda v: True)
    assert not s.complete and s.candidates is None and s.row == [None] * 15


# ----------------------------------------------------------------------------- stated figures


def test_stated_figures():
    text = ("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。"
            "本年制发行政规范性文件36件，废止2件，现行有效65件。被申请行政复议3件，行政诉讼2件。")
    got = {k: (v[0], v[1]) for k, v in stated_figures(text).items()}
    assert got == {
        ("T2", "received", "total"): (Decimal(70), "收到70件"),
        ("T2", "total_results", "total"): (Decimal(69), "办结69件"),
        ("T2", "carried_forward", "total"): (Decimal(1), "1件结转下年"),
        ("T1", "normative_docs", "issued"): (Decimal(36), "制发行政规范性文件36件"),
        ("T1", "normative_docs", "repealed"): (Decimal(2), "废止2件"),
        ("T1", "normative_docs", "in_force"): (Decimal(65), "现行有效65件"),
        ("T3", "review", "total"): (Decimal(3), "行政复议3件"),
    }


def test_stated_figures_read_the_verbs_the_rule_reads():
    text = "本年度共接到政府信息公开申请70件，办理完毕69件，1件结转下年度继续办理。"
    got = {k[1]: v[0] for k, v in stated_figures(text).items()}
    assert got == {"received": 70, "total_results": 69, "carried_forward": 1}


def test_figures_that_do_not_name_one_quantity_are_not_evidence():
    text = ("收到申请72件（含上年结转2件）。制发规章1件、规范性文件5件。"
            "现行有效规范性文件60件。截至年底现行有效规范性文件61件。行政复议和行政诉讼共3件。")
    got = stated_figures(text)  # only the carried-over figure names one quantity
    assert {k: v[0] for k, v in got.items()} == {("T2", "carried_over", "total"): Decimal(2)}


# ----------------------------------------------------------------------------- text evidence


def test_text_figures_choose_the_split():
    report = t1_report("本年制发行政规范性文件69件，废止36件，现行有效65件。")
    t1 = cells(report, "T1")
    assert [t1["normative_docs", c]["value"] for c in ("issued", "repealed", "in_force")] == [69, 36, 65]
    cell = t1["normative_docs", "in_force"]
    assert cell["location"]["inferred"] and cell["split"]["basis"] == "text"
    assert cell["split"]["used"] == [] and cell["split"]["candidates"] == 10
    assert "现行有效65件" in cell["split"]["evidence"]
    notes = "\n".join(report["notes"])
    assert "按正文所述数字和列数只有一种拆分" in notes and "69/36/65" in notes
    assert "正文与表格一致不作为独立核对" in notes


def test_text_that_fixes_one_column_leaves_the_others_ambiguous():
    t1 = cells(t1_report("截至年底，现行有效行政规范性文件65件。"), "T1")
    assert t1["normative_docs", "in_force"]["value"] == 65
    # 6936 | 65: 6/936, 69/36 or 693/6 — the text does not say which
    assert [t1["normative_docs", c]["kind"] for c in ("issued", "repealed")] == ["ambiguous", "ambiguous"]


def test_without_evidence_a_run_with_several_splits_stays_ambiguous():
    report = t1_report("本年度我区持续深化政务公开。")
    cell = cells(report, "T1")["normative_docs", "issued"]
    assert (cell["kind"], cell["value"], cell["printed"]) == ("ambiguous", None, "693665")
    assert "正文和本表的合计也不能确定各列的值" in "\n".join(report["notes"])


def test_text_that_fits_no_split_is_noted_and_not_used():
    report = t1_report("本年制发行政规范性文件7件。")
    assert cells(report, "T1")["normative_docs", "issued"]["kind"] == "ambiguous"
    assert any("“制发行政规范性文件7件”" in n and "都不符" in n for n in report["notes"])


# ----------------------------------------------------------------------------- flattened T2 / T3

T2_LABELS = [
    ("received", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果（一）予以公开"), ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("refused.state_secret", "（三）不予公开1.属于国家秘密"), ("refused.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("refused.three_safety", "3.危及“三安全一稳定”"), ("refused.third_party", "4.保护第三方合法权益"),
    ("refused.internal_affairs", "5.属于三类内部事务信息"), ("refused.process_info", "6.属于四类过程性信息"),
    ("refused.enforcement_file", "7.属于行政执法案卷"), ("refused.query_matter", "8.属于行政查询事项"),
    ("unable.not_held", "（四）无法提供1.本机关不掌握相关政府信息"), ("unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "3.补正后申请内容仍不明确"), ("not_processed.petition", "（五）不予处理1.信访举报投诉类申请"),
    ("not_processed.repeat", "2.重复申请"), ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.mass_repeat", "4.无正当理由大量反复申请"), ("not_processed.confirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.no_correction", "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"), ("total_results", "（七）总计"), ("carried_forward", "四、结转下年度继续办理"),
]
RESULTS = [k for k, _ in T2_LABELS[2:-2]]
COLS = ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org", "total"]
T3_ROWS = ["review", "litigation_direct", "litigation_after_review"]
T3_COLS = ["upheld", "corrected", "other", "pending", "total"]
T3_HEAD = ("四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
           "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")

small = st.integers(0, 3) | st.sampled_from([0, 0, 0, 10, 12, 20, 21, 100])


@st.composite
def flattened_reports(draw):
    """A consistent 2021 T2 and T3, printed as a crawler runs them together (no separators;
    now and then a space inside a run), with or without the narrative's totals."""
    t2 = {k: [draw(small) for _ in range(6)] for k in RESULTS}
    t2["total_results"] = [sum(t2[k][c] for k in RESULTS) for c in range(6)]
    t2["carried_forward"] = [draw(st.integers(0, 2)) for _ in range(6)]
    t2["carried_over"] = [min(draw(st.integers(0, 2)), t2["total_results"][c] + t2["carried_forward"][c])
                          for c in range(6)]
    t2["received"] = [t2["total_results"][c] + t2["carried_forward"][c] - t2["carried_over"][c] for c in range(6)]
    for row in t2.values():
        row.append(sum(row))
    t3 = {}
    for row in T3_ROWS:
        parts = [draw(st.integers(0, 12)) for _ in range(4)]
        t3[row] = parts + [sum(parts)]

    def run(values):
        text = "".join(str(v) for v in values)
        if draw(st.booleans()) and len(values) > 1:
            at = draw(st.integers(1, len(values) - 1))
            text = "".join(str(v) for v in values[:at]) + " " + "".join(str(v) for v in values[at:])
        return text

    narrative = ""
    if draw(st.booleans()):
        narrative = (f"本年度共收到政府信息公开申请{t2['received'][6]}件，办结{t2['total_results'][6]}件，"
                     f"结转下年度继续办理{t2['carried_forward'][6]}件。")
    body = "".join(label + run(t2[key]) for key, label in T2_LABELS)
    t3_run = run([v for r in T3_ROWS for v in t3[r]])
    text = ("某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n" + narrative + "\n"
            "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            "申请人情况自然人法人或其他组织总计 商业企业科研机构社会公益组织法律服务机构其他" + body + "\n"
            + T3_HEAD + t3_run + "\n五、存在的主要问题及改进情况\n无。\n")
    truth = {("T2", k, COLS[c]): v for k, row in t2.items() for c, v in enumerate(row)}
    truth.update({("T3", r, T3_COLS[c]): v for r, row in t3.items() for c, v in enumerate(row)})
    return text, truth


ARITHMETIC = ("t2.flow_identity", "t2.row_total", "t2.result_sum", "t3.block_total", "t2.nonneg_int", "t3.nonneg_int")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(flattened_reports())
def test_flattened_consistent_tables_never_fail_and_are_never_misread(ruleset, case):
    text, truth = case
    data = build_report(text, {"path": "x.txt", "form": "text"})
    read = {(tid, c["row"], c["col"]): c for tid, t in data["tables"].items() for c in t["cells"]}
    assert set(read) == set(truth)
    for key, cell in read.items():
        if cell["kind"] != "ambiguous":  # every value read is the true one: evidence only narrows
            assert cell["value"] == truth[key], (key, cell)
    report = Report(data)
    for rid in ARITHMETIC:
        result = run_rule(ruleset.get(rid), report)
        assert result["status"] != "fail", (rid, result["message"])


def test_a_split_the_column_relations_chose_does_not_confirm_them(ruleset):
    text = (build_pingtan_like({"granted": "270020130", "unable.not_held": "220000325"}))
    data = build_report(text, {"path": "x.txt", "form": "text"})
    t2 = cells(data, "T2")
    assert t2["granted", "natural"]["split"]["used"] == ["row", "col"]
    result = run_rule(ruleset.get("t2.result_sum"), Report(data))
    assert result["status"] == "pass"
    assert any("自然人" in e["text"] and "等式成立是拆分的前提" in e["text"] for e in result["evidence"])


def test_a_failing_relation_on_a_guessed_split_is_not_an_error(ruleset):
    data = build_report(build_pingtan_like({}), {"path": "x.txt", "form": "text"})
    t2 = data["tables"]["T2"]
    for cell in t2["cells"]:  # the received row was split by its total: now off by one
        if cell["row"] == "received" and cell["col"] == "natural":
            cell["value"] += 1
    result = run_rule(ruleset.get("t2.flow_identity"), Report(data))
    assert result["status"] != "fail"
    assert any("推断可能有误" in e["text"] for e in result["evidence"]) or "推断可能有误" in result["message"]


def build_pingtan_like(runs: dict) -> str:
    """pingtan-2021's T2 with some runs replaced."""
    values = {"received": "640020470", "carried_over": "0000000", "granted": "270020130", "partial": "500000 5",
              "refused.internal_affairs": "1000001", "refused.enforcement_file": "6000006",
              "refused.query_matter": "1000001", "unable.not_held": "220000325", "other.other": "1000001",
              "total_results": "630020469", "carried_forward": "1000001", **runs}
    body = "".join(label + values.get(key, "0000000") for key, label in T2_LABELS)
    return ("某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n本年度共收到70件申请。\n"
            "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            "申请人情况自然人法人或其他组织总计 商业企业科研机构社会公益组织法律服务机构其他" + body
            + "\n五、存在的主要问题及改进情况\n无。\n")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 120), min_size=3, max_size=3), st.booleans())
def test_t1_runs_without_evidence_stay_ambiguous_and_the_text_decides(values, stated):
    run = "".join(str(v) for v in values)
    narrative = (f"本年制发行政规范性文件{values[0]}件，废止{values[1]}件，现行有效{values[2]}件。" if stated
                 else "本年度我区持续深化政务公开。")
    t1 = cells(t1_report(narrative, normative=run), "T1")
    got = [t1["normative_docs", c] for c in ("issued", "repealed", "in_force")]
    splits = enumerate_splits(run, [False] * 3)
    for i, cell in enumerate(got):
        if stated:
            assert cell["value"] == values[i]
        elif splits.digits[i] is None:  # the splits disagree and nothing else is known
            assert (cell["kind"], cell["printed"]) == ("ambiguous", run)
        else:
            assert cell["value"] == values[i] and cell["split"]["basis"] == "digits"


def test_long_runs_are_searched_within_the_totals():
    """Too many splits to look at each: T3 is cut short block by block, T2 from its total."""
    def t3(v):
        return all(v[b + 4] == sum(v[b:b + 4]) for b in (0, 5, 10))

    # 淮安 2024's 表四, run together: 28 digits into 15 columns (20 million splits)
    s = enumerate_splits("72641783735113481261211620", [False] * 15, t3, ("blocks", 5))
    assert s.complete and s.count == 3 and s.digits == [None] * 15
    assert s.row[:10] == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26"] and s.row[14] == "20"
    row = [123456, 78901, 2345, 678, 90, 12]
    s = enumerate_splits("".join(map(str, row + [sum(row)])), [False] * 7, t2_check, ("total", frozenset(range(6))))
    assert s.complete and s.candidates == [[str(v) for v in row + [sum(row)]]]
    assert s.steps < 20_000


def test_cells_csv_says_what_chose_the_split():
    from gkcheck.extract.cells_csv import cells_csv

    text = cells_csv(t1_report("截至年底，现行有效行政规范性文件65件。"))
    rows = {ln.split(",")[3]: ln for ln in text.splitlines() if ",T1,normative_docs," in ln}
    assert rows["in_force"].endswith("inferred by text")
    assert rows["issued"].endswith("ambiguous (10 splits)")
    assert next(ln for ln in text.splitlines() if ",T1,regulations,issued," in ln).endswith("inferred by digits")

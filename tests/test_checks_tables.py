"""The table kinds one by one: evidence text, blanks read as zero, ambiguous cells,
missing-table gating, cross-year relations, and the narrative kinds that use tables."""

from __future__ import annotations

import pytest

from gkcheck.checks import KINDS
from gkcheck.checks.tablecells import short_label
from gkcheck.engine import run_rule
from gkcheck.report.model import Report


def cell(row, col, value=None, kind=None, **extra):
    if kind is None:
        kind = "blank" if value is None else "number"
    out = {"row": row, "col": col, "kind": kind, **extra}
    if value is not None:
        out["value"] = value
    return out


def report(tables=None, sections=None, year=2022, previous=None, **data):
    r = Report({"year": year, "agency": {"name": "测试局", "kind": "department", "level": "county"},
                "tables": tables or {}, "sections": sections or [], **data})
    r.previous = previous
    return r


def run(kind, params, rep):
    return KINDS[kind].compile(params)(rep)


FLOW = {"table": "T2", "for_each": "col", "left": ["received", "carried_over"],
        "right": ["total_results", "carried_forward"]}
ROW_TOTAL = {"table": "T2", "for_each": "row", "left": ["total"],
             "right": ["natural", "commercial", "research", "nonprofit", "legal_service", "other_org"]}


def flow_table(received=12, over=1, results=11, forward=2, col="total", **labels):
    return {"T2": {"format": "2021", "cells": [
        cell("received", col, received, **labels), cell("carried_over", col, over),
        cell("total_results", col, results), cell("carried_forward", col, forward)]}}


# ----------------------------------------------------------------------------- table_sum


def test_evidence_lists_every_operand_with_labels_values_and_difference():
    out = run("table_sum", FLOW, report(flow_table(results=10)))
    assert out.status == "fail"
    ev = out.evidence[0]
    assert ev["text"] == ("总计：一、本年新收 12 + 二、上年结转 1 = 13 ≠ （七）总计 10 + 四、结转下年度 2 = 12"
                          "（相差 +1）")
    value = ev["value"]
    assert (value["instance"], value["actual"], value["expected"], value["difference"]) == ("total", "13", "12", "1")
    assert [(o["row"], o["col"], o["row_label"], o["column_label"], o["value"]) for o in value["left"]] == [
        ("received", "total", "一、本年新收", "总计", "12"), ("carried_over", "total", "二、上年结转", "总计", "1")]
    assert out.values["count"] == 1 and out.values["first"] == ev["text"]


def test_printed_labels_are_preferred_and_remarks_dropped():
    table = {"T2": {"format": "2021", "cells": [
        cell("total_results", "natural", 21, row_label="（七）总计", column_label="自然人"),
        cell("granted", "natural", 5, row_label="（一）予以公开"),
        cell("partial", "natural", 3, row_label="（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        cell("unable.not_held", "natural", 10, row_label="1.本机关不掌握相关政府信息"),
        cell("not_processed.repeat", "natural", 2, row_label="2.重复申请"),
        cell("other.other", "natural", 0, row_label="3.其他")]}}
    params = {"table": "T2", "for_each": "col", "left": ["total_results"],
              "right": ["granted", "partial", "unable.not_held", "not_processed.repeat", "other.other"]}
    out = run("table_sum", params, report(table))
    assert out.evidence[0]["text"] == ("自然人：（七）总计 21 ≠ （一）予以公开 5 + （二）部分公开 3 + 1.本机关不掌握相关政府信息 10"
                                       " + 2.重复申请 2 + 其他处理-其他 0 = 20（相差 +1）")


def test_short_labels():
    assert short_label("T2", "row", "other.other", "3.其他") == "其他处理-其他"
    assert short_label("T2", "row", "granted", None) == "（一）予以公开"
    assert short_label("T2", "col", "other_org", "申请人情况 / 法人或其他组织 / 其他") == "其他组织"
    assert short_label("T2", "col", "commercial", "申请人情况 / 法人或其他组织 / 商业企业") == "商业企业"
    assert short_label("T1", "col", "change", "本年增/减") == "本年增/减"
    assert short_label("T1", "col", "fee_amount", "本年收费金额（单位：万元）") == "本年收费金额（单位：万元）"


def test_blank_read_as_zero_is_said_in_the_finding():
    table = flow_table()
    table["T2"]["cells"][3] = cell("carried_forward", "total", kind="dash", printed="—")
    out = run("table_sum", FLOW, report(table))
    assert out.status == "fail"
    assert "“—”按0计" in out.evidence[0]["text"]
    assert "按 0 计" in out.values["blank_note"] and "四、结转下年度 总计" in out.values["blank_note"]
    assert any("空白单元格的读法" in e["text"] for e in out.evidence)


def test_blank_note_on_pass_and_in_rendered_message(ruleset):
    table = flow_table(over=None, received=13)
    ok = run("table_sum", FLOW, report(table))
    assert ok.status == "pass" and "按 0 计" in ok.evidence[0]["text"]
    bad = flow_table(over=None, received=12)
    result = run_rule(ruleset.get("t2.flow_identity"), report(bad))
    assert result["status"] == "fail"
    assert "空白按0计" in result["message"] and "1 个空白" in result["message"]


def test_blank_missing_policy_makes_instance_not_checkable():
    out = run("table_sum", {**FLOW, "blank": "missing"}, report(flow_table(over=None, received=99)))
    assert out.status == "not_applicable"
    assert "二、上年结转 缺失" in out.reason


def test_ambiguous_cell_never_fails_and_is_reported():
    table = flow_table(received=99)
    table["T2"]["cells"][0] = cell("received", "total", kind="ambiguous", printed="640020470")
    table["T2"]["cells"] += [cell("received", "natural", 5), cell("carried_over", "natural", 0),
                             cell("total_results", "natural", 3), cell("carried_forward", "natural", 1)]
    out = run("table_sum", FLOW, report(table))
    assert out.status == "fail"  # the natural column fails on its own numbers …
    assert [e["value"]["instance"] for e in out.evidence if isinstance(e.get("value"), dict)] == ["natural"]
    assert any("“640020470” 拆分不唯一，无法核对" in e["text"] for e in out.evidence)  # … the total column is only listed
    only_ambiguous = flow_table(received=99)
    only_ambiguous["T2"]["cells"][0] = cell("received", "total", kind="ambiguous", printed="640020470")
    out = run("table_sum", FLOW, report(only_ambiguous))
    assert out.status == "not_applicable" and "拆分不唯一" in out.reason


def test_unfilled_side_is_not_read_as_zero():
    """A 总计 column left empty (上海 2019) is not filled in, not 0; a printed 0 total still fails."""
    cells = [cell("granted", "natural", 258), cell("granted", "commercial", 12), cell("granted", "total")]
    cells += [cell("granted", c) for c in ("research", "nonprofit", "legal_service", "other_org")]
    out = run("table_sum", ROW_TOTAL, report({"T2": {"format": "2019", "cells": cells}}))
    assert out.status == "not_applicable" and "总计 均为空白（未填写），另一边为 270" in out.reason
    assert run("table_sum", {**ROW_TOTAL, "unfilled": "zero"},
               report({"T2": {"format": "2019", "cells": cells}})).status == "fail"
    cells[2] = cell("granted", "total", 0)
    out = run("table_sum", ROW_TOTAL, report({"T2": {"format": "2019", "cells": cells}}))
    assert out.status == "fail" and "总计 0 ≠" in out.evidence[0]["text"]


def test_text_cell_is_not_checkable_here_but_fails_cell_values():
    table = flow_table()
    table["T2"]["cells"][0] = cell("received", "total", kind="text", printed="若干")
    assert run("table_sum", FLOW, report(table)).status == "not_applicable"
    out = run("cell_values", {"table": "T2"}, report(table))
    assert out.status == "fail" and "“若干”不是数字" in out.evidence[0]["text"]


def test_missing_or_empty_table_is_not_applicable_with_reason():
    out = run("table_sum", FLOW, report({}))
    assert out.status == "not_applicable" and "报告中没有T2" in out.reason
    out = run("table_sum", FLOW, report({"T2": {"format": "2021", "cells": []}}))
    assert out.status == "not_applicable" and "没有可读取的单元格" in out.reason


def test_missing_tables_fail_once_not_per_relation(ruleset):
    rep = report({}, year=2022)
    results = {r.id: run_rule(r, rep) for r in ruleset.rules}
    table_rules = [rid for rid, res in results.items()
                   if ruleset.get(rid).kind in ("table_sum", "cell_values", "cross_year")]
    assert table_rules and all(results[rid]["status"] == "not_applicable" for rid in table_rules)
    assert results["format.2021.tables"]["status"] == "fail"
    assert results["format.2021.version"]["status"] == "not_applicable"


def test_optional_operands_and_skipped_keys():
    table = {"T2": {"format": "2021", "cells": [cell("received", "natural", 2), cell("received", "total", 2)]}}
    out = run("table_sum", {**ROW_TOTAL, "optional": ROW_TOTAL["right"]}, report(table))
    assert out.status == "pass"
    out = run("table_sum", {**FLOW, "keys": ["subtotal"], "optional": ["carried_over"]}, report(flow_table()))
    assert out.status == "not_applicable"  # no subtotal column: nothing to check


def test_only_if_present():
    params = {"table": "T2", "for_each": "row", "left": ["subtotal"], "right": ["commercial", "research"],
              "only_if_present": ["subtotal"]}
    out = run("table_sum", params, report(flow_table()))
    assert out.status == "not_applicable" and "法人或其他组织小计" in out.reason


def test_exact_decimal_arithmetic_and_tolerance():
    table = {"T1": {"format": "2021", "cells": [cell("admin_fees", "fee_amount", 0.3), cell("a", "fee_amount", 0.1),
                                                cell("b", "fee_amount", 0.2)]}}
    params = {"table": "T1", "for_each": "col", "left": ["admin_fees"], "right": ["a", "b"]}
    assert run("table_sum", params, report(table)).status == "pass"
    table["T1"]["cells"][0]["value"] = 0.31
    assert run("table_sum", params, report(table)).status == "fail"
    assert run("table_sum", {**params, "tolerance": 0.01}, report(table)).status == "pass"


def test_format_variant_chosen_by_table_format():
    rows19 = ["granted", "other"]
    rows21 = ["granted", "other.no_correction", "other.unpaid_fee", "other.other"]
    params = {"table": "T2", "for_each": "col", "left": ["total_results"], "right": rows19,
              "formats": {"2021": {"right": rows21}}}
    t21 = [cell("granted", "total", 1), cell("other.no_correction", "total", 1), cell("other.unpaid_fee", "total"),
           cell("other.other", "total"), cell("total_results", "total", 2)]
    for label in ("2021", "unknown"):
        assert run("table_sum", params, report({"T2": {"format": label, "cells": t21}})).status == "pass"
    out = run("table_sum", params, report({"T2": {"format": "2019", "cells": t21}}))
    assert out.status == "not_applicable" and "（六）其他处理 缺失" in out.reason


def test_compact_text_for_long_sides_keeps_every_operand_in_value(ruleset):
    rows = ruleset.get("t2.result_sum").params["formats"]["2021"]["right"]
    cells = [cell(r, "total", 5 if r == "granted" else None) for r in rows] + [cell("total_results", "total", 6)]
    result = run_rule(ruleset.get("t2.result_sum"), report({"T2": {"format": "2021", "cells": cells}}))
    ev = result["evidence"][0]
    assert "（七）总计 6 ≠ （一）予以公开 5 + 其余 20 项为 0（其中 20 项空白按0计） = 5（相差 +1）" in ev["text"]
    assert len(ev["value"]["right"]) == 21


# ----------------------------------------------------------------------------- cell_values


def test_cell_values_kinds_of_failure_and_allowed_negative():
    table = {"T1": {"format": "2019", "cells": [
        cell("licensing", "change", -8), cell("licensing", "prev_count", -1),
        cell("admin_fees", "prev_count", 2.5), cell("penalty", "decisions", kind="dash", printed="—")]}}
    out = run("cell_values", {"table": "T1", "integer": True, "negative_cols": ["change"]}, report(table))
    texts = [e["text"] for e in out.evidence]
    assert texts == ["行政许可 / 上一年项目数量：-1 为负数", "行政事业性收费 / 上一年项目数量：2.5 不是整数"]
    assert run("cell_values", {"table": "T1", "integer": False, "negative_cols": ["change"],
                               "rows": ["licensing"], "cols": ["change"]}, report(table)).status == "pass"
    assert run("cell_values", {"table": "T1", "blank": "fail", "rows": ["penalty"]}, report(table)).status == "fail"


# ----------------------------------------------------------------------------- table_present


def test_table_present_and_version():
    t1_21 = {"format": "2021", "cells": [cell("regulations", "issued", 1)]}
    t2_19 = {"format": "2019", "cells": [cell("other", "total", 1)]}
    rep = report({"T1": t1_21, "T2": t2_19}, year=2022)
    out = run("table_present", {"tables": ["T1", "T2", "T3"]}, rep)
    assert out.status == "fail" and out.values["missing"] == "T3（行政复议、行政诉讼情况表）"
    out = run("table_present", {"tables": ["T1", "T2"], "expect_format": "2021", "missing": "skip"}, rep)
    assert out.status == "fail" and "T2（收到和处理政府信息公开申请情况表）按2019年版格式" in out.values["wrong"]
    unknown = report({"T1": {"format": "unknown", "cells": [cell("regulations", "issued", 1)]}})
    out = run("table_present", {"tables": ["T1"], "expect_format": "2021", "missing": "skip"}, unknown)
    assert out.status == "not_applicable"


# ----------------------------------------------------------------------------- section_order


SIX = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
       "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def test_section_order_only_top_level_by_default(ruleset):
    params = ruleset.get("format.2021.sections").params
    nested = [{"number": "一、", "heading": "总体情况",
               "sections": [{"number": "（二）", "heading": "依申请公开"}, {"number": "（三）", "heading": "行政复议"}]}]
    sections = nested + [{"number": h[:2], "heading": h[2:]} for h in SIX[1:]]
    assert run("section_order", params, report(sections=sections)).status == "pass"
    out = run("section_order", {**params, "level": "any"}, report(sections=sections))
    assert out.status == "fail" and out.values["misplaced"]


# ----------------------------------------------------------------------------- cross_year


def test_cross_year_needs_previous_of_year_before():
    params = {"table": "T2", "for_each": "col", "left": ["carried_over"], "right": ["prev:carried_forward"]}
    this = {"T2": {"format": "2021", "cells": [cell("carried_over", "total", 2)]}}
    last = {"T2": {"format": "2021", "cells": [cell("carried_forward", "total", 3)]}}
    out = run("cross_year", params, report(this))
    assert out.status == "not_applicable" and "--previous" in out.reason
    out = run("cross_year", params, report(this, previous=report(last, year=2020)))
    assert out.status == "not_applicable" and "2020" in out.reason
    out = run("cross_year", params, report(this, previous=report(last, year=2021)))
    assert out.status == "fail"
    assert out.evidence[0]["text"] == "总计：二、上年结转 2 ≠ 上年报告 四、结转下年度 3（相差 -1）"
    assert out.evidence[0]["value"]["right"][0]["year"] == "previous"


def test_cross_year_requires_a_previous_operand():
    with pytest.raises(ValueError):
        KINDS["cross_year"].compile({"table": "T2", "for_each": "col", "left": ["a"], "right": ["b"]})


def test_stock_continuity_signs(ruleset):
    rule = ruleset.get("t1.2021.stock_continuity")
    this = {"T1": {"format": "2021", "cells": [cell("normative_docs", "issued", 10), cell("normative_docs", "repealed", 4),
                                               cell("normative_docs", "in_force", 62)]}}
    last = {"T1": {"format": "2021", "cells": [cell("normative_docs", "in_force", 56)]}}
    result = run_rule(rule, report(this, previous=report(last, year=2021)))
    assert result["status"] == "pass"
    this["T1"]["cells"][2]["value"] = 66
    result = run_rule(rule, report(this, previous=report(last, year=2021)))
    assert result["status"] == "fail" and result["severity"] == "info"
    assert "− 本年废止件数 4 = 62（相差 +4）" in result["message"]


# ----------------------------------------------------------------------------- copied_text / text_figures


def test_copied_text_ignores_years_and_digits_incl_chinese_numerals():
    from gkcheck.checks.copied_text import normalise

    assert normalise("二〇二一年，收到申请12件。") == normalise("2022年，收到申请9件。")
    text = "本局坚持以人民为中心的发展思想，认真落实政务公开要求。全年收到政府信息公开申请12件，均在法定期限内答复办结。栏目更新不够及时的问题仍然存在。"
    prev = report(sections=[{"heading": "总体情况", "text": text}], year=2021)
    out = run("copied_text", {"threshold": 0.5}, report(sections=[{"heading": "总体情况", "text": text.replace("12", "30")}],
                                                          previous=prev))
    assert out.status == "fail" and out.values["share"] == "100%"


def test_text_figures_pattern_must_capture_n():
    with pytest.raises(ValueError):
        KINDS["text_figures"].compile({"quantities": [{"name": "x", "patterns": ["收到(\\d+)件"],
                                                       "cells": [{"table": "T2", "row": "received", "col": "total"}]}]})


def test_text_figures_ambiguous_figure_is_not_compared_but_others_are(ruleset):
    rule = ruleset.get("text.figures")
    tables = {"T2": {"format": "2021", "cells": [cell("received", "total", 12), cell("total_results", "total", 10)]},
              "T3": {"cells": [cell("review", "total", 1), cell("litigation_direct", "total", 0),
                               cell("litigation_after_review", "total", 0)]}}
    text = "全年收到申请12件，办结10件。发生行政复议、行政诉讼案件1件。"
    result = run_rule(rule, report(tables, [{"number": "一、", "heading": "总体情况", "text": text}]))
    assert result["status"] == "pass"
    texts = [e["text"] for e in result["evidence"]]
    assert any("1 件可能是行政复议或行政诉讼" in t for t in texts)
    assert sum(t.startswith(("本年收到申请：", "办结：")) for t in texts) == 2


# ----------------------------------------------------------------------------- conditional


def test_conditional_validates_nested_params():
    from gkcheck.errors import RuleError
    from gkcheck.ruleset.load import validate

    rule = {"id": "x.y", "title": "t", "severity": "info", "message": {"zh": "m"},
            "basis": {"instrument": "i", "confirmed": True},
            "check": {"kind": "conditional", "when": "year > 1", "then": {"kind": "statement", "bogus": 1}}}
    with pytest.raises(RuleError):
        validate({"pack": {"id": "p", "title": "p"}, "rules": [rule]}, "x.yaml", "")
    rule["check"]["then"] = {"kind": "statement", "topics": [{"name": "a", "patterns": ["a"]}]}
    validate({"pack": {"id": "p", "title": "p"}, "rules": [rule]}, "x.yaml", "")


def test_unconfirmed_bases_never_error(ruleset):
    mine = [r for r in ruleset.rules if r.pack in ("tiaoli-2019", "format-common", "format-2019", "format-2021")]
    assert len(mine) == 35
    assert all(r.severity != "error" for r in mine if not all(b["confirmed"] for b in r.basis))

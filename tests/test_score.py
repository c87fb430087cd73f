"""Scorecards: deductions by severity, caps, not-applicable categories out of the maximum, waivers
and baselines sparing points as they spare verdicts, and scorecard files validated like rule packs."""

import copy
import json

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gkcheck.cli import cli
from gkcheck.errors import UsageError
from gkcheck.policy import score
from gkcheck.ruleset import load_ruleset
from tests.conftest import FIXTURES

CARD = score.load()
RULE_IDS = sorted(r.id for r in load_ruleset().rules)
PAIR_2021 = FIXTURES / "batch" / "市政府办公厅" / "2021.yaml"


def entry(*results):
    return {"source": "r.yaml", "verdict": "fail", "results": [
        {"rule": rule, "title": rule, "status": status, "severity": severity, **extra}
        for rule, status, severity, *more in results for extra in [more[0] if more else {}]]}


def test_deduction_by_severity_and_the_rules_behind_it():
    s = CARD.score(entry(("deadline.2019.dept.jan31", "fail", "error"), ("t2.row_total", "fail", "warning"),
                         ("content.2019.proactive", "pass", "error"), ("format.2021.sections", "pass", "error"),
                         ("year.not_copied", "pass", "warning")))
    cats = {c["id"]: c for c in s["categories"]}
    assert cats["timeliness"]["score"] == 0 and cats["timeliness"]["deductions"] == [
        {"rule": "deadline.2019.dept.jan31", "title": "deadline.2019.dept.jan31", "severity": "error", "points": 20,
         "group": "按法定期限公布"}]
    assert cats["accuracy"]["score"] == 27  # a warning of the arithmetic group: 3 points
    assert s["max"] == 100 and s["earned"] == 77 and s["total"] == 77.0 and s["note"] == "满分 100"


def test_not_applicable_category_leaves_the_maximum_and_is_stated():
    s = CARD.score(entry(("deadline.2007.mar31", "pass", "error"), ("content.2007.fees", "fail", "error"),
                         ("year.not_copied", "not_applicable", "warning")))
    assert [c["id"] for c in s["categories"] if not c["applicable"]] == ["accuracy", "format", "writing"]
    assert s["max"] == 50 and s["earned"] == 40 and s["total"] == 80.0
    assert "数据准确（30 分）、格式规范（10 分）、文字质量（10 分）没有适用的规则" in s["note"] and "按 50 分折合" in s["note"]


def test_group_cap_and_category_floor():
    rules = [(f"t2.rule{i}", "fail", "error") for i in range(6)] + [("text.figures", "fail", "error")]
    s = CARD.score(entry(*rules))
    acc = next(c for c in s["categories"] if c["id"] == "accuracy")
    assert sum(d["points"] for d in acc["deductions"] if d["group"] == "统计表勾稽关系") == 24  # the cap
    assert acc["score"] == 0  # 24 + 6: the category's 30 points, no less than 0


def test_unknown_rule_is_scored_by_the_default_group():
    s = CARD.score(entry(("zj.citation", "fail", "warning")))
    comp = next(c for c in s["categories"] if c["id"] == "completeness")
    assert comp["deductions"][0]["points"] == 2 and comp["deductions"][0]["group"] == "其他规则"


def test_unreadable_report_has_no_score():
    assert CARD.score({"source": "x", "verdict": "error", "results": []}) is None


RESULTS = st.lists(st.tuples(st.sampled_from(RULE_IDS), st.sampled_from(["pass", "fail", "not_applicable", "waived"]),
                             st.sampled_from(["error", "warning", "info"])), max_size=30,
                   unique_by=lambda r: r[0])


def _totals(s):
    return s["total"], {c["id"]: c["score"] for c in s["categories"]}


@settings(max_examples=300, deadline=None)
@given(RESULTS, st.data())
def test_a_failure_added_never_raises_the_score(results, data):
    before = CARD.score(entry(*results))
    passing = [i for i, r in enumerate(results) if r[1] == "pass"]
    if passing:  # a rule that passed now fails
        i = data.draw(st.sampled_from(passing))
        changed = list(results)
        changed[i] = (results[i][0], "fail", results[i][2])
    else:  # a new failing rule in a category that already applies
        applied = {CARD.group_of(r[0]).category for r in results if r[1] != "not_applicable"}
        extra = [r for r in RULE_IDS if CARD.group_of(r).category in applied and r not in {x[0] for x in results}]
        assume(extra)
        changed = results + [(data.draw(st.sampled_from(extra)), "fail", data.draw(st.sampled_from(["error", "info"])))]
    after = CARD.score(entry(*changed))
    assert after["total"] <= before["total"]
    assert after["max"] == before["max"]
    b, a = _totals(before)[1], _totals(after)[1]
    assert all(a[k] <= b[k] for k in b if b[k] is not None)


@settings(max_examples=200, deadline=None)
@given(RESULTS, st.sampled_from(["waived", "baseline"]))
def test_waived_or_baselined_failure_scores_as_a_pass(results, how):
    failing = [i for i, r in enumerate(results) if r[1] == "fail"]
    assume(failing)
    i = failing[0]
    spared = list(results)
    spared[i] = (results[i][0], "waived", results[i][2]) if how == "waived" \
        else (results[i][0], "fail", results[i][2], {"baseline": True})
    passed = list(results)
    passed[i] = (results[i][0], "pass", results[i][2])
    s_spared, s_passed, s_failed = (CARD.score(entry(*r)) for r in (spared, passed, results))
    assert _totals(s_spared) == _totals(s_passed)
    assert s_spared["total"] >= s_failed["total"]
    assert {"rule": results[i][0], "reason": how} in s_spared["not_deducted"]


def test_policy_scores_after_waivers_and_baseline(tmp_path, monkeypatch):
    """Through the command line: a waiver spares the points of the finding it waives."""
    monkeypatch.chdir(tmp_path)
    plain = json.loads(CliRunner().invoke(cli, ["check", str(PAIR_2021), "--format", "json"]).stdout)["reports"][0]
    failed = [r for r in plain["results"] if r["status"] == "fail"]
    rule = failed[0]["rule"]
    (tmp_path / "w.yaml").write_text(f"- rule: {rule}\n  report: '*'\n  reason: 已说明\n  approver: 办公室\n"
                                     f"  expires: 2099-12-31\n", "utf-8")
    result = CliRunner().invoke(cli, ["check", str(PAIR_2021), "--format", "json", "--waivers", "w.yaml"])
    waived = json.loads(result.stdout)["reports"][0]
    lost = next(d["points"] for c in plain["score"]["categories"] for d in c["deductions"] if d["rule"] == rule)
    assert waived["score"]["earned"] == plain["score"]["earned"] + lost
    assert waived["score"]["not_deducted"] == [{"rule": rule, "reason": "waived"}]


def test_text_output_shows_the_score():
    out = CliRunner().invoke(cli, ["check", str(PAIR_2021)]).stdout
    assert "   得分：90.0（发布时效 20/20、内容完整 26/30" in out


def test_scorecard_option_and_config_key(tmp_path, monkeypatch):
    card = copy.deepcopy(CARD.data)
    card["id"] = "office-2026"
    card["categories"][3]["groups"][1]["deduct"]["error"] = 10  # a missing table costs the whole category
    path = tmp_path / "card.yaml"
    path.write_text(json.dumps(card, ensure_ascii=False), "utf-8")
    doc = json.loads(CliRunner().invoke(cli, ["check", str(PAIR_2021), "--format", "json",
                                              "--scorecard", str(path)]).stdout)
    fmt = next(c for c in doc["reports"][0]["score"]["categories"] if c["id"] == "format")
    assert doc["reports"][0]["score"]["scorecard"] == "office-2026" and fmt["score"] == 0
    assert doc["run"]["scorecard"]["file"] == str(path)
    (tmp_path / "gkcheck.yaml").write_text("scorecard: card.yaml\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(CliRunner().invoke(cli, ["check", str(PAIR_2021), "--format", "json"]).stdout)
    assert doc["reports"][0]["score"]["scorecard"] == "office-2026"


@pytest.mark.parametrize("edit, message", [
    (lambda c: c.update(extra=1), "不认识的键 extra"),
    (lambda c: c["categories"][0]["groups"][0].update(deduct={"error": 1}), "缺少必填的键 warning、info"),
    (lambda c: c["categories"][1].update(id="timeliness"), "类别编号 timeliness 重复"),
    (lambda c: c["default"].update(category="nowhere"), "default.category 不是已定义的类别：nowhere"),
    (lambda c: c["categories"][0].update(points=-5), "数值 -5 太小"),
])
def test_bad_scorecard_is_one_line_with_the_place(tmp_path, edit, message):
    card = copy.deepcopy(CARD.data)
    edit(card)
    path = tmp_path / "card.yaml"
    path.write_text(json.dumps(card, ensure_ascii=False, indent=1), "utf-8")
    with pytest.raises(UsageError) as exc:
        score.load(str(path))
    assert message in str(exc.value) and str(path) in str(exc.value) and "\n" not in str(exc.value)
    result = CliRunner().invoke(cli, ["check", str(PAIR_2021), "--scorecard", str(path)])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_missing_scorecard_file():
    result = CliRunner().invoke(cli, ["check", str(PAIR_2021), "--scorecard", "nope.yaml"])
    assert result.exit_code == 2 and "nope.yaml: 评分表文件不存在" in result.stderr


def test_every_group_of_the_default_scorecard_is_explained_in_the_docs():
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    rows = {line.split("`")[1]: line for line in doc.splitlines() if line.startswith("| `")}
    for group in CARD.groups:
        assert group.id in rows and group.name in rows[group.id], group.id
        deducted = " / ".join(str(group.deduct.get(level, 0)) for level in ("error", "warning", "info"))
        assert f"| {deducted}" in rows[group.id], (group.id, deducted)
    for cid, name, points in CARD.categories:
        assert f"{name}（{points} 分）" in doc


def test_audit_text_ranks_by_score():
    result = CliRunner().invoke(cli, ["audit", "--no-progress", "--jobs", "1", str(FIXTURES / "batch")])
    out = result.stdout
    assert "平均得分 " in out and "按得分排名：" in out
    lines = out[out.index("按得分排名：") + 7:].splitlines()
    scores = [float(line.split()[0]) for line in lines if line.startswith("  ") and line.split()[0][0].isdigit()]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)  # the unreadable report is not ranked
    assert "得分 " in out.splitlines()[1]  # each report's line shows its score


def test_ranking_keeps_only_the_best_and_worst():
    from gkcheck.output.summary import RANKED, Tally

    tally = Tally()
    for i in range(50):
        tally.add({"index": i, "source": f"{i}.yaml", "verdict": "pass", "agency": f"机关{i}", "key": None,
                   "level": None, "year": 2021, "failed": [], "applied": [], "score": float(i % 37)})
    (best_label, best), (worst_label, worst) = tally.rankings()
    assert best_label.startswith("得分最高") and worst_label.startswith("得分最低")
    assert [r[0] for r in best] == [float(s) for s in range(36, 36 - RANKED, -1)]
    assert [r[0] for r in worst][:4] == [0.0, 0.0, 1.0, 1.0] and len(worst) == RANKED
    assert [r[3] for r in worst][:2] == ["0.yaml", "37.yaml"]  # ties: the earlier report first
    assert tally.average() == round(sum(i % 37 for i in range(50)) / 50, 1)

"""Waivers (approved, expiring exceptions) and baselines (only new findings fail)."""

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.policy.baseline import fingerprint

TODAY = {"GKCHECK_TODAY": "2025-06-30"}



def invoke(*args, env=TODAY):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def waiver(rule="content.2007.application", expires="2025-12-31", **target):
    target = target or {"report": "reports/*.txt"}
    lines = [f"  - rule: {rule}"] + [f"    {k}: {v}" for k, v in target.items()]
    return "\n".join(lines + ["    reason: 不予公开情况在附表中说明", "    approver: 办公室 张三",
                              f"    expires: {expires}"]) + "\n"


def write_waivers(repo, *entries):
    (repo / "waivers.yaml").write_text("waivers:\n" + "".join(entries), "utf-8")
    return "waivers.yaml"


def json_check(*args, env=TODAY):
    result = invoke("check", "reports/2016.txt", "--format", "json", *args, env=env)
    return result, json.loads(result.stdout)


def by_rule(doc):
    return {r["rule"]: r for r in doc["reports"][0]["results"]}


# -- waivers ---------------------------------------------------------------------------------------

def test_waived_finding_passes_the_run(repo):
    result, doc = json_check("--waivers", write_waivers(repo, waiver()))
    assert result.exit_code == 0
    app = by_rule(doc)["content.2007.application"]
    assert app["status"] == "waived"
    assert app["waiver"]["reason"] == "不予公开情况在附表中说明" and app["waiver"]["approver"] == "办公室 张三"
    assert app["waiver"]["expires"] == "2025-12-31" and app["waiver"]["expired"] is False
    assert app["waiver"]["source"] == "waivers.yaml 第2行"
    assert doc["reports"][0]["verdict"] == "pass" and doc["summary"]["pass"] == 1
    assert doc["unused_waivers"] == [] and doc["expired_waivers"] == []


def test_waived_in_every_format(repo):
    name = write_waivers(repo, waiver())
    text = invoke("check", "reports/2016.txt", "--waivers", name).stdout
    assert "[已豁免] reports/2016.txt: content.2007.application" in text and "办公室 张三" in text
    assert "[不适用] content.2007.application" not in text

    sarif = json.loads(invoke("check", "reports/2016.txt", "--waivers", name, "--format", "sarif").stdout)
    res = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert res["content.2007.application"]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "不予公开情况在附表中说明",
         "properties": {"approver": "办公室 张三", "expires": "2025-12-31", "source": "waivers.yaml 第2行"}}]
    assert res["quality.attachment_missing"]["suppressions"] == []

    junit = ET.fromstring(invoke("check", "reports/2016.txt", "--waivers", name, "--format", "junit").stdout)
    case = next(c for c in junit.iter("testcase") if c.get("name").startswith("content.2007.application"))
    assert case.find("failure") is None and "不予公开情况在附表中说明" in case.find("skipped").get("message")

    github = invoke("check", "reports/2016.txt", "--waivers", name, "--format", "github").stdout
    line = next(x for x in github.splitlines() if "content.2007.application" in x)
    assert line.startswith("::notice ") and "已豁免" in line


def test_waiver_by_agency_and_year(repo):
    name = write_waivers(repo, waiver(agency="浙江省商务厅", year=2016),
                         waiver(rule="quality.*", agency="浙江省商务厅", year=2015))
    result, doc = json_check("--waivers", name)
    assert result.exit_code == 0 and by_rule(doc)["content.2007.application"]["status"] == "waived"
    assert by_rule(doc)["quality.attachment_missing"]["status"] == "fail"
    assert [w["rule"] for w in doc["unused_waivers"]] == ["quality.*"]


def test_waiver_with_report_glob_and_year(repo):
    """A year narrows a report glob: a 2018 waiver does not waive the 2016 report."""
    name = write_waivers(repo, waiver(report="reports/*.txt", year=2015),
                         waiver(rule="quality.attachment_missing", report="reports/*.txt", year=2016))
    result, doc = json_check("--waivers", name)
    res = by_rule(doc)
    assert res["content.2007.application"]["status"] == "fail" and "waiver" not in res["content.2007.application"]
    assert res["quality.attachment_missing"]["status"] == "waived"
    assert [w["rule"] for w in doc["unused_waivers"]] == ["content.2007.application"]
    assert result.exit_code == 1 and doc["reports"][0]["verdict"] == "fail"


def test_expired_waiver_fails_and_says_which(repo):
    name = write_waivers(repo, waiver(expires="2025-06-29"))
    result, doc = json_check("--waivers", name)
    assert result.exit_code == 1
    app = by_rule(doc)["content.2007.application"]
    assert app["status"] == "fail" and app["waiver"]["expired"] is True
    assert "豁免已于 2025-06-29 过期" in app["message"] and "waivers.yaml 第2行" in app["message"]
    assert doc["expired_waivers"][0]["rule"] == "content.2007.application"
    assert "豁免已过期" in result.stderr and "waivers.yaml 第2行" in result.stderr
    text = invoke("check", "reports/2016.txt", "--waivers", name).stdout
    assert "[豁免已过期] reports/2016.txt: content.2007.application" in text


def test_expired_waiver_fails_even_below_fail_on(repo):
    name = write_waivers(repo, waiver(rule="content.2007.other", expires="2025-01-01"),
                         waiver(rule="content.2007.application"))
    assert invoke("check", "reports/2016.txt", "--waivers", name).exit_code == 1
    assert invoke("check", "reports/2016.txt", "--waivers", name, "--fail-on", "never").exit_code == 0


def test_expiry_day_itself_is_valid(repo):
    name = write_waivers(repo, waiver(expires="2025-06-30"))
    assert invoke("check", "reports/2016.txt", "--waivers", name).exit_code == 0
    assert invoke("check", "reports/2016.txt", "--waivers", name, env={"GKCHECK_TODAY": "2025-07-01"}).exit_code == 1


def test_unused_waiver_is_reported(repo):
    name = write_waivers(repo, waiver(), waiver(rule="content.2007.fees"))
    result, doc = json_check("--waivers", name)
    assert result.exit_code == 0
    assert [(w["rule"], w["source"]) for w in doc["unused_waivers"]] == [("content.2007.fees", "waivers.yaml 第7行")]
    assert "gkcheck: 警告: 豁免未匹配任何问题：content.2007.fees（waivers.yaml 第7行）" in result.stderr


def test_waivers_from_config_inline_and_file(repo):
    (repo / "gkcheck.yaml").write_text("waivers:\n" + waiver(), "utf-8")
    result, doc = json_check()
    assert result.exit_code == 0
    assert by_rule(doc)["content.2007.application"]["waiver"]["source"] == "gkcheck.yaml 第2行"
    sub = repo / "ci"
    sub.mkdir()
    (sub / "waivers.yaml").write_text("waivers:\n" + waiver(report="../reports/2016.txt"), "utf-8")
    (repo / "gkcheck.yaml").write_text("waivers: ci/waivers.yaml\n", "utf-8")
    result, doc = json_check()
    assert result.exit_code == 0, result.stderr
    assert by_rule(doc)["content.2007.application"]["waiver"]["source"] == "ci/waivers.yaml 第2行"


def test_bad_waiver_file_and_today(repo):
    (repo / "w.yaml").write_text("- rule: x\n  report: a\n  reason: r\n  expires: 2025-01-01\n", "utf-8")
    result = invoke("check", "reports/2016.txt", "--waivers", "w.yaml")
    assert result.exit_code == 2 and "w.yaml" in result.stderr and "approver" in result.stderr
    assert "第1行" in result.stderr
    result = invoke("check", "reports/2016.txt", "--waivers", "none.yaml")
    assert result.exit_code == 2 and "豁免文件不存在" in result.stderr
    name = write_waivers(repo, waiver())
    result = invoke("check", "reports/2016.txt", "--waivers", name, env={"GKCHECK_TODAY": "30/06/2025"})
    assert result.exit_code == 2 and "GKCHECK_TODAY" in result.stderr


# -- baselines -------------------------------------------------------------------------------------

def test_baseline_create_and_check(repo):
    result = invoke("baseline", "create", "reports/2016.txt", "-o", ".gkcheck-baseline.json")
    assert result.exit_code == 0 and "4 个问题" in result.stderr
    base = json.loads((repo / ".gkcheck-baseline.json").read_text("utf-8"))
    assert base["gkcheck_baseline"] == 1 and base["created"] == "2025-06-30"
    assert {(f["report"], f["rule"]) for f in base["findings"]} == {
        ("reports/2016.txt", r) for r in ("content.2007.application", "content.2007.other",
                                          "quality.attachment_missing", "quality.signed_after_published")}
    assert all(len(f["fingerprint"]) == 64 for f in base["findings"])

    result, doc = json_check("--baseline", ".gkcheck-baseline.json")
    assert result.exit_code == 0
    assert by_rule(doc)["content.2007.application"]["baseline"] is True
    assert doc["fixed"] == []
    # baselined findings do not count: the verdict agrees with the exit code; the findings stay listed
    assert doc["reports"][0]["verdict"] == "pass" and doc["summary"]["pass"] == 1
    assert by_rule(doc)["content.2007.application"]["status"] == "fail"
    assert invoke("baseline", "create", "reports/2016.txt", "-o", ".gkcheck-baseline.json").exit_code == 2


def test_baseline_ignores_line_numbers(repo):
    invoke("baseline", "create", "reports/2016.txt", "-o", "base.json")
    report = repo / "reports" / "2016.txt"
    report.write_text("\n\n\n" + report.read_text("utf-8"), "utf-8")
    result, doc = json_check("--baseline", "base.json")
    assert result.exit_code == 0
    assert by_rule(doc)["content.2007.application"]["location"]["line"] == 49


def test_new_finding_fails_and_fixed_are_reported(repo):
    invoke("baseline", "create", "reports/2016.txt", "-o", "base.json")
    report = repo / "reports" / "2016.txt"
    text = report.read_text("utf-8")
    # fix one problem (no attachment mentioned) and create another (a later publication date)
    text = text.replace("附件", "另见").replace("发布日期:2017-01-30", "发布日期:2017-04-30")
    text = text.replace("生成日期: 2017-01-30", "生成日期: 2017-04-30")
    report.write_text(text, "utf-8")
    result, doc = json_check("--baseline", "base.json")
    res = by_rule(doc)
    assert res["deadline.2007.mar31"]["status"] == "fail" and "baseline" not in res["deadline.2007.mar31"]
    assert result.exit_code == 1
    assert "quality.attachment_missing" in {f["rule"] for f in doc["fixed"]}
    out = invoke("check", "reports/2016.txt", "--baseline", "base.json").stdout
    assert "[已修复] reports/2016.txt: quality.attachment_missing" in out
    sarif = json.loads(invoke("check", "reports/2016.txt", "--baseline", "base.json", "--format", "sarif").stdout)
    states = {r["ruleId"]: r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states["deadline.2007.mar31"] == "new" and states["content.2007.application"] == "unchanged"


def test_baseline_paths_relative_to_the_file(repo, monkeypatch):
    (repo / "ci").mkdir()
    invoke("baseline", "create", "reports/2016.txt", "-o", "ci/base.json")
    base = json.loads((repo / "ci" / "base.json").read_text("utf-8"))
    assert {f["report"] for f in base["findings"]} == {"../reports/2016.txt"}
    monkeypatch.chdir(repo / "reports")
    result = invoke("check", "2016.txt", "--baseline", "../ci/base.json")
    assert result.exit_code == 0


def test_baseline_from_config_and_errors(repo):
    (repo / "gkcheck.yaml").write_text("baseline: .gkcheck-baseline.json\n", "utf-8")
    assert invoke("check", "reports/2016.txt").exit_code == 2  # configured but not created yet
    assert invoke("baseline", "create", "reports/2016.txt").exit_code == 0  # writes the configured file
    assert (repo / ".gkcheck-baseline.json").is_file()
    assert invoke("check", "reports/2016.txt").exit_code == 0
    (repo / "bad.json").write_text("{}", "utf-8")
    result = invoke("check", "reports/2016.txt", "--baseline", "bad.json")
    assert result.exit_code == 2 and "不是 gkcheck 基线文件" in result.stderr
    result = invoke("baseline", "create", "reports/2016.txt", "missing.txt", "-o", "x.json")
    assert result.exit_code == 2 and "missing.txt" in result.stderr and not (repo / "x.json").exists()


@pytest.mark.parametrize("version", ["true", "1.0", '"1"'])
def test_baseline_version_must_be_the_integer_1(repo, version):
    invoke("baseline", "create", "reports/2016.txt", "-o", "base.json")
    text = (repo / "base.json").read_text("utf-8").replace('"gkcheck_baseline": 1', f'"gkcheck_baseline": {version}')
    (repo / "base.json").write_text(text, "utf-8")
    result = invoke("check", "reports/2016.txt", "--baseline", "base.json")
    assert result.exit_code == 2 and "不是 gkcheck 基线文件" in result.stderr


def test_fingerprint_is_about_evidence():
    res = {"rule": "r", "message": "m", "evidence": [{"text": "落款日期  2017-02-24", "location": {"line": 3}}]}
    moved = {**res, "evidence": [{"text": "落款日期 2017-02-24", "location": {"line": 90}}]}
    assert fingerprint(res) == fingerprint(moved)
    assert fingerprint(res) != fingerprint({**res, "rule": "s"})
    assert fingerprint(res) != fingerprint({**res, "evidence": [{"text": "落款日期 2017-02-25"}]})
    assert fingerprint({"rule": "r", "message": "a", "evidence": []}) != fingerprint(
        {"rule": "r", "message": "b", "evidence": []})

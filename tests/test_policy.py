"""The verdict policy: what a report's verdict says and what the exit code says never disagree.

After waivers, the baseline and fail_on are applied, an entry's verdict is "fail" iff it has a
counted finding (not waived, not baselined, at or above fail_on; or a finding whose waiver has
expired), and the exit code is derived from those verdicts.
"""

import datetime
import itertools
import json
import re

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.policy import FAIL_ON, exit_code, exit_code_of_summary, settle, verdict

TODAY = {"GKCHECK_TODAY": "2025-06-30"}
VERDICT_TEXT = {"pass": "通过", "fail": "不通过", "error": "无法检查"}



def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env=TODAY, catch_exceptions=False)


def check(*args):
    """(exit code, JSON document, text output) of the same check."""
    as_json = invoke("check", "reports/2016.txt", "--format", "json", *args)
    as_text = invoke("check", "reports/2016.txt", *args)
    assert as_json.exit_code == as_text.exit_code
    return as_json.exit_code, json.loads(as_json.stdout), as_text.stdout


def printed_verdicts(text: str) -> list[str]:
    return re.findall(r"结论：(\S+?)（", text)


def assert_agree(code, doc, text):
    verdicts = [r["verdict"] for r in doc["reports"]]
    expected = 2 if "error" in verdicts else 1 if "fail" in verdicts else 0
    assert code == expected, (code, verdicts)
    assert printed_verdicts(text) == [VERDICT_TEXT[v] for v in verdicts if v != "error"]
    assert doc["summary"] == {"reports": len(verdicts), **{k: verdicts.count(k) for k in ("pass", "fail", "error")}}


def no_error_rule(repo):
    """Without content.2007.application the seed report fails only warnings and an info."""
    (repo / "gkcheck.yaml").write_text("disable:\n  - {rule: content.2007.application, reason: 测试}\n", "utf-8")


# -- the reviewer's cases -----------------------------------------------------------------------

def test_fail_on_info_prints_fail_and_exits_1(repo):
    no_error_rule(repo)
    code, doc, text = check("--fail-on", "info")
    assert code == 1 and doc["reports"][0]["verdict"] == "fail" and doc["fail_on"] == "info"
    assert "结论：不通过" in text and "提示及以上的问题计为不通过（fail_on: info）" in text
    assert_agree(code, doc, text)


def test_fail_on_warning(repo):
    no_error_rule(repo)
    code, doc, text = check("--fail-on", "warning")
    assert code == 1 and "结论：不通过" in text
    code, doc, text = check()
    assert code == 0 and doc["reports"][0]["verdict"] == "pass" and "结论：通过" in text
    assert_agree(code, doc, text)


def test_baselined_errors_print_pass_and_exit_0(repo):
    assert invoke("baseline", "create", "reports/2016.txt", "-o", "base.json").exit_code == 0
    code, doc, text = check("--baseline", "base.json")
    assert code == 0 and doc["reports"][0]["verdict"] == "pass" and doc["summary"]["pass"] == 1
    assert "结论：通过（通过 10，不通过 4：错误 1、警告 2、提示 1，其中基线中已有 4；不适用 3）" in text
    assert_agree(code, doc, text)


def test_fail_on_never_passes_every_readable_report(repo, tmp_path):
    code, doc, text = check("--fail-on", "never")
    assert code == 0 and doc["reports"][0]["verdict"] == "pass" and "结论：通过" in text
    assert "问题不使报告不通过（fail_on: never）" in text
    result = invoke("check", "reports/2016.txt", tmp_path / "missing.txt", "--format", "json", "--fail-on", "never")
    doc = json.loads(result.stdout)
    assert result.exit_code == 2 and [r["verdict"] for r in doc["reports"]] == ["pass", "error"]


def test_expired_waiver_below_fail_on_fails_the_report(repo):
    (repo / "w.yaml").write_text(
        "- {rule: content.2007.other, report: reports/*.txt, reason: r, approver: a, expires: 2025-01-01}\n"
        "- {rule: content.2007.application, report: reports/*.txt, reason: r, approver: a, expires: 2025-12-31}\n",
        "utf-8")
    code, doc, text = check("--waivers", "w.yaml")
    assert code == 1 and doc["reports"][0]["verdict"] == "fail" and "已豁免 1" in text
    assert_agree(code, doc, text)
    code, doc, text = check("--waivers", "w.yaml", "--fail-on", "never")
    assert code == 0 and doc["reports"][0]["verdict"] == "pass"


def test_default_output_unchanged(repo):
    code, doc, text = check()
    assert code == 1 and doc["reports"][0]["verdict"] == "fail" and doc["fail_on"] == "error"
    assert doc["summary"] == {"reports": 1, "pass": 0, "fail": 1, "error": 0}
    assert "   结论：不通过（通过 10，不通过 4：错误 1、警告 2、提示 1；不适用 3）\n" in text
    assert "fail_on" not in text and "基线" not in text and "豁免" not in text


@pytest.mark.parametrize("fail_on, waived, baselined",
                         list(itertools.product(FAIL_ON, (False, True), (False, True))))
def test_verdict_and_exit_code_agree_in_every_format(repo, fail_on, waived, baselined):
    args = ["--fail-on", fail_on]
    if waived:
        (repo / "w.yaml").write_text("- {rule: 'quality.*', report: reports/*.txt, reason: r, approver: a, "
                                     "expires: 2025-12-31}\n", "utf-8")
        args += ["--waivers", "w.yaml"]
    if baselined:
        invoke("baseline", "create", "reports/2016.txt", "-o", "base.json")
        args += ["--baseline", "base.json"]
    code, doc, text = check(*args)
    assert_agree(code, doc, text)
    counted = [r for r in doc["reports"][0]["results"] if r["status"] == "fail" and not r.get("baseline")
               and fail_on != "never" and {"info": 0, "warning": 1, "error": 2}[r["severity"]]
               >= {"info": 0, "warning": 1, "error": 2}[fail_on]]
    assert doc["reports"][0]["verdict"] == ("fail" if counted else "pass")
    sarif = json.loads(invoke("check", "reports/2016.txt", "--format", "sarif", *args).stdout)
    assert sarif["runs"][0]["properties"]["summary"] == doc["summary"]
    assert sarif["runs"][0]["properties"]["fail_on"] == fail_on
    junit = invoke("check", "reports/2016.txt", "--format", "junit", *args).stdout
    assert f'<property name="verdict" value="{doc["reports"][0]["verdict"]}" />' in junit


# -- the functions ------------------------------------------------------------------------------

def entry(*results, verdict="pass"):
    return {"verdict": verdict, "results": list(results)}


WARN = {"status": "fail", "severity": "warning"}
ERROR = {"status": "fail", "severity": "error"}


def test_verdict_function():
    assert verdict(entry(WARN, verdict="fail")) == "pass"  # the engine's verdict is not trusted
    assert verdict(entry(WARN), "warning") == "fail"
    assert verdict(entry(WARN), "info") == "fail"
    assert verdict(entry(ERROR), "never") == "pass"
    assert verdict(entry({**ERROR, "baseline": True})) == "pass"
    assert verdict(entry({**ERROR, "status": "waived"})) == "pass"
    assert verdict(entry({"status": "fail", "severity": "info", "waiver": {"expired": True}})) == "fail"
    assert verdict(entry(ERROR, verdict="error")) == "error"
    with pytest.raises(ValueError):
        verdict(entry(), "sometimes")


def test_settle_and_exit_code_share_the_verdict():
    doc = {"reports": [entry(WARN), entry({**ERROR, "baseline": True})]}
    for fail_on in FAIL_ON:
        settled = [settle(dict(e), fail_on)["verdict"] for e in doc["reports"]]
        assert exit_code(doc, fail_on) == (1 if "fail" in settled else 0)
    assert exit_code({**doc, "fail_on": "warning"}) == 1  # the document's own fail_on
    assert exit_code({**doc, "fail_on": "warning"}, "error") == 0


def test_exit_code_of_summary():
    assert exit_code_of_summary({"reports": 2, "pass": 2, "fail": 0, "error": 0}) == 0
    assert exit_code_of_summary({"reports": 2, "pass": 1, "fail": 1, "error": 0}) == 1
    assert exit_code_of_summary({"reports": 2, "pass": 0, "fail": 1, "error": 1}) == 2


def test_policy_extras_fixed_once_in_baseline_order_and_no_unused_waivers_when_incomplete():
    from gkcheck.policy import Policy
    from gkcheck.policy.waivers import Waiver

    findings = [{"report": r, "rule": "x", "fingerprint": r} for r in ("a", "b", "c")]
    waivers = [Waiver({"rule": "x", "report": "a", "expires": "2099-01-01"}, "w.yaml 第1行", ".")]
    policy = Policy(baseline={"findings": findings}, waivers=waivers, today=datetime.date(2025, 6, 30))
    marks = [{"fixed": [findings[2]]}, {"fixed": [findings[0], findings[2]]}]  # c twice: a report named twice
    extras = policy.extras(marks)
    assert [f["report"] for f in extras["fixed"]] == ["a", "c"]
    assert [w["rule"] for w in extras["unused_waivers"]] == ["x"]
    assert "unused_waivers" not in policy.extras(marks, complete=False)

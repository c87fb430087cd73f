"""CI output formats (SARIF, JUnit, GitHub annotations), the exit policy, and the rule-author docs."""

import json
import re
import shutil
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.output import FORMATS
from gkcheck.output.github import command, escape_data, escape_property
from gkcheck.policy import exit_code
from tests.conftest import FIXTURES, ROOT, SEED

SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
PACK = FIXTURES / "example-pack"


@pytest.fixture(autouse=True)
def _no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no gkcheck.yaml from the developer's tree


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def sarif_of(*args):
    result = invoke("check", *args, "--format", "sarif")
    doc = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(doc)
    return result, doc


def test_formats_registered_and_offered():
    for name in ("sarif", "junit", "github"):
        assert name in FORMATS
    help_text = invoke("check", "--help").stdout
    for name in FORMATS:
        assert name in help_text


def test_sarif_valid_with_rules_and_locations():
    result, doc = sarif_of(SEED)
    assert result.exit_code == 1 and doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    fees = rules["content.2007.fees"]
    assert "第三十二条" in fees["help"]["text"] and "第三十二条" in fees["properties"]["basis"]
    assert fees["defaultConfiguration"]["level"] == "error"
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"quality.signed_after_published", "quality.attachment_missing",
                            "content.2007.application", "content.2007.other"}
    app = results["content.2007.application"]
    assert app["level"] == "error" and results["content.2007.other"]["level"] == "note"
    assert results["quality.attachment_missing"]["level"] == "warning"
    assert run["tool"]["driver"]["rules"][app["ruleIndex"]]["id"] == app["ruleId"]
    loc = app["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("fixtures/reports/000_e4dc1900c1ebf750.txt")
    assert loc["physicalLocation"]["region"]["startLine"] == 46  # the 依申请公开 figures; line 44 is procedure
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == str(SEED)
    assert "第三十二条" in app["message"]["text"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_every_result_has_a_start_line_and_fingerprints_ignore_line_shifts(tmp_path):
    """GitHub code scanning needs region.startLine on every result; a finding with no line (a
    missing statement) is shown at line 1 and says so; partialFingerprints survive moved lines."""
    _, doc = sarif_of(SEED)
    results = doc["runs"][0]["results"]
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    other = next(r for r in results if r["ruleId"] == "content.2007.other")
    assert other["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert "报告中没有对应的位置（如缺少的章节或说明），标注在第1行" in other["message"]["text"]
    shifted = tmp_path / SEED.name
    shifted.write_text("\n\n\n" + SEED.read_text("utf-8"), "utf-8")
    _, moved = sarif_of(shifted)

    def prints(d):
        return sorted((r["ruleId"], r["partialFingerprints"]["gkcheckEvidence/v1"]) for r in d["runs"][0]["results"])

    def lines(d):
        return {r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in d["runs"][0]["results"]}

    assert prints(doc) == prints(moved) and len(set(prints(doc))) == len(results)
    assert lines(moved)["content.2007.application"] == lines(doc)["content.2007.application"] + 3


def test_sarif_unreadable_report_is_a_notification(tmp_path):
    result, doc = sarif_of(tmp_path / "missing.txt", SEED)
    assert result.exit_code == 2
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "missing.txt" in inv["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_non_ascii_path_is_a_uri(tmp_path):
    report = tmp_path / "年报 2016.txt"
    shutil.copy(SEED, report)
    _, doc = sarif_of(report)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and " " not in uri and "%E5%B9%B4" in uri


def test_junit_suites_and_cases(tmp_path):
    result = invoke("check", SEED, tmp_path / "missing.txt", "--format", "junit")
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(SEED), str(tmp_path / "missing.txt")]
    good, bad = suites
    cases = good.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert int(good.get("tests")) == len(cases) == 17 and int(good.get("failures")) == len(failures) == 4
    app = next(c for c in cases if c.get("name").startswith("content.2007.application"))
    failure = app.find("failure")
    assert failure.get("type") == "error" and "不予公开" in failure.get("message") and "第三十二条" in failure.text
    assert bad.get("errors") == "1" and "不存在" in bad.find("testcase/error").get("message")
    assert root.get("tests") == "18" and root.get("failures") == "4" and root.get("errors") == "1"


def test_junit_not_applicable_is_skipped(tmp_path):
    text = SEED.read_text("utf-8").replace("发布日期:2017-01-30 19:27", "").replace("生成日期: 2017-01-30", "")
    report = tmp_path / "nodate.txt"
    report.write_text(text, "utf-8")
    root = ET.fromstring(invoke("check", report, "--format", "junit").stdout)
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("deadline.2007.mar31"))
    assert "--published" in case.find("skipped").get("message")


def test_github_annotations():
    result = invoke("check", SEED, "--format", "github")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and len(lines) == 4
    app = next(line for line in lines if "content.2007.application" in line)
    assert app.startswith(f"::error file={SEED},line=46,title=content.2007.application ")
    assert any(line.startswith("::warning file=") for line in lines)
    assert any(line.startswith("::notice file=") and "content.2007.other" in line for line in lines)
    assert all("\n" not in line.split("::", 2)[2] for line in lines)


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert command("warning", "x:y, z", file="a,b.txt", line="3", title="t: 1") == \
        "::warning file=a%2Cb.txt,line=3,title=t%3A 1::x:y, z"


def test_fail_on_levels(tmp_path):
    assert invoke("check", SEED).exit_code == 1
    assert invoke("check", SEED, "--fail-on", "never").exit_code == 0
    assert invoke("check", tmp_path / "missing.txt", "--fail-on", "never").exit_code == 2
    assert invoke("check", SEED, "--fail-on", "bogus").exit_code == 2
    # without the error-level finding, warnings fail only with --fail-on warning
    cfg = tmp_path / "gkcheck.yaml"
    cfg.write_text("disable:\n  - {rule: content.2007.application, reason: 测试}\n", "utf-8")
    assert invoke("check", SEED).exit_code == 0
    assert invoke("check", SEED, "--fail-on", "warning").exit_code == 1


def _doc(*results, verdict="fail"):
    return {"reports": [{"verdict": verdict, "results": list(results)}]}


def test_exit_code_function():
    warn = {"status": "fail", "severity": "warning"}
    assert exit_code(_doc(warn)) == 0
    assert exit_code(_doc(warn), "warning") == 1
    assert exit_code(_doc(warn), "never") == 0
    assert exit_code(_doc({**warn, "severity": "error", "baseline": True})) == 0
    assert exit_code(_doc({"status": "waived", "severity": "error"})) == 0
    assert exit_code(_doc({"status": "fail", "severity": "info", "waiver": {"expired": True}})) == 1
    assert exit_code(_doc(verdict="error"), "never") == 2
    with pytest.raises(ValueError):
        exit_code(_doc(), "sometimes")


# -- line numbers: a line of the file, or a line of the extracted text ------------------------------

def _html_report(tmp_path):
    """The seed report as an HTML page: its findings' lines are lines of the extracted text."""
    import html

    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in SEED.read_text("utf-8").splitlines())
    page = tmp_path / "seed.html"
    page.write_text(f"<!DOCTYPE html>\n<html>\n<head><meta charset='utf-8'><title>年报</title></head>\n<body>\n{body}"
                    "</body>\n</html>\n", "utf-8")
    doc = json.loads(invoke("check", page, "--format", "json").stdout)
    assert doc["reports"][0]["report"]["form"] == "html"
    app = next(r for r in doc["reports"][0]["results"] if r["rule"] == "content.2007.application")
    return page, app["location"]["line"]


def test_html_lines_are_not_file_lines_in_sarif(tmp_path):
    page, line = _html_report(tmp_path)
    _, doc = sarif_of(page)
    app = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "content.2007.application")
    physical = app["locations"][0]["physicalLocation"]
    assert physical["region"] == {"startLine": 1} and physical["artifactLocation"]["uri"].endswith("seed.html")
    assert f"位置：抽取文本第{line}行" in app["message"]["text"] and "（标注在文件第1行）" in app["message"]["text"]
    assert app["properties"]["form"] == "html" and app["properties"]["location"]["line"] == line
    assert all(r["locations"][0]["physicalLocation"]["region"] == {"startLine": 1} for r in doc["runs"][0]["results"])


def test_html_lines_are_not_file_lines_in_github_text_junit(tmp_path):
    page, line = _html_report(tmp_path)
    github = invoke("check", page, "--format", "github").stdout.splitlines()
    app = next(x for x in github if "content.2007.application" in x)
    assert ",line=" not in app and f"%0A位置：抽取文本第{line}行" in app
    assert not any(",line=" in x for x in github)
    text = invoke("check", page).stdout
    assert f"位置：抽取文本第{line}行" in text and not re.search(r"(?<!抽取文本)第\d+行", text)
    junit = ET.fromstring(invoke("check", page, "--format", "junit").stdout)
    case = next(c for c in junit.iter("testcase") if c.get("name").startswith("content.2007.application"))
    assert case.get("line") is None and f"抽取文本第{line}行" in case.find("failure").text


def test_text_report_lines_stay_file_lines():
    text = invoke("check", SEED).stdout
    assert "位置：第46行，" in text and "抽取文本" not in text
    junit = ET.fromstring(invoke("check", SEED, "--format", "junit").stdout)
    case = next(c for c in junit.iter("testcase") if c.get("name").startswith("content.2007.application"))
    assert case.get("line") == "46"


def test_pdf_locations_name_the_page_and_table():
    pdf = FIXTURES / "reports" / "hongze-district-gov-2023.pdf"
    text = invoke("check", pdf).stdout
    assert "位置：第4页，表格3第4行第5列" in text
    _, doc = sarif_of(pdf)
    res = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "t3.block_total")
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert "位置：第4页，表格3第4行第5列" in res["message"]["text"]
    assert res["properties"]["location"] == {"table": 3, "page": 4, "row": 4, "column": 5}
    assert not any(",line=" in x for x in invoke("check", pdf, "--format", "github").stdout.splitlines())


def _synthetic(form, location, evidence_text="证据"):
    res = {"rule": "r.one", "title": "标题", "severity": "error", "status": "fail", "basis": "依据", "message": "说明",
           "evidence": [{"text": evidence_text, "location": location}], "location": location}
    entry = {"source": f"report.{form}", "verdict": "fail", "error": None,
             "report": {"agency": {"name": "某厅"}, "year": 2020, "form": form}, "packs": [], "results": [res]}
    return {"tool": {"name": "gkcheck", "version": "0"}, "reports": [entry],
            "summary": {"reports": 1, "pass": 0, "fail": 1, "error": 0}}


@pytest.mark.parametrize("form, shown", [("pdf", "第3页，抽取文本第120行"), ("docx", "抽取文本第120行"),
                                         ("html", "抽取文本第120行"), ("text", "第3页，第120行"),
                                         ("yaml", "第3页，第120行"), ("json", "第3页，第120行")])
def test_line_shown_by_form(form, shown):
    from gkcheck.output import render

    loc = {"line": 120} if form in ("docx", "html") else {"page": 3, "line": 120}
    doc = _synthetic(form, loc)
    assert f"位置：{shown}" in render("text", doc)
    region = json.loads(render("sarif", doc))["runs"][0]["results"][0]["locations"][0]["physicalLocation"].get("region")
    github = render("github", doc)
    junit = ET.fromstring(render("junit", doc)).find("testsuite/testcase")
    if form in ("text", "yaml", "json"):
        assert region == {"startLine": 120} and ",line=120," in github and junit.get("line") == "120"
    else:
        assert region == {"startLine": 1} and ",line=" not in github and junit.get("line") is None
        assert shown in github


# -- JUnit: controls shown as escapes, only characters XML 1.0 allows -------------------------------

def test_junit_shows_control_characters_of_report_text_as_escapes(tmp_path):
    report = tmp_path / "ff.txt"
    report.write_text(SEED.read_text("utf-8").replace("通过全厅各处室的共同努力", "通过全厅\x0c各处室的\x0b共同努力"), "utf-8")
    doc = json.loads(invoke("check", report, "--format", "json").stdout)  # JSON escapes them: \f, \u000b
    app = next(r for r in doc["reports"][0]["results"] if r["rule"] == "content.2007.application")
    assert "\x0c" in app["evidence"][0]["text"] and "\x0b" in app["evidence"][0]["text"]
    out = invoke("check", report, "--format", "junit").stdout
    assert "\x0c" not in out and "\x0b" not in out
    root = ET.fromstring(out.encode("utf-8"))
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("content.2007.application"))
    assert "通过全厅\\x0c各处室的\\x0b共同努力" in case.find("failure").text  # shown, as in the text format
    sarif = invoke("check", report, "--format", "sarif").stdout
    json.loads(sarif)


def test_junit_strips_illegal_characters_everywhere():
    from gkcheck.output import render

    bad = "a\x00b\x0cc\x0bd\x1fe\ufffff"
    doc = _synthetic("pdf", {"page": 1}, evidence_text=bad)
    res = doc["reports"][0]["results"][0]
    res.update(message=bad, title=bad, basis=bad)
    doc["reports"][0]["source"] = f"x{bad}.pdf"
    doc["reports"].append({"source": f"y{bad}.pdf", "verdict": "error", "error": bad, "report": None, "packs": [],
                           "results": []})
    out = render("junit", doc)
    root = ET.fromstring(out)
    shown = "a\\x00b\\x0cc\\x0bd\\x1fef"  # controls as visible escapes; U+FFFF (not XML) dropped
    assert shown in root.find("testsuite/testcase/failure").get("message")
    assert root.findall("testsuite")[1].find("testcase/error").get("message") == shown


# -- rule authors: the example provincial pack and its documentation --------------------------------

def test_example_pack_cases_pass():
    result = invoke("rules", "test", PACK)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip().endswith("5 passed, 0 failed")


def test_rules_test_names_rule_and_case(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    case = pack / "cases" / "zj.example.deadline.yaml"
    case.write_text(case.read_text("utf-8").replace("expect: pass", "expect: fail", 1), "utf-8")
    result = invoke("rules", "test", pack)
    assert result.exit_code == 1
    assert "zj.example.deadline" in result.stdout and "「3月31日前公布」" in result.stdout
    assert "4 passed, 1 failed" in result.stdout


def test_rules_test_on_a_rule_directory_without_cases_says_where_cases_go(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(PACK / "zhejiang.yaml", pack)
    result = invoke("rules", "test", pack)
    assert result.exit_code == 2 and "没有 cases/ 子目录" in result.stderr and f"{pack / 'cases'}/*.yaml" in result.stderr
    result = invoke("rules", "test", pack / "zhejiang.yaml")
    assert result.exit_code == 2 and "这是规则文件，不是用例文件" in result.stderr


def test_example_pack_rules_are_unconfirmed_and_mild():
    data = yaml.safe_load((PACK / "zhejiang.yaml").read_text("utf-8"))
    for rule in data["rules"]:
        assert rule["basis"]["instrument"] == "《浙江省政府信息公开暂行办法》"
        assert rule["basis"]["confirmed"] is False and "article" not in rule["basis"]
        assert rule["severity"] in ("warning", "info")


def _blocks(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", markdown, re.S)


def test_provincial_pack_doc_shows_the_example_files():
    doc = (ROOT / "docs" / "provincial-pack.md").read_text("utf-8")
    blocks = _blocks(doc, "yaml")
    for path in [PACK / "zhejiang.yaml", *sorted((PACK / "cases").glob("*.yaml"))]:
        assert path.read_text("utf-8") in blocks, f"{path.name} in docs/provincial-pack.md differs from the fixture"
    assert "gkcheck rules test fixtures/example-pack" in doc
    assert "gkcheck rules doc --rules fixtures/example-pack --no-builtin" in doc


def test_rules_doc_for_a_pack_only():
    result = invoke("rules", "doc", "--rules", PACK, "--no-builtin")
    assert result.exit_code == 0
    assert "zj.example.deadline" in result.stdout and "deadline.2007.mar31`" not in result.stdout
    assert "依据待核实" in result.stdout


def test_ci_doc_recipes():
    doc = (ROOT / "docs" / "ci.md").read_text("utf-8")
    workflows = [yaml.safe_load(b) for b in _blocks(doc, "yaml")]
    github = next(w for w in workflows if isinstance(w, dict) and "jobs" in w)
    steps = [s for job in github["jobs"].values() for s in job["steps"]]
    assert any("--format sarif" in s.get("run", "") for s in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()" or "always()" in upload["if"]
    gitlab = next(w for w in workflows if isinstance(w, dict) and any(
        isinstance(v, dict) and "script" in v for v in w.values()))
    job = next(v for v in gitlab.values() if isinstance(v, dict) and "script" in v)
    assert any("--format junit" in line for line in job["script"])
    assert "junit" in job["artifacts"]["reports"]

"""Configuration: discovery, precedence, sources, validation errors, disabled and re-levelled rules."""

import json
import re
from importlib import resources

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.policy.config import config_schema, find_config
from tests.conftest import FIXTURES, ROOT, SEED


@pytest.fixture(autouse=True)
def _cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def results(*args):
    result = invoke("check", SEED, "--format", "json", *args)
    return result, json.loads(result.stdout)["reports"][0]


def test_schema_is_package_data():
    text = resources.files("gkcheck.policy").joinpath("config_schema.json").read_text("utf-8")
    assert json.loads(text) == config_schema()
    jsonschema.Draft202012Validator.check_schema(config_schema())


def test_found_in_parent_directory(tmp_path, monkeypatch):
    (tmp_path / "gkcheck.yaml").write_text("fail_on: never\n", "utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_config(sub) == tmp_path / "gkcheck.yaml"
    assert invoke("check", SEED).exit_code == 0
    out = invoke("config").stdout
    assert re.search(r"fail_on\s+never\s+← .*gkcheck\.yaml: fail_on", out)


def test_pyproject_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.gkcheck]\nfail_on = "never"\n'
                                             'format = "json"\n', "utf-8")
    result = invoke("check", SEED)
    doc = json.loads(result.stdout)
    # fail_on: never from the table: nothing fails, and the verdict says so too
    assert result.exit_code == 0 and doc["fail_on"] == "never" and doc["summary"]["pass"] == 1
    out = invoke("config").stdout
    assert "pyproject.toml: format" in out and "pyproject.toml: fail_on" in out


def test_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    assert find_config(tmp_path) is None or find_config(tmp_path).name != "pyproject.toml"


def test_command_line_overrides_file_and_sources(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text("fail_on: never\nformat: json\n", "utf-8")
    assert invoke("check", SEED, "--fail-on", "error").exit_code == 1
    out = invoke("config", "--fail-on", "warning").stdout
    assert re.search(r"fail_on\s+warning\s+← 命令行", out)
    assert re.search(r"format\s+json\s+← gkcheck\.yaml: format", out)
    assert re.search(r"baseline\s+（无）\s+← 默认", out)
    data = json.loads(invoke("config", "--json", "--province", "江苏").stdout)
    assert data["values"]["province"] == "江苏" and data["sources"]["province"] == "命令行"
    assert data["file"] == "gkcheck.yaml" and data["sources"]["format"] == "gkcheck.yaml: format"


def test_explicit_config_option(tmp_path):
    other = tmp_path / "ci" / "strict.yaml"
    other.parent.mkdir()
    other.write_text("fail_on: warning\n", "utf-8")
    (tmp_path / "gkcheck.yaml").write_text("fail_on: never\n", "utf-8")
    assert invoke("check", SEED, "--config", other).exit_code == 1
    assert invoke("check", SEED, "--config", tmp_path / "none.yaml").exit_code == 2


BAD_CONFIGS = {
    "unknown key": ("fail_on: error\nfailon: warning\n", "键 failon, 第2行", "failon"),
    "bad date": ("waivers:\n  - {rule: x, report: a.txt, reason: r, approver: a, expires: 2030-02-30}\n",
                 "键 waivers[0].expires, 第2行", "2030-02-30"),
    "bad level": ("format: text\nfail_on: fatal\n", "键 fail_on, 第2行", "fatal"),
    "disable without reason": ("disable:\n  - rule: content.2007.fees\n", "键 disable[0], 第2行", "reason"),
    "bad severity": ("severity:\n  content.2007.fees: critical\n", "键 severity.content.2007.fees, 第2行",
                     "critical"),
    "waiver without approver": ("waivers:\n  - {rule: x, report: a.txt, reason: r, expires: 2030-01-01}\n",
                                "键 waivers", "approver"),
    "yaml syntax": ("fail_on: [error\n", "第2行", "YAML 格式错误"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_invalid_config_names_file_key_line(tmp_path, name):
    text, where, what = BAD_CONFIGS[name]
    (tmp_path / "gkcheck.yaml").write_text(text, "utf-8")
    result = invoke("check", SEED)
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and err.startswith("gkcheck: 错误: gkcheck.yaml: ")
    assert where in err and what in err, err


CHINESE_MESSAGES = {
    "type": ("rules_dirs: 5\n", "键 rules_dirs, 第1行", "类型不对：应为列表，实际是整数 5", "5 is not of type 'array'"),
    "enum": ("fail_on: fatal\n", "键 fail_on", '取值 "fatal" 不允许，应为 "error"、"warning"、"info"、"never" 之一',
             "is not one of"),
    "required": ("disable:\n  - rule: content.2007.fees\n", "键 disable[0]", "缺少必填的键 reason",
                 "'reason' is a required property"),
    "additionalProperties": ("failon: warning\n", "键 failon", "不认识的键 failon，可用的键：profile、",
                             "Additional properties are not allowed"),
    "pattern": ("waivers:\n  - {rule: x, report: a.txt, reason: r, approver: a, expires: 2030-1-1}\n",
                "键 waivers[0].expires", '"2030-1-1" 不是 YYYY-MM-DD 格式的日期', "does not match"),
    "minimum": ("waivers:\n  - {rule: x, agency: 某厅, year: 1999, reason: r, approver: a, expires: 2030-01-01}\n",
                "键 waivers[0].year", "数值 1999 太小，应不小于 2000", "less than the minimum of 2000"),
    "anyOf types": ("profile: 5\n", "键 profile", "5 不符合任何一种允许的写法：应为字符串，或列表",
                    "is not valid under any of the given schemas"),
    "anyOf required": ("waivers:\n  - {rule: x, reason: r, approver: a, expires: 2030-01-01}\n", "键 waivers[0]",
                       "缺少 report 或 agency，至少要写一个", "is not valid under any of the given schemas"),
}


@pytest.mark.parametrize("name", sorted(CHINESE_MESSAGES))
def test_schema_errors_in_chinese_with_english_detail(tmp_path, name):
    text, where, chinese, english = CHINESE_MESSAGES[name]
    (tmp_path / "gkcheck.yaml").write_text(text, "utf-8")
    result = invoke("check", SEED)
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert where in err and chinese in err, err
    message = err.split("配置不符合要求: ", 1)[1]
    assert message.startswith(chinese.split("，")[0])  # Chinese first …
    rest = message[message.index(chinese) + len(chinese):]
    assert english in rest and message.endswith("）")  # … English in parentheses


def test_waiver_file_errors_in_chinese(tmp_path):
    (tmp_path / "w.yaml").write_text("- {rule: x, report: a, reason: r, approver: a, expires: 2025-01-01, year: '2016'}\n",
                                     "utf-8")
    result = invoke("check", SEED, "--waivers", "w.yaml")
    assert result.exit_code == 2 and '类型不对：应为整数，实际是字符串 "2016"' in result.stderr


def test_invalid_pyproject_names_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.gkcheck]\nformat = "text"\n'
                                             'fail_on = "fatal"\n', "utf-8")
    result = invoke("config")
    assert result.exit_code == 2 and "pyproject.toml" in result.stderr and "键 fail_on, 第6行" in result.stderr


def test_unknown_format_in_file(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text("format: pdf\n", "utf-8")
    result = invoke("check", SEED)
    assert result.exit_code == 2 and "gkcheck.yaml: format" in result.stderr and "pdf" in result.stderr


def test_unknown_rule_is_an_error(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text("fail_on: error\ndisable:\n  - {rule: no.such, reason: r}\n", "utf-8")
    result = invoke("check", SEED)
    assert result.exit_code == 2 and "no.such" in result.stderr and "键 disable[0].rule, 第3行" in result.stderr


def test_disabled_rule_does_not_run(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text(
        "disable:\n  - rule: content.2007.application\n    reason: 另行说明\n", "utf-8")
    result, rep = results()
    assert result.exit_code == 0 and rep["verdict"] == "pass"
    assert "content.2007.application" not in {r["rule"] for r in rep["results"]}
    assert rep["disabled"] == [{"rule": "content.2007.application", "reason": "另行说明"}]
    assert {r["status"] for r in rep["results"]} <= {"pass", "fail", "not_applicable"}


def test_disabled_rule_of_another_pack_not_listed(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text("disable:\n  - {rule: content.2007.fees, reason: r}\n", "utf-8")
    _, rep = results("--profile", "quality")
    assert rep["disabled"] == []


def test_relevelled_rule(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text(
        "severity:\n  content.2007.application: {level: warning, reason: 本年度整改中}\n"
        "  content.2007.other: error\n", "utf-8")
    result, rep = results()
    res = {r["rule"]: r for r in rep["results"]}
    app = res["content.2007.application"]
    assert app["severity"] == "warning"
    assert app["severity_override"] == {"from": "error", "to": "warning", "reason": "本年度整改中"}
    other = res["content.2007.other"]
    assert other["severity"] == "error" and other["severity_override"]["from"] == "info"
    assert "gkcheck.yaml" in other["severity_override"]["reason"]
    assert result.exit_code == 1 and rep["verdict"] == "fail"  # now content.2007.other fails as an error
    assert "severity_override" not in res["content.2007.fees"]


def test_unconfirmed_rule_cannot_become_error(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text(
        f"rules_dirs: [{FIXTURES / 'example-pack'}]\nseverity:\n  zj.example.platform: error\n", "utf-8")
    result = invoke("check", SEED)
    assert result.exit_code == 2 and "依据未经核实" in result.stderr and "第3行" in result.stderr


def test_paths_relative_to_config_file(tmp_path, monkeypatch):
    pack = tmp_path / "packs" / "zj"
    pack.parent.mkdir()
    import shutil

    shutil.copytree(FIXTURES / "example-pack", pack)
    (tmp_path / "gkcheck.yaml").write_text("rules_dirs: [packs/zj]\n", "utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    _, rep = results()
    assert "zj.example.deadline" in {r["rule"] for r in rep["results"]}
    assert invoke("check", SEED, "--rules", sub / "nowhere").exit_code == 2  # the command line replaces it


def test_overrides_from_config(tmp_path):
    (tmp_path / "gkcheck.yaml").write_text("agency_level: county\nprofile: tiaoli-2007\n", "utf-8")
    _, rep = results()
    assert rep["report"]["agency"]["level"] == "county" and [p["id"] for p in rep["packs"]] == ["tiaoli-2007"]


def test_documented_example_is_valid():
    doc = (ROOT / "docs" / "ci.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b.startswith("# gkcheck.yaml"))
    data = yaml.safe_load(block)
    jsonschema.Draft202012Validator(config_schema()).validate(data)
    from gkcheck.ruleset import load_ruleset

    ruleset = load_ruleset()
    for rule in [d["rule"] for d in data["disable"]] + list(data["severity"]):
        assert ruleset.get(rule) is not None, rule

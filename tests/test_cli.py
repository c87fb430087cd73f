"""The command line through click's runner: formats, exit codes, and bad input without tracebacks."""

import json
import os
import shutil
import subprocess

import pytest
import yaml
from click.testing import CliRunner

from gkcheck.cli import cli
from tests.conftest import SEED


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output, result.stderr if hasattr(result, "stderr") else ""


def test_check_seed_text():
    code, out, _ = run("check", SEED)
    assert code == 1
    assert "content.2007.application" in out and "浙江省商务厅" in out and "不通过" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_check_json_contract():
    code, out, _ = run("check", SEED, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["tool"]["name"] == "gkcheck"
    assert doc["summary"] == {"reports": 1, "pass": 0, "fail": 1, "error": 0}
    rep = doc["reports"][0]
    assert rep["source"] == str(SEED) and rep["verdict"] == "fail" and rep["error"] is None
    assert rep["report"]["published"] == "2017-01-30" and rep["report"]["year"] == 2016
    for res in rep["results"]:
        assert set(res) >= {"rule", "title", "severity", "status", "basis", "message", "evidence", "location"}
        assert res["status"] in ("pass", "fail", "not_applicable")


def test_extract_then_check_yaml(tmp_path):
    out = tmp_path / "report.yaml"
    code, _, _ = run("extract", SEED, "-o", out)
    assert code == 0
    data = yaml.safe_load(out.read_text("utf-8"))
    assert data["agency"]["name"] == "浙江省商务厅" and data["year"] == 2016
    code, text, _ = run("check", out, "--format", "json")
    assert code == 1
    results = {r["rule"]: r["status"] for r in json.loads(text)["reports"][0]["results"]}
    assert results["content.2007.application"] == "fail" and results["deadline.2007.mar31"] == "pass"


def test_extract_json_by_extension_and_no_overwrite(tmp_path):
    out = tmp_path / "report.json"
    assert run("extract", SEED, "-o", out)[0] == 0
    assert json.loads(out.read_text("utf-8"))["year"] == 2016
    before = out.read_bytes()
    code, output, _ = run("extract", SEED, "-o", out)
    assert code == 2 and "已存在" in output
    assert out.read_bytes() == before
    assert run("extract", SEED, "-o", out, "--force")[0] == 0


def test_published_option_makes_deadline_applicable(tmp_path):
    text = SEED.read_text("utf-8").replace("发布日期:2017-01-30 19:27", "").replace("生成日期: 2017-01-30", "")
    path = tmp_path / "nodate.txt"
    path.write_text(text, "utf-8")
    _, out, _ = run("check", path, "--format", "json")
    res = {r["rule"]: r for r in json.loads(out)["reports"][0]["results"]}
    assert res["deadline.2007.mar31"]["status"] == "not_applicable"
    assert "--published" in res["deadline.2007.mar31"]["reason"]
    _, out, _ = run("check", path, "--format", "json", "--published", "2017-04-02")
    res = {r["rule"]: r for r in json.loads(out)["reports"][0]["results"]}
    assert res["deadline.2007.mar31"]["status"] == "fail"


def test_rules_list_show_and_schema():
    code, out, _ = run("rules", "list")
    assert code == 0 and "deadline.2007.mar31" in out
    code, out, _ = run("rules", "show", "content.2007.fees")
    assert code == 0 and "第三十二条" in out
    code, out, _ = run("rules", "show", "no.such.rule")
    assert code == 2
    code, out, _ = run("schema", "report")
    assert code == 0 and json.loads(out)["required"] == ["year", "agency"]


def test_version():
    from gkcheck import __version__

    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_usage_error_exit_2():
    assert run("check")[0] == 2
    assert run("check", SEED, "--format", "xml")[0] == 2
    assert run("check", SEED, "--published", "2017/13/01")[0] == 2


BAD_INPUTS = {
    "missing": (None, "不存在"),
    "empty.txt": (b"", "为空"),
    "binary.txt": (bytes(range(256)) * 8, "二进制"),
    "list.yaml": ("- a\n- b\n".encode(), "不是结构化年度报告"),
    "noyear.yaml": ("agency: {name: 某厅}\ntitle: x\n".encode(), "year"),
    "types.yaml": ("year: 2016\nagency:\n  name: 某厅\n  kind: ministry\n".encode(), "$.agency.kind (第4行)"),
    "broken.yaml": ("year: [2016\n".encode(), "YAML 格式错误"),
    "broken.json": (b'{"year": 2016,', "JSON 格式错误"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".doc"),
    "baddate.yaml": ("year: 2016\nagency: {name: 某厅}\npublished: 2019-02-30\n".encode(), "$.published (第3行)"),
    "nan.yaml": ("year: 2016\nagency: {name: 某厅}\ntables: {T2: {cells: [{row: received, col: total, kind: number, "
                 "value: .nan}]}}\n".encode(), "数值 nan 无效"),
    "nan.json": (b'{"year": 2016, "agency": {"name": "x"}, "tables": {"T2": {"cells": [{"row": "received", '
                 b'"col": "total", "kind": "number", "value": NaN}]}}}', "$.tables.T2.cells[0].value: 不符合报告结构: 数值 nan 无效"),
    "overflow.json": (b'{"year": 2016, "agency": {"name": "x"}, "tables": {"T2": {"cells": [{"row": "received", '
                      b'"col": "total", "kind": "number", "value": 1e999}]}}}', "数值 inf 无效"),
    "surrogate.json": (b'{"year": 2016, "agency": {"name": "\\u67d0\\u5385\\ud800"}}', "$.agency.name: 不符合报告结构: 文字"),
    "overflow.yaml": ("year: 2016\nagency: {name: 某厅}\ntables: {T2: {cells: [{row: received, col: total, "
                      "kind: number, value: !!float 1e400}]}}\n".encode(), "数值 inf 无效"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exit_2_one_line(tmp_path, name):
    content, expected = BAD_INPUTS[name]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(cli, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("gkcheck: 错误")]
    assert len(errors) == 1 and str(path) in errors[0] and expected in errors[0], result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_internal_fault_in_one_report_does_not_stop_others(monkeypatch):
    """A bug in a check on one report becomes that report's error entry, not a crash of the run."""
    import gkcheck.api

    real = gkcheck.api.read_digest

    def flaky(path, overrides=None):
        if "flaky" in path:
            raise ZeroDivisionError("boom")
        return real(path, overrides)

    monkeypatch.setattr(gkcheck.api, "read_digest", flaky)
    result = CliRunner().invoke(cli, ["check", "flaky.txt", str(SEED), "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [r["verdict"] for r in doc["reports"]] == ["error", "fail"]
    assert "ZeroDivisionError" in doc["reports"][0]["error"] and "Traceback" not in result.output


def test_batch_error_does_not_stop_others(tmp_path):
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["check", str(missing), str(SEED), "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [r["verdict"] for r in doc["reports"]] == ["error", "fail"]


RULE_ERRORS = {
    "unknown kind": ("check: {kind: magic}", "未知的检查类型 'magic'"),
    "unsafe expression": ("check: {kind: expression, expr: \"1 + year.__class__\"}", "column 5: attribute access"),
    "unknown name": ("check: {kind: expression, expr: \"secret > 1\"}", "unknown name 'secret'"),
    "bad regex": ("check: {kind: presence, sections: ['(']}", "正则表达式错误"),
    "bad param": ("check: {kind: deadline, month: 13, day: 1}", "check.month"),
    "years reversed": ("applies: {years: {from: 2030, to: 2001}}\n    check: {kind: attachments}", "年度范围颠倒"),
    "bad condition": ("check: {kind: conditional, when: \"x.y > 1\", then: {kind: presence, topics: [a]}}",
                      "字段 check.when"),
}


@pytest.mark.parametrize("name", sorted(RULE_ERRORS))
def test_bad_rule_file(tmp_path, name):
    check, expected = RULE_ERRORS[name]
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "pack.yaml").write_text(
        "pack: {id: my, title: 测试}\nrules:\n  - id: my.rule\n    title: 测试\n    severity: info\n"
        "    basis: {instrument: 测试, confirmed: true}\n    message: {zh: 测试}\n    " + check + "\n", "utf-8")
    result = CliRunner().invoke(cli, ["check", str(SEED), "--rules", str(rules)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "pack.yaml" in result.stderr and "规则 my.rule" in result.stderr and expected in result.stderr
    assert "第8行" in result.stderr or "第9行" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unconfirmed_basis_cannot_be_error(tmp_path):
    rules = tmp_path / "r"
    rules.mkdir()
    (rules / "p.yaml").write_text(
        "pack: {id: p, title: t}\nrules:\n  - id: p.r\n    title: t\n    severity: error\n"
        "    basis: {instrument: 某办法, confirmed: false}\n    message: {zh: m}\n    check: {kind: attachments}\n", "utf-8")
    result = CliRunner().invoke(cli, ["rules", "list", "--rules", str(rules)])
    assert result.exit_code == 2 and "confirmed" in result.stderr and "字段 severity" in result.stderr


def test_extra_rules_dir_is_applied(tmp_path):
    rules = tmp_path / "zj"
    rules.mkdir()
    (rules / "zj.yaml").write_text(
        "pack: {id: zj, title: 浙江, applies: {province: [浙江]}}\nrules:\n  - id: zj.cites_measures\n"
        "    title: 引用浙江省暂行办法\n    severity: info\n"
        "    basis: {instrument: 《浙江省政府信息公开暂行办法》, confirmed: true}\n    message: {zh: 未引用}\n"
        "    check: {kind: presence, topics: ['浙江省政府信息公开暂行办法']}\n", "utf-8")
    _, out, _ = run("check", SEED, "--rules", rules, "--format", "json")
    res = {r["rule"]: r["status"] for r in json.loads(out)["reports"][0]["results"]}
    assert res["zj.cites_measures"] == "pass"


@pytest.mark.skipif(shutil.which("gkcheck") is None, reason="the gkcheck command is not installed")
def test_installed_command_subprocess(tmp_path):
    """The installed package (run from elsewhere, so not this source tree) has its data files:
    rules, schemas, the place list, the table catalogue, and reads every input form."""
    from tests.conftest import FIXTURES

    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(["gkcheck", "check", str(SEED), "--format", "json"], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["reports"][0]["report"]["agency"]["name"] == "浙江省商务厅"
    reports = FIXTURES / "reports"
    forms = ["pingtan-2019.txt", "shanghai-gov-office-2019.html", "hongze-district-gov-2023.pdf"]
    proc = subprocess.run(["gkcheck", "check", *[str(reports / f) for f in forms], "--format", "json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    doc = json.loads(proc.stdout)
    assert [r["verdict"] for r in doc["reports"]] != [] and "error" not in [r["verdict"] for r in doc["reports"]], proc.stderr
    assert doc["reports"][0]["report"]["agency"]["province"] == "福建"  # places.yaml shipped
    python = os.path.join(os.path.dirname(shutil.which("gkcheck")), "python")  # the installation's interpreter
    proc = subprocess.run([python, "-m", "gkcheck", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("gkcheck ")

"""The run record and gkcheck verify: identical re-runs pass, differences are named, and what
makes a re-run meaningless (missing or changed inputs, other rule packs or settings) says so."""

import json
import shutil

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.util.digest import file_sha256
from tests.conftest import FIXTURES


def run(*args):
    result = CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def batch(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "batch", tmp_path / "b")
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("audit", "b", "--format", "json", "-o", "a.json", "--no-progress", "--jobs", "2")
    assert code == 2  # broken.yaml cannot be read
    return tmp_path


def test_record_of_the_run(batch):
    doc = json.loads((batch / "a.json").read_text("utf-8"))
    record = doc["run"]
    assert record["command"] == "audit" and record["gkcheck_run"] == 1 and record["time"].endswith("Z")
    assert {p["pack"] for p in record["rule_packs"]} >= {"tiaoli-2019", "format-2021"}
    for p in record["rule_packs"]:
        assert p["sha256"] == file_sha256(p["file"])
    assert record["scorecard"]["id"] == "gkcheck-default" and len(record["scorecard"]["sha256"]) == 64
    assert set(record["options"]) >= {"profile", "rules_dirs", "fail_on", "disabled", "severity", "waivers",
                                      "baseline", "overrides"}
    for entry in doc["reports"]:
        assert entry["sha256"] == file_sha256(entry["source"])  # also the one that could not be read
    paired = next(e for e in doc["reports"] if e["report"] and e["report"]["previous"])
    assert paired["report"]["previous"]["sha256"] == file_sha256(paired["report"]["previous"]["source"])


def test_source_date_epoch_fixes_the_time(batch, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225601")
    run("check", "b/county/pingan-2021.txt", "--format", "json", "-o", "c.json")
    assert json.loads((batch / "c.json").read_text("utf-8"))["run"]["time"] == "2026-01-01T00:00:01Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    run("check", "b/county/pingan-2021.txt", "--format", "json", "-o", "d.json")
    assert json.loads((batch / "d.json").read_text("utf-8"))["run"]["time"] > "2026-01-01T00:00:01Z"  # now


def test_identical_rerun(batch):
    code, out, err = run("verify", "a.json")
    assert code == 0 and out.startswith("复核一致：4 份报告的结果与记录相同"), err


def test_check_with_previous_and_settings(batch, monkeypatch):
    (batch / "gkcheck.yaml").write_text(
        "fail_on: warning\ndisable: [{rule: budget.2019.sangong, reason: 本市另行考核}]\n"
        "severity: {fee.2021.section6: {level: info, reason: 本年度无收费}}\n"
        "waivers:\n  - {rule: format.2021.tables, report: 'b/*/2021.yaml', reason: 表格另行发布, approver: 办公室,"
        " expires: 2030-12-31}\n", "utf-8")
    code, _, _ = run("check", "b/市政府办公厅/2021.yaml", "--previous", "b/市政府办公厅/2020.yaml", "--format", "json",
                     "-o", "c.json")
    doc = json.loads((batch / "c.json").read_text("utf-8"))
    assert doc["run"]["options"]["disabled"] == {"budget.2019.sangong": "本市另行考核"}
    assert doc["run"]["options"]["waivers"]["inline"][0]["rule"] == "format.2021.tables"
    assert any(r["status"] == "waived" for r in doc["reports"][0]["results"])
    code, out, err = run("verify", "c.json")
    assert code == 0, out + err
    (batch / "elsewhere").mkdir()  # inputs not found from here: paths are taken from the result's directory
    monkeypatch.chdir(batch / "elsewhere")
    code, out, err = run("verify", "../c.json")
    assert code == 0, out + err
    code, out, err = run("verify", "../c.json", "--base", "..")
    assert code == 0, out + err


def test_a_different_result_is_named(batch):
    doc = json.loads((batch / "a.json").read_text("utf-8"))
    entry = next(e for e in doc["reports"] if e["source"].endswith("2021.yaml"))
    failed = next(r for r in entry["results"] if r["status"] == "fail")
    failed["status"] = "pass"
    entry["score"]["total"] = 100.0
    (batch / "a.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    code, out, _ = run("verify", "a.json")
    assert code == 1 and out.startswith("复核不一致：1 / 4 份报告的结果与记录不同")
    assert f"{failed['rule']} pass → fail" in out and "得分 100.0 →" in out


def test_changed_or_missing_inputs_cannot_be_verified(batch):
    with open(batch / "b" / "市政府办公厅" / "2020.yaml", "a", encoding="utf-8") as fh:
        fh.write("# 修改\n")
    (batch / "b" / "county" / "pingan-2021.txt").unlink()
    code, out, err = run("verify", "a.json")
    assert code == 2 and out == ""
    assert "输入文件不存在：b/county/pingan-2021.txt" in err
    assert "输入文件已改变（sha256 不同）：b/市政府办公厅/2020.yaml" in err


def test_other_rule_packs_or_version_cannot_be_verified(batch, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES / "example-pack", pack)
    code, _, err = run("check", "b/county/pingan-2021.txt", "--rules", pack, "--format", "json", "-o", "p.json")
    assert code in (0, 1), err
    rule_file = next(p for p in pack.rglob("*.yaml") if "cases" not in p.parts)
    rule_file.write_text(rule_file.read_text("utf-8") + "\n# 修改\n", "utf-8")
    code, _, err = run("verify", "p.json")
    assert code == 2 and "规则包与记录不同：" in err
    doc = json.loads((batch / "a.json").read_text("utf-8"))
    doc["run"]["version"] = "0.0.1"
    (batch / "old.json").write_text(json.dumps(doc), "utf-8")
    code, _, err = run("verify", "old.json")
    assert code == 2 and "gkcheck 版本不同：记录为 0.0.1" in err


def test_scorecard_changed(batch):
    card = batch / "card.yaml"
    shutil.copy(FIXTURES.parent / "gkcheck" / "policy" / "default_scorecard.yaml", card)
    run("audit", "b/county", "--format", "json", "-o", "s.json", "--scorecard", card, "--no-progress")
    assert run("verify", "s.json")[0] == 0
    card.write_text(card.read_text("utf-8").replace("error: 20, warning: 10", "error: 15, warning: 10"), "utf-8")
    code, _, err = run("verify", "s.json")
    assert code == 2 and "评分表与记录不同：" in err


def test_text_from_the_record_does_not_drive_the_terminal(batch):
    doc = json.loads((batch / "a.json").read_text("utf-8"))
    doc["run"]["time"] = "\x1b]0;PWNED\x07"
    (batch / "t.json").write_text(json.dumps(doc), "utf-8")
    code, out, err = run("verify", "t.json")
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "PWNED" in out


@pytest.mark.parametrize("change", [
    lambda run: run.pop("options"),
    lambda run: run["options"].update(waivers="x"),
    lambda run: run.update(rule_packs=[{"pack": 1}]),
    lambda run: run["options"].update(severity={"r": "info"}),
])
def test_a_damaged_run_record_is_a_one_line_error(batch, change):
    doc = json.loads((batch / "a.json").read_text("utf-8"))
    change(doc["run"])
    (batch / "d.json").write_text(json.dumps(doc), "utf-8")
    code, out, err = run("verify", "d.json")
    assert code == 2 and out == "" and "运行记录不完整或已损坏" in err and err.count("\n") == 1


@pytest.mark.parametrize("content, message", [
    ("{", "不是有效的 JSON"),
    ('{"tool": {"name": "other"}, "reports": []}', "不是 gkcheck 的 JSON 结果"),
    ('{"tool": {"name": "gkcheck"}, "reports": []}', "没有运行记录（run）"),
])
def test_not_a_verifiable_result(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content, "utf-8")
    code, _, err = run("verify", path)
    assert code == 2 and message in err and err.count("\n") == 1


def test_scan_reads_a_document_an_element_at_a_time(monkeypatch):
    """The reader behind verify: members, array elements in order, values across chunk borders."""
    import io

    from gkcheck.util import jsonscan

    monkeypatch.setattr(jsonscan, "CHUNK", 7)  # every value crosses a chunk border
    doc = {"tool": {"name": "gkcheck"}, "reports": [{"source": "甲.yaml", "n": 12345678}, [], "乙", 1.5e3],
           "summary": {"reports": 4}, "run": None, "z": 123456789}
    seen = []
    members = jsonscan.scan(io.BytesIO(json.dumps(doc, ensure_ascii=False, indent=2).encode()), "reports",
                            seen.append)
    assert seen == doc["reports"] and members == {**doc, "reports": None}
    assert jsonscan.scan(io.BytesIO(b'\xef\xbb\xbf{"reports": []}'), "reports", seen.append) == {"reports": None}
    for bad in (b"[1]", b'{"a": 1', b'{"reports": [1 2]}', b'{"a": 1} x'):
        with pytest.raises(ValueError):
            jsonscan.scan(io.BytesIO(bad), "reports", seen.append)


def test_file_sha256_reads_in_pieces(tmp_path):
    import hashlib

    data = bytes(range(256)) * (3 * 4096 + 7)  # several pieces and a partial one
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert file_sha256(str(path)) == file_sha256(str(path), many=True) == hashlib.sha256(data).hexdigest()

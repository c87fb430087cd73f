"""gkcheck audit: discovery, pairing, parallel runs, robustness, exit codes and the CSV/JSON/text outputs."""

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcheck.batch import agency_key, discover, pair
from gkcheck.cli import cli
from tests.conftest import FIXTURES, ROOT

BATCH = FIXTURES / "batch"
PAIR_2020 = BATCH / "市政府办公厅" / "2020.yaml"
PAIR_2021 = BATCH / "市政府办公厅" / "2021.yaml"

CLEAN = """year: 2021
agency: {{name: {name}, kind: department, level: county, province: 浙江}}
title: {name}2021年政府信息公开工作年度报告
published: 2022-01-20
signed: 2022-01-18
period: {{start: 2021-01-01, end: 2021-12-31}}
sections:
  - {{number: 一、, heading: 总体情况, text: 全年主动公开政府信息100条。}}
"""


def audit(*args, **kw):
    result = CliRunner().invoke(cli, ["audit", "--no-progress", *map(str, args)], catch_exceptions=False, **kw)
    return result.exit_code, result.stdout, result.stderr


def write_clean(directory, name="平安县财政局", file="clean.yaml"):
    path = directory / file
    path.write_text(CLEAN.format(name=name), "utf-8")
    return path


# --- discovery and pairing ---------------------------------------------------------------
def test_discover_recursive_sorted_skips_hidden_and_other_extensions(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.HTML", "b/1.txt", "a.json", "z.yml", "x.pdf", "y.docx", "w.htm", "notes.md", "data.xlsx",
                 ".hidden.yaml", ".git/c.yaml"):
        (tmp_path / name).write_text("x", "utf-8")
    files, skipped = discover([str(tmp_path)])
    names = [os.path.relpath(f, tmp_path) for f in files]
    assert names == ["a.json", "w.htm", "x.pdf", "y.docx", "z.yml", os.path.join("b", "1.txt"),
                     os.path.join("b", "2.HTML")]
    assert skipped == 2  # notes.md, data.xlsx; hidden files are not even counted
    # A named file is audited whatever its extension; duplicates are dropped; order is kept.
    named = str(tmp_path / "notes.md")
    files, _ = discover([named, str(tmp_path / "a.json"), named])
    assert files == [named, str(tmp_path / "a.json")]


def test_agency_key_normalises_width_spacing_and_renmin_zhengfu():
    assert agency_key("上海市人民政府办公厅") == agency_key("上海市政府 办公厅") == agency_key("上海市政府办公厅　")
    assert agency_key("ＡＢ县（新区）财政局") == agency_key("AB县新区财政局")
    assert agency_key("上海市人民政府办公厅") != agency_key("上海市人民政府")
    assert agency_key(None) is None and agency_key(" ") is None


def test_pair_consecutive_years_first_duplicate_wins():
    keys = [("a", 2021), ("a", 2020), ("b", 2020), ("a", 2022), None, ("b", 2022), ("a", 2021)]
    assert pair(keys) == {0: 1, 3: 0, 6: 1}  # b 2022 has no 2021; the second a-2021 pairs with 2020 too


# --- the command -------------------------------------------------------------------------
def test_audit_fixture_dir_text(tmp_path):
    code, out, err = audit(BATCH, "--jobs", "2")
    assert code == 2  # broken.yaml cannot be read
    assert "无法检查" in out and "broken.yaml" in out and "YAML 格式错误" in out
    assert "notes.md" not in out and "hidden" not in out
    assert "配对：安平市政府办公厅 2021 年度 ← 2020 年度" in out
    assert "共 4 份" in out and "跳过不支持的文件 1 个" in out
    assert "Traceback" not in out + err


def test_audit_json_contract_pairs_and_order():
    code, out, _ = audit(BATCH, "--format", "json", "--jobs", "2")
    assert code == 2
    doc = json.loads(out)
    assert list(doc) == ["tool", "reports", "summary", "pairs", "interrupted", "fail_on", "run"]
    assert doc["tool"]["name"] == "gkcheck" and doc["interrupted"] is False
    assert [r["source"] for r in doc["reports"]] == [str(BATCH / "broken.yaml"), str(BATCH / "county" / "pingan-2021.txt"),
                                                     str(PAIR_2020), str(PAIR_2021)]
    assert doc["summary"]["reports"] == 4 and doc["summary"]["error"] == 1
    assert doc["pairs"] == [{"agency": "安平市政府办公厅", "year": 2021, "previous_year": 2020,
                             "source": str(PAIR_2021), "previous_source": str(PAIR_2020)}]
    error = next(r for r in doc["reports"] if r["verdict"] == "error")
    assert error["source"].endswith("broken.yaml") and "YAML 格式错误" in error["error"] and error["results"] == []


def test_json_identical_for_one_and_two_jobs_and_equal_to_json_format(tmp_path):
    from gkcheck.output.json_format import render

    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        code, stdout, _ = audit(BATCH, "--format", "json", "--jobs", jobs, "-o", out)
        assert code == 2 and "共 4 份" in stdout  # the summary goes to the terminal, the document to -o
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    # Streamed, but the same bytes as the existing JSON writer gives for the same document.
    assert outputs[0].decode("utf-8") == render(json.loads(outputs[0]))


def test_json_reports_are_read_again_from_their_files_and_checked_as_check_checks_them(tmp_path):
    """A JSON report is not spooled: phase 2 reads its file again and parses it, not validating
    it again, with the overrides applied again; with a byte order mark (which orjson refuses) the standard parser
    reads it both times. Either way the batch checks what check_file checks."""
    from gkcheck.api import check_file
    from gkcheck.batch import Batch, Sink, run
    from gkcheck.batch.json_stream import Writer
    from gkcheck.output.summary import Tally
    from gkcheck.ruleset import load_ruleset
    from gkcheck.util.yamlio import load

    files = []
    for source, bom in ((PAIR_2020, b""), (PAIR_2021, b"\xef\xbb\xbf")):
        path = tmp_path / f"{source.stem}.json"
        path.write_bytes(bom + json.dumps(load(source.read_text("utf-8")), ensure_ascii=False).encode("utf-8"))
        files.append(str(path))
    overrides = {"agency_kind": "department", "published": "2022-01-20"}
    ruleset = load_ruleset()
    out = tmp_path / "audit.json"
    with out.open("wb") as fh:
        writer = Writer(fh)
        writer.begin()
        outcome = run(Batch(files, jobs=1, overrides=overrides), Sink(writer, Tally()), ruleset=ruleset)
        writer.end(Tally(), outcome.pairs, outcome.interrupted)
    entries = json.loads(out.read_bytes())["reports"]
    expected = [check_file(files[0], ruleset, overrides), check_file(files[1], ruleset, overrides, previous=files[0])]
    assert [e["report"] for e in entries] == [json.loads(json.dumps(e["report"])) for e in expected]
    assert [e["results"] for e in entries] == [json.loads(json.dumps(e["results"])) for e in expected]
    assert entries[1]["report"]["previous"]["source"] == files[0]
    assert {e["report"]["agency"]["kind"] for e in entries} == {"department"}



@pytest.mark.parametrize("jobs", [1, 2])
def test_a_json_report_changed_between_the_two_readings_is_an_error_not_checked(tmp_path, jobs):
    """Phase 2 reads a JSON report again from its file: bytes other than those phase 1 validated
    (the file was rewritten meanwhile) make an error entry; the unchanged report is checked."""
    from gkcheck.batch import Batch, Sink, run
    from gkcheck.batch.json_stream import Writer
    from gkcheck.output.summary import Tally
    from gkcheck.util.yamlio import load

    files = []
    for source in (PAIR_2020, PAIR_2021):
        path = tmp_path / f"{source.stem}.json"
        path.write_text(json.dumps(load(source.read_text("utf-8")), ensure_ascii=False), "utf-8")
        files.append(str(path))

    def progress(phase, done, total):
        if phase == "read" and done == total:  # between the phases: the 2021 report is rewritten
            changed = tmp_path / "2021.json"
            changed.write_text(changed.read_text("utf-8").replace("2021", "2022"), "utf-8")

    out = tmp_path / "audit.json"
    with out.open("wb") as fh:
        writer = Writer(fh)
        writer.begin()
        outcome = run(Batch(files, jobs=jobs), Sink(writer, Tally()), progress=progress)
        writer.end(Tally(), outcome.pairs, outcome.interrupted)
    entries = json.loads(out.read_bytes())["reports"]
    assert entries[0]["verdict"] != "error" and entries[0]["results"]
    assert entries[1]["verdict"] == "error" and "被改动" in entries[1]["error"]
    assert entries[1]["error"].startswith(files[1])


def test_a_json_report_read_from_a_pipe_is_kept_for_phase_two(tmp_path):
    """A pipe (a named FIFO here, /dev/fd/63 from a shell) cannot be read twice: its report is
    spooled like an extracted one, and the later year is still checked with its predecessor."""
    import threading

    from gkcheck.util.yamlio import load

    pipes = []
    for source in (PAIR_2020, PAIR_2021):
        fifo = tmp_path / f"{source.stem}.fifo"
        os.mkfifo(fifo)
        data = json.dumps(load(source.read_text("utf-8")), ensure_ascii=False).encode("utf-8")
        threading.Thread(target=lambda f=fifo, d=data: f.write_bytes(d), daemon=True).start()  # one reading only
        pipes.append(fifo)
    code, out, _ = audit(*pipes, "--format", "json", "--jobs", "2", "--timeout", "20")
    doc = json.loads(out)
    assert [r["verdict"] != "error" for r in doc["reports"]] == [True, True], doc["reports"]
    assert doc["reports"][1]["report"]["previous"]["source"] == str(pipes[0])


def test_the_digest_of_a_pipe_is_not_waited_for(tmp_path):
    """An entry in error hashes its input when it can; a pipe with no writer left is not opened."""
    from gkcheck.api import file_digest

    import threading

    fifo = tmp_path / "gone.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(file_digest(str(fifo))), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # let the blocked open() return, so that the test ends
        fifo.write_bytes(b"")
    assert got == [None]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
    | st.decimals(allow_nan=False),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text() | st.integers() | st.booleans() | st.floats(allow_nan=False), inner, max_size=4),
    max_leaves=20)


def _has_float(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(k) or _has_float(v) for k, v in value.items())
    return isinstance(value, (list, tuple)) and any(_has_float(v) for v in value)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.integers(0, 3))
def test_json_text_is_json_dumps_layout_at_any_depth(value, level):
    from gkcheck.output.json_format import dumps, indented_utf8

    expected = json.dumps(value, ensure_ascii=False, indent=2, default=str).replace("\n", "\n" + "  " * level)
    ours = dumps(value, level)
    assert indented_utf8(value, level).decode("utf-8") == "  " * level + ours  # as the batch writes an entry
    assert json.loads(ours) == json.loads(expected)
    if not _has_float(value):  # a float exponent may be written 1e16 rather than 1e+16
        assert ours == expected


def _register_previous_probe():
    """A check kind that fails with the year of report.previous as its evidence."""
    from gkcheck.checks import KINDS, register
    from gkcheck.result import Outcome

    class Probe:
        PARAMS = {"type": "object", "properties": {"kind": {}}}

        @staticmethod
        def compile(params):
            def run(report):
                if report.previous is None:
                    return Outcome.not_applicable("no previous")
                return Outcome.failed([{"value": report.previous.year, "text": report.previous.source}])
            return run

    register("previous_probe", Probe)
    return KINDS


PROBE_RULES = """pack: {id: probe, title: 测试}
rules:
  - id: probe.previous
    title: 上一年度报告
    severity: info
    basis: {instrument: 测试, confirmed: true}
    message: {zh: 有上一年度报告}
    check: {kind: previous_probe}
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_pairing_sets_report_previous(tmp_path, jobs):
    kinds = _register_previous_probe()
    try:
        rules = tmp_path / "rules"
        rules.mkdir()
        (rules / "probe.yaml").write_text(PROBE_RULES, "utf-8")
        code, out, _ = audit(PAIR_2021, PAIR_2020, "--rules", rules, "--profile", "probe", "--format", "json",
                             "--jobs", jobs)
        doc = json.loads(out)
        by_year = {r["report"]["year"]: r["results"][0] for r in doc["reports"]}
        assert by_year[2021]["status"] == "fail"
        assert by_year[2021]["evidence"][0] == {"value": 2020, "text": str(PAIR_2020)}
        assert by_year[2020]["status"] == "not_applicable"
        # Input order is kept (2021 first, as named), whatever the pairing.
        assert [r["report"]["year"] for r in doc["reports"]] == [2021, 2020]
    finally:
        kinds.pop("previous_probe", None)


def test_exit_codes(tmp_path):
    write_clean(tmp_path)
    text = write_clean(tmp_path, file="late.yaml").read_text("utf-8")
    (tmp_path / "late.yaml").write_text(text.replace("signed: 2022-01-18", "signed: 2022-02-18"), "utf-8")
    assert audit(tmp_path, "--profile", "quality")[0] == 0  # signed after published is only a warning
    (tmp_path / "late.yaml").write_text(text.replace("title: 平安县财政局2021", "title: 平安县财政局2020"), "utf-8")
    assert audit(tmp_path, "--profile", "quality")[0] == 1  # title year ≠ period: an error
    (tmp_path / "broken.json").write_text("{", "utf-8")
    assert audit(tmp_path, "--profile", "quality")[0] == 2
    code, out, _ = audit(tmp_path / "nothing-here")
    assert code == 2 and "nothing-here: 文件不存在" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = audit(empty)
    assert code == 2 and "没有找到可检查的文件" in err


# --- the same settings as check: configuration, fail_on, waivers, baseline ---------------
TWO = [BATCH / "county" / "pingan-2021.txt", PAIR_2021]  # both fail format.2021.tables (an error)


def _audit_json(tmp_path, *args, jobs="2"):
    out = tmp_path / f"audit-{len(list(tmp_path.iterdir()))}.json"
    code, _, err = audit(*TWO, "--format", "json", "--jobs", jobs, "-o", out, *args)
    return code, json.loads(out.read_text("utf-8")), err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_audit_fail_on_and_disabled_rule_from_config(tmp_path, jobs):
    code, doc, _ = _audit_json(tmp_path, jobs=jobs)
    assert code == 1 and doc["fail_on"] == "error" and doc["summary"]["fail"] == 2
    code, doc, _ = _audit_json(tmp_path, "--fail-on", "never", jobs=jobs)
    assert code == 0 and doc["fail_on"] == "never" and doc["summary"]["pass"] == 2
    config = tmp_path / "gkcheck.yaml"
    config.write_text("disable:\n  - {rule: format.2021.tables, reason: 本批报告只查文字}\n"
                      "  - {rule: content.2019.gov_kpi, reason: 试点}\n", "utf-8")
    code, doc, _ = _audit_json(tmp_path, "--config", config, jobs=jobs)
    rules = {r["rule"] for e in doc["reports"] for r in e["results"]}
    assert "format.2021.tables" not in rules and "content.2019.gov_kpi" not in rules
    assert all({"rule": "format.2021.tables", "reason": "本批报告只查文字"} in e["disabled"] for e in doc["reports"])
    assert code == 0 and doc["summary"]["pass"] == 2  # what is left fails only at warning and info level


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_audit_waivers_marked_in_workers_and_unused_ones_reported(tmp_path, jobs):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {rule: format.2021.tables, agency: 安平市政府办公厅, reason: 表格另行报送, approver: 办公室, expires: '2099-12-31'}\n"
        "  - {rule: no.such.rule, report: '*.txt', reason: 旧规则, approver: 办公室, expires: '2099-12-31'}\n"
        "  - {rule: content.2019.gov_kpi, report: '*pingan*', reason: 过期, approver: 办公室, expires: '2020-01-01'}\n",
        "utf-8")
    code, doc, err = _audit_json(tmp_path, "--waivers", waivers, jobs=jobs)
    by_source = {e["source"]: e for e in doc["reports"]}
    tables = next(r for r in by_source[str(PAIR_2021)]["results"] if r["rule"] == "format.2021.tables")
    assert tables["status"] == "waived" and tables["waiver"]["reason"] == "表格另行报送"
    assert [w["rule"] for w in doc["unused_waivers"]] == ["no.such.rule"]
    assert [h["rule"] for h in doc["expired_waivers"]] == ["content.2019.gov_kpi"]
    assert "豁免未匹配任何问题：no.such.rule" in err and "豁免已过期：content.2019.gov_kpi" in err
    assert by_source[str(PAIR_2021)]["verdict"] == "pass" and by_source[str(TWO[0])]["verdict"] == "fail"
    assert code == 1


def test_audit_baseline_counts_only_new_findings(tmp_path):
    baseline = tmp_path / "baseline.json"
    result = CliRunner().invoke(cli, ["baseline", "create", *map(str, TWO), "-o", str(baseline)])
    assert result.exit_code == 0, result.output
    code, doc, _ = _audit_json(tmp_path, "--baseline", baseline)
    assert code == 0 and doc["summary"]["pass"] == 2 and doc["fixed"] == []
    assert all(r.get("baseline") for e in doc["reports"] for r in e["results"] if r["status"] == "fail")


def test_unsupported_named_file_and_missing_file_become_error_entries(tmp_path):
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    code, out, _ = audit(old, tmp_path / "missing.txt", PAIR_2020, "--format", "json")
    assert code == 2
    reports = json.loads(out)["reports"]
    assert [os.path.basename(r["source"]) for r in reports] == ["old.doc", "missing.txt", "2020.yaml"]
    assert [r["verdict"] for r in reports[:2]] == ["error", "error"] and reports[2]["verdict"] != "error"
    assert ".doc" in reports[0]["error"] and "不存在" in reports[1]["error"]


def test_worker_exception_becomes_error_entry(tmp_path, monkeypatch):
    import gkcheck.extract

    real = gkcheck.extract.read_report

    def flaky(path, data=None):
        if path.endswith("2020.yaml"):
            raise ZeroDivisionError("division by zero")
        return real(path, data)

    monkeypatch.setattr(gkcheck.extract, "read_report", flaky)  # inherited by the forked workers
    for jobs in ("1", "2"):
        code, out, err = audit(PAIR_2020, PAIR_2021, "--format", "json", "--jobs", jobs)
        doc = json.loads(out)
        assert code == 2 and [r["verdict"] for r in doc["reports"]][0] == "error"
        assert doc["reports"][0]["error"] == f"{PAIR_2020}: 内部错误：ZeroDivisionError: division by zero"
        assert doc["reports"][1]["verdict"] in ("pass", "fail") and doc["pairs"] == []
        assert "Traceback" not in out + err


def test_check_crash_becomes_error_entry(tmp_path):
    from gkcheck.checks import KINDS, register

    class Boom:
        PARAMS = {"type": "object", "properties": {"kind": {}}}

        @staticmethod
        def compile(params):
            def run(report):
                raise KeyError("no such cell")
            return run

    register("boom", Boom)
    try:
        rules = tmp_path / "rules"
        rules.mkdir()
        (rules / "boom.yaml").write_text(PROBE_RULES.replace("previous_probe", "boom"), "utf-8")
        code, out, _ = audit(PAIR_2020, "--rules", rules, "--profile", "probe", "--format", "json", "--jobs", "2")
        entry = json.loads(out)["reports"][0]
        assert code == 2 and entry["verdict"] == "error" and "内部错误：KeyError: 'no such cell'" in entry["error"]
    finally:
        KINDS.pop("boom", None)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_render_failure_becomes_error_entry(monkeypatch, jobs):
    import gkcheck.output.csv_format as csv_format

    real = csv_format.piece

    def broken(entry, **kw):
        if entry["verdict"] != "error":
            raise ValueError("cannot render")
        return real(entry, **kw)

    monkeypatch.setattr(csv_format, "piece", broken)
    code, out, _ = audit(PAIR_2020, PAIR_2021, "--format", "csv", "--jobs", jobs)
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert code == 2 and [r[4] for r in rows[1:]] == ["无法检查", "无法检查"]
    assert rows[1][8] == f"{PAIR_2020}: 内部错误：ValueError: cannot render"


def test_output_file_atomic_and_never_overwritten_without_force(tmp_path):
    out = tmp_path / "audit.csv"
    out.write_text("keep me", "utf-8")
    code, _, err = audit(BATCH, "--format", "csv", "-o", out)
    assert code == 2 and "已存在" in err and "--force" in err
    assert out.read_text("utf-8") == "keep me"
    code, _, _ = audit(BATCH, "--format", "csv", "-o", out, "--force")
    assert code == 2 and out.read_text("utf-8-sig").startswith("文件,机关")
    assert [p.name for p in tmp_path.iterdir()] == ["audit.csv"]  # no temp file left


def test_a_large_output_is_written_back_as_it_grows(tmp_path, monkeypatch):
    """-o FILE asks the kernel to start writing each WRITEBACK bytes to disk as they are written,
    so the sync before the rename waits only for the last part; the file is the same."""
    from gkcheck.cli import options

    if options._DONTNEED is None:
        pytest.skip("no posix_fadvise here")
    hints = []
    monkeypatch.setattr(options, "WRITEBACK", 1000)
    monkeypatch.setattr(options.os, "posix_fadvise",
                        lambda fd, offset, length, advice: advice == options._DONTNEED and hints.append((offset, length)))
    code, _, _ = audit(BATCH, "--format", "json", "-o", tmp_path / "audit.json")
    size = (tmp_path / "audit.json").stat().st_size
    assert code == 2 and json.loads((tmp_path / "audit.json").read_text("utf-8"))["summary"]["reports"] > 2
    assert len(hints) >= 3 and hints[0][0] == 0  # consecutive ranges from the start, none past the end
    assert all(a + n == b for (a, n), (b, _) in zip(hints, hints[1:])) and hints[-1][0] + hints[-1][1] <= size
    assert all(n >= 1000 for _, n in hints)


def test_previous_output_inside_the_directory_is_not_audited(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(BATCH / "市政府办公厅", reports)
    out = reports / "audit.json"
    for _ in range(2):
        code, _, _ = audit(reports, "--format", "json", "-o", out, "--force")
        assert json.loads(out.read_text("utf-8"))["summary"]["reports"] == 2


def test_csv_reports_bom_and_columns(tmp_path):
    out = tmp_path / "audit.csv"
    audit(BATCH, "--format", "csv", "-o", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["文件", "机关", "层级", "年度", "结论", "错误", "警告", "不通过的规则", "无法检查的原因",
                       "对照的上一年度报告", "得分", "发布时效", "内容完整", "数据准确", "格式规范", "文字质量"]
    assert len(rows) == 5
    by_file = {os.path.basename(r[0]): r for r in rows[1:]}
    assert by_file["broken.yaml"][4] == "无法检查" and "YAML 格式错误" in by_file["broken.yaml"][8]
    assert by_file["broken.yaml"][10:] == [""] * 6  # nothing to score
    assert by_file["2021.yaml"][1:4] == ["安平市政府办公厅", "市级", "2021"]
    assert by_file["2021.yaml"][9] == str(PAIR_2020) and by_file["2020.yaml"][9] == ""  # the pair, per row
    entry = next(r for r in json.loads(audit(BATCH, "--format", "json")[1])["reports"] if r["source"] == str(PAIR_2021))
    scores = {c["name"]: c["score"] for c in entry["score"]["categories"]}
    assert by_file["2021.yaml"][10:] == [str(entry["score"]["total"])] + [
        "" if scores[name] is None else str(scores[name]) for name in rows[0][11:]]


def test_csv_findings_one_row_per_finding(tmp_path):
    code, out, _ = audit(BATCH, "--format", "csv", "--findings", "--jobs", "2")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0] == ["文件", "机关", "年度", "规则", "严重程度", "状态", "说明", "依据", "位置", "证据", "扣分"]
    json_doc = json.loads(audit(BATCH, "--format", "json")[1])
    points = {(r["source"], d["rule"]): d["points"] for r in json_doc["reports"]
              for c in (r["score"] or {}).get("categories", []) for d in c["deductions"]}
    assert [r[10] for r in rows[1:] if r[3]] == [str(points.get((r[0], r[3]), 0)) for r in rows[1:] if r[3]]
    failed = sum(1 for r in json_doc["reports"] for x in r["results"] if x["status"] == "fail")
    errors = sum(1 for r in json_doc["reports"] if r["verdict"] == "error")
    assert len(rows) - 1 == failed + errors
    assert all(r[5] in ("不通过", "无法检查") for r in rows[1:])
    assert any(r[7] and "条" in r[7] for r in rows[1:])  # the legal basis is there


def test_csv_and_html_name_lines_of_extracted_text(tmp_path):
    """A line in a PDF report is a line of the text extracted from it, and the office is told so."""
    from gkcheck.output import csv_format, html

    pdf = FIXTURES / "reports" / "hongze-district-gov-2024.pdf"
    code, out, _ = audit(pdf, "--format", "csv", "--findings", "--jobs", "1")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    figures = next(r for r in rows if r[3] == "text.figures")
    assert "抽取文本第" in figures[9]
    entry = json.loads(audit(pdf, "--format", "json")[1])["reports"][0]
    assert "抽取文本第" in html.piece(entry, index=0)
    yaml_entry = {**entry, "report": {**entry["report"], "form": "yaml"}}
    assert "抽取文本第" not in csv_format.piece(yaml_entry, findings=True)


def test_csv_neutralises_formulas():
    from gkcheck.util.spreadsheet import inert

    assert inert("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert inert("@SUM(A1)") == "'@SUM(A1)" and inert("-12") == "-12" and inert("正文") == "正文"
    assert inert("-inf") == "'-inf" and inert("\n=1+1") == "'\n=1+1" and inert(None) == ""


def test_text_summary_lists_most_failed_rules():
    code, out, _ = audit(BATCH)
    assert "不通过最多的规则" in out
    assert "\x1b[" not in out  # plain text when stdout is not a terminal


def test_rich_is_imported_only_for_the_progress_bar():
    code = ("import sys; from click.testing import CliRunner; from gkcheck.cli import cli; "
            f"r = CliRunner().invoke(cli, ['audit', {str(PAIR_2020)!r}, '--format', 'json']); "
            "print(r.exit_code, 'rich' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split()[1:] == ["False"], proc.stdout + proc.stderr


def test_ctrl_c_reports_what_was_done(tmp_path):
    src = PAIR_2020.read_text("utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    for i in range(3000):  # enough work to be interrupted half way on any machine
        (reports / f"{i:05d}.yaml").write_text(src.replace("安平市人民政府办公厅", f"安平市第{i}局"), "utf-8")
    out = tmp_path / "audit.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "gkcheck", "audit", str(reports), "--jobs", "2", "--format",
                             "json", "-o", str(out), "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    # Ctrl-C once the batch is under way: its output is opened (as a temporary file beside it)
    # just before the workers start; a fixed wait came before that on a cold CI machine (rules
    # compiled into the cache) and after the end on a fast one
    opened = tmp_path / f".audit.json.{proc.pid}.tmp"
    deadline = time.monotonic() + 60
    while not opened.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # as the terminal does: the parent and its workers
    stdout, stderr = proc.communicate(timeout=60)
    if proc.returncode != 2 and not out.exists():
        pytest.fail(f"unexpected end: {proc.returncode} {stderr}")
    doc = json.loads(out.read_text("utf-8"))
    if not doc["interrupted"]:
        pytest.skip("the batch finished before Ctrl-C")
    assert proc.returncode == 2 and "已中断" in stderr and str(out) in stderr
    assert doc["summary"]["reports"] == len(doc["reports"]) < 3000
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.json", "reports"]


@pytest.mark.skipif(shutil.which("gkcheck") is None, reason="the gkcheck command is not installed")
def test_installed_command_audit(tmp_path):
    proc = subprocess.run(["gkcheck", "audit", str(BATCH), "--format", "json", "--jobs", "2"], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and json.loads(proc.stdout)["summary"]["reports"] == 4


def test_pair_accepts_a_city_prefix_only_when_unambiguous():
    from gkcheck.batch import agency_key, pair

    keys = [(agency_key("洪泽区人民政府"), 2023), (agency_key("淮安市洪泽区人民政府"), 2024)]
    assert pair(keys) == {1: 0}
    keys = [(agency_key("南京市鼓楼区人民政府"), 2023), (agency_key("徐州市鼓楼区人民政府"), 2023),
            (agency_key("鼓楼区人民政府"), 2024)]
    assert pair(keys) == {}


def _pair_by_scanning(keys):
    """The pairing rule written plainly (quadratic): what pair() must agree with."""
    first = {}
    for i, key in enumerate(keys):
        if key is not None:
            first.setdefault(key, i)
    pairs = {}
    for i, k in enumerate(keys):
        if k is None:
            continue
        if (k[0], k[1] - 1) in first:
            pairs[i] = first[(k[0], k[1] - 1)]
            continue
        near = [j for (name, year), j in first.items() if year == k[1] - 1 and name != k[0]
                and min(len(name), len(k[0])) >= 4 and (name.endswith(k[0]) or k[0].endswith(name))]
        if len(near) == 1:
            pairs[i] = near[0]
    return pairs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | st.tuples(st.text("市区县鼓楼政府办", min_size=1, max_size=8), st.integers(2019, 2022)),
                max_size=12))
def test_pair_agrees_with_the_plain_rule(keys):
    assert pair(keys) == _pair_by_scanning(keys)


def test_unknown_profile_is_a_usage_error_before_any_report(tmp_path):
    out = tmp_path / "audit.json"
    code, _, err = audit(BATCH, "--profile", "nope", "--format", "json", "-o", out)
    assert code == 2 and "没有名为 nope 的规则包" in err and not out.exists()


def test_piece_spool_rotates_and_the_reader_deletes_what_it_has_read(tmp_path):
    from gkcheck.batch.worker import Spool

    writer, reader = Spool(str(tmp_path), "pieces", rotate_at=10), Spool(str(tmp_path), "pieces")
    slots = [writer.write(f"piece {i};".encode()) for i in range(5)]  # 8–9 bytes each: a new file every 2
    assert len({s[0] for s in slots}) == 3
    for i, slot in enumerate(slots):
        assert reader.read(slot) == f"piece {i};".encode()
        reader.release_older(slot)
    assert sorted(os.listdir(tmp_path)) == [slots[-1][0]]  # only the file still being written is left
    writer.close()
    reader.close()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rotated_piece_spool_gives_the_same_output(tmp_path, monkeypatch, jobs):
    import gkcheck.batch.worker as worker

    code, plain, _ = audit(BATCH, "--format", "json", "--jobs", jobs)
    monkeypatch.setattr(worker, "PIECES_ROTATE_AT", 1)  # every piece in a file of its own
    code_rotated, rotated, _ = audit(BATCH, "--format", "json", "--jobs", jobs)
    assert (code, plain) == (code_rotated, rotated)


def test_json_text_of_a_lone_surrogate_is_still_utf8():
    from gkcheck.output.json_format import dumps

    text = dumps({"title": "某局\ud800"}, 2)
    text.encode("utf-8")  # would raise if the surrogate were written raw
    assert json.loads(text) == {"title": "某局\ud800"}


def _register_alone_probe():
    """A check kind that fails when the report has no predecessor (report.previous)."""
    from gkcheck.checks import KINDS, register
    from gkcheck.result import Outcome

    class Alone:
        PARAMS = {"type": "object", "properties": {"kind": {}}}

        @staticmethod
        def compile(params):
            def run(report):
                return Outcome.failed([{"text": "无上年报告"}]) if report.previous is None else Outcome.passed()
            return run

    register("alone_probe", Alone)
    return KINDS


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_guess_is_kept_only_without_a_predecessor_and_a_dropped_guess_leaves_no_mark(tmp_path, jobs, monkeypatch):
    # Phase 1 audits every report as if unpaired (a guess). The 2021 report's guess fails the
    # probe and uses the waiver; pairing then finds 2020, the report is checked again and
    # passes: the waiver must be reported unused, and the output be what it is without guesses.
    from gkcheck.batch import pool

    kinds = _register_alone_probe()
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "probe.yaml").write_text(PROBE_RULES.replace("probe.previous", "probe.alone")
                                      .replace("previous_probe", "alone_probe"), "utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - {rule: probe.alone, report: '*2021.yaml', reason: 试点, approver: 办公室, "
                       "expires: '2099-12-31'}\n", "utf-8")
    docs = []
    try:
        for guess in (True, False):
            monkeypatch.setattr(pool.Guessing, "on", property(lambda self, g=guess: g))
            out = tmp_path / f"{guess}.json"
            code, _, _ = audit(PAIR_2021, TWO[0], PAIR_2020, "--rules", rules, "--profile", "probe", "--format",
                               "json", "--jobs", jobs, "--waivers", waivers, "-o", out)
            doc = json.loads(out.read_text("utf-8"))
            docs.append({k: v for k, v in doc.items() if k != "run"})
    finally:
        kinds.pop("alone_probe", None)
    assert docs[0] == docs[1]
    doc = docs[0]
    assert [e["results"][0]["status"] for e in doc["reports"]] == ["pass", "fail", "fail"]
    assert [w["rule"] for w in doc["unused_waivers"]] == ["probe.alone"] and code == 0  # info: no failure


def test_guessing_stops_when_many_reports_have_their_previous_year():
    from gkcheck.batch.pool import Guessing

    g = Guessing()
    for i in range(100):  # one year's reports: guesses hold
        g.add((f"局{i}", 2024))
    assert g.on
    for i in range(40):  # the year before of 40 of them: most guesses would be thrown away
        g.add((f"局{i}", 2023))
    assert not g.on
    g = Guessing()
    for i in range(10):
        g.add((f"局{i}", 2024))
        g.add((f"局{i}", 2023))
    assert g.on  # too few read to judge


def _freeze_count(_task) -> int:
    import gc

    return gc.get_freeze_count()


def test_workers_start_with_the_parents_objects_frozen_and_the_parent_is_not_left_frozen(tmp_path):
    """Forked workers hold the parent's objects outside the collector's generations (their
    collections neither walk them nor copy their pages); the parent's own collector is as it was."""
    import gc

    from gkcheck.batch.workers import Workers

    config = {"rules_dirs": (), "profile": [], "overrides": None, "fmt": "json", "fmt_options": {},
              "spool_dir": str(tmp_path), "policy": None, "limits": None}
    assert gc.get_freeze_count() == 0
    pool = Workers(2, config, {"frozen": _freeze_count}, 4, None)
    try:
        counts = list(pool.imap("frozen", range(4), lambda *_: None))
    finally:
        pool.close()
    assert gc.get_freeze_count() == 0
    assert len(counts) == 4 and min(counts) > 1000


def test_each_file_is_read_ahead_before_a_worker_reads_it(tmp_path, monkeypatch):
    """Phase 1 asks the kernel to read each file ahead as its task is handed out, in input
    order, and never after the worker has read it."""
    from gkcheck.batch import Batch, Sink, pool, run
    from gkcheck.batch.json_stream import Writer
    from gkcheck.output.summary import Tally
    from gkcheck.util import files as files_module
    from gkcheck.util.limits import MB, limit

    files = [str(shutil.copy(FIXTURES / "reports" / "000_e4dc1900c1ebf750.txt", tmp_path / f"r{i}.txt")) for i in range(3)]
    events = []
    monkeypatch.setattr(files_module, "prefetch", lambda path, most: events.append(("ahead", path, most)))
    read = pool.PHASES["read"]
    monkeypatch.setitem(pool.PHASES, "read", lambda task: events.append(("read", task[1])) or read(task))
    with (tmp_path / "audit.json").open("wb") as fh:
        run(Batch(files, jobs=1, timeout=0), Sink(Writer(fh), Tally()))
    ahead = [e for e in events if e[0] == "ahead"]
    assert ahead == [("ahead", f, limit("max_input_mb") * MB) for f in files]
    assert all(events.index(("ahead", f, ahead[0][2])) < events.index(("read", f)) for f in files)


def test_read_ahead_opens_only_regular_files(tmp_path, monkeypatch):
    """A named pipe gives its bytes once: opening it to read ahead would take them (or wake the
    writer and break its pipe), so only regular files are opened, and only as a hint."""
    from gkcheck.util import files as files_module

    if files_module._WILLNEED is None:
        pytest.skip("no posix_fadvise here")
    advised = []
    monkeypatch.setattr(files_module.os, "posix_fadvise", lambda fd, offset, length, advice: advised.append(length))
    report = tmp_path / "r.json"
    report.write_text("{}", "utf-8")
    fifo = tmp_path / "r.fifo"
    os.mkfifo(fifo)
    files_module.prefetch(str(fifo), 10)
    files_module.prefetch(str(tmp_path / "missing.json"), 10)
    assert advised == []
    files_module.prefetch(str(report), 10)
    assert advised == [10]

"""Report text attacks every output format: markup (<script>, </textarea>), spreadsheet formulas
(=HYPERLINK), terminal escapes (set the title, clear the screen), bidi overrides, newlines and
NUL, in the agency name, the title, the evidence, the section path and the file name.

text, github and junit show control characters as escapes; github annotations stay one line
each; JSON and SARIF keep the text exactly (and SARIF stays valid); CSV cells never start a
formula; the HTML dashboard keeps it all as text (in headless Chromium too). And -o never
leaves a half-written file where a good one was."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from tests.conftest import ROOT, SEED

HOSTILE = ("安平县<script>document.title='PWNED'</script></textarea>=HYPERLINK(\"http://evil.example\",\"点我\")"
           "\x1b]0;pwned\x07\x1b[2J\x1b[31m\u202e\u2066局\n第二行\r\x00\x85\u009b")
FILE_NAME = "=HYPERLINK(1)<script>\x1b[2J\u202e\n报告.yaml"
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # all but the newline
SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))

REPORT = f"""year: 2021
agency: {{name: {json.dumps(HOSTILE)}, kind: department, level: county}}
title: {json.dumps(HOSTILE + "2021年政府信息公开工作年度报告")}
published: 2022-01-20
period: {{start: 2021-01-01, end: 2021-12-31}}
sections:
  - {{number: 一、, heading: 总体情况, text: {json.dumps(HOSTILE)}}}
"""
ECHO_RULES = """pack: {id: echo, title: 回显}
rules:
  - id: echo.text
    title: 回显报告文字
    severity: error
    basis: {instrument: 《测试办法》, article: 第一条, confirmed: true}
    message: {zh: "报告文字：{name}"}
    check: {kind: echo_text}
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A report directory with the hostile report, and a rule that echoes its text as evidence."""
    from gkcheck.checks import KINDS, register
    from gkcheck.result import Outcome

    class Echo:
        PARAMS = {"type": "object", "properties": {"kind": {}}}

        @staticmethod
        def compile(params):
            def run(report):
                evidence = [{"text": report.agency.get("name"), "location": {"section": HOSTILE, "line": 2}},
                            {"text": report.data.get("title")}]
                return Outcome.failed(evidence, {"section": HOSTILE, "line": 2}, name=report.agency.get("name"))
            return run

    register("echo_text", Echo)
    root = tmp_path_factory.mktemp("hostile")
    (root / "reports").mkdir()
    (root / "reports" / FILE_NAME).write_text(REPORT, "utf-8")
    (root / "rules").mkdir()
    (root / "rules" / "echo.yaml").write_text(ECHO_RULES, "utf-8")
    yield root
    KINDS.pop("echo_text", None)


def run(root, *args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stdout + result.stderr
    return result


def check(root, fmt):
    return run(root, "check", root / "reports" / FILE_NAME, "--rules", root / "rules", "--profile", "echo",
               "--format", fmt)


def audit(root, fmt, *more):
    return run(root, "audit", root / "reports", "--rules", root / "rules", "--profile", "echo", "--format", fmt,
               "--no-progress", "--jobs", "1", *more)


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_terminal_formats_show_control_characters_as_escapes(hostile, fmt):
    result = check(hostile, fmt)
    assert result.exit_code == 1
    out = result.stdout
    assert not RAW_CONTROL.search(out) and not RAW_CONTROL.search(result.stderr)
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in out and "\\u202e" in out and "\\n第二行\\r\\x00\\x85\\x9b" in out


def test_github_annotations_stay_one_line_each(hostile):
    lines = check(hostile, "github").stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert len(lines) == 1 and "%0A依据：" in lines[0] and ",line=2," in lines[0]


def test_junit_is_valid_xml(hostile):
    root = ET.fromstring(check(hostile, "junit").stdout)
    failure = root.find("testsuite/testcase/failure")
    assert "\\x1b]0;pwned" in failure.get("message") and "<script>" in failure.get("message")


def test_json_and_sarif_keep_the_text_exactly(hostile):
    doc = json.loads(check(hostile, "json").stdout)
    entry = doc["reports"][0]
    assert entry["report"]["agency"]["name"] == HOSTILE and entry["source"].endswith(FILE_NAME)
    assert entry["results"][0]["evidence"][0]["text"] == HOSTILE
    sarif = json.loads(check(hostile, "sarif").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    result = sarif["runs"][0]["results"][0]
    assert result["properties"]["evidence"][0]["text"] == HOSTILE
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}


@pytest.mark.parametrize("findings", [False, True])
def test_csv_cells_never_start_a_formula(hostile, findings):
    out = audit(hostile, "csv", *(["--findings"] if findings else [])).stdout
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("=HYPERLINK" in c for c in cells)  # the file name (and, for findings, the evidence)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) or re.fullmatch(r"[+-]?\d+(\.\d+)?", cell)


def test_audit_text_and_stderr_are_terminal_safe(hostile):
    for args in (("text",), ("text", "--details"), ("json",)):
        result = audit(hostile, *args)
        assert not RAW_CONTROL.search(result.stderr)
        if args[0] == "text":
            assert not RAW_CONTROL.search(result.stdout) and "\\x1b[2J" in result.stdout


def test_dashboard_keeps_markup_as_text(hostile, tmp_path):
    page = tmp_path / "audit.html"
    audit(hostile, "html", "-o", page)
    html = page.read_text("utf-8")
    assert "<script>document.title" not in html and "</textarea>" not in html
    assert "&lt;/textarea&gt;" in html and html.count("<script") == 2
    from tests.test_dashboard import CHROMIUM, chromium

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    dom, console = chromium(page, "", tmp_path)
    assert console == []
    import lxml.html

    root = lxml.html.fromstring(dom)
    assert root.xpath("//title")[0].text == "政府信息公开工作年度报告批量检查"
    assert len(root.xpath("//script")) == 2 and root.xpath("//textarea") == []
    assert "=HYPERLINK(" in root.text_content()


# --- -o never leaves a half-written file --------------------------------------------------------

def test_check_interrupted_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("good old output", "utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)  # after the new text is written, before the rename
    result = CliRunner().invoke(cli, ["check", str(SEED), "--format", "json", "-o", str(out), "--force"])
    assert result.exit_code != 0
    assert out.read_text("utf-8") == "good old output" and os.listdir(tmp_path) == ["out.json"]


def test_audit_failing_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    import gkcheck.batch.json_stream as json_stream

    out = tmp_path / "out.json"
    out.write_text("good old output", "utf-8")
    real = json_stream.Writer.add

    def disk_full(self, text):
        if self.count:
            raise OSError(28, "No space left on device")
        real(self, text)

    monkeypatch.setattr(json_stream.Writer, "add", disk_full)
    reports = ROOT / "fixtures" / "batch"
    result = CliRunner().invoke(cli, ["audit", str(reports), "--format", "json", "-o", str(out), "--force",
                                      "--no-progress", "--jobs", "1"])
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert out.read_text("utf-8") == "good old output" and os.listdir(tmp_path) == ["out.json"]

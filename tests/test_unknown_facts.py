"""What cannot be read is said, with the reason and the option that supplies it — never guessed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from tests.conftest import FIXTURES

FORMS = FIXTURES / "forms"


@pytest.fixture(autouse=True)
def _no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no gkcheck.yaml from the developer's tree


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_text_output_names_the_reason_and_the_option():
    result = invoke("check", FORMS / "kinds/office-undecided.txt")
    assert "未能确定机关类型：“X县人民政府办公室”可能发布本机关（政府部门）的报告" in result.stdout
    assert "可用 --agency-kind 指定" in result.stdout
    assert "未能确定发布日期：" in result.stdout and "可用 --published 指定" in result.stdout


def test_json_carries_the_unknown_facts_and_an_option_clears_them():
    path = FORMS / "preambles/we-bureau-only.txt"
    report = json.loads(invoke("check", path, "--format", "json").stdout)["reports"][0]["report"]
    assert report["agency"]["name"] == "（未知机关）" and report["agency"]["kind"] == "department"
    assert set(report["unknown"]) == {"agency", "agency_level", "published"}
    assert "“我局”" in report["unknown"]["agency"] and "--agency" in report["unknown"]["agency"]
    given = json.loads(invoke("check", path, "--format", "json", "--agency", "X县审计局", "--agency-level", "county",
                              "--published", "2023-01-20").stdout)["reports"][0]["report"]
    assert given["unknown"] == {}


def test_no_year_exits_2_naming_the_option():
    result = invoke("check", FORMS / "years/none.txt")
    assert result.exit_code == 2
    assert "无法确定报告年度" in result.output and "--year" in result.output


def test_a_known_report_has_nothing_unknown():
    report = json.loads(invoke("check", FORMS / "portal/box-html-table.html", "--format", "json").stdout)
    assert report["reports"][0]["report"]["unknown"] == {}

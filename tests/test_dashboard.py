"""The HTML dashboard: self-contained, loads without console errors in headless Chromium, filters
from the URL, and report text with <script> or onerror= stays text."""

import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from tests.conftest import FIXTURES

BATCH = FIXTURES / "batch"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                    "(apt-get install chromium; .ci/run installs it)")

TITLE_XSS = "<script>document.title='PWNED'</script>"
ATTR_XSS = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
EVIL = f"""year: 2021
agency: {{name: "平安县</td><script>document.title='PWNED2'</script>财政局", kind: department, level: county}}
title: {json.dumps(TITLE_XSS + "平安县" + ATTR_XSS + "2021年政府信息公开工作年度报告", ensure_ascii=False)}
published: 2022-01-20
period: {{start: 2021-01-01, end: 2021-12-31}}
sections:
  - {{number: 一、, heading: 总体情况, text: 全年主动公开政府信息100条。}}
"""
ECHO_RULES = """pack: {id: probe, title: 测试}
rules:
  - id: probe.echo
    title: 标题中没有脚本
    severity: error
    basis: {instrument: 《测试办法》, article: 第一条, confirmed: true}
    message: {zh: 标题里有脚本}
    check: {kind: echo_title}
"""


def _register_echo():
    from gkcheck.checks import KINDS, register
    from gkcheck.result import Outcome

    class Echo:
        PARAMS = {"type": "object", "properties": {"kind": {}}}

        @staticmethod
        def compile(params):
            def run(report):
                title = report.data.get("title") or ""
                if "<script>" in title:
                    return Outcome.failed([{"text": title, "location": {"section": ATTR_XSS}}])
                return Outcome.passed()
            return run

    register("echo_title", Echo)
    return KINDS


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """audit.html and audit.json of: a pair (pass + fail), an unreadable file, a report full of markup."""
    kinds = _register_echo()
    try:
        root = tmp_path_factory.mktemp("dash")
        reports = root / "reports"
        shutil.copytree(BATCH / "市政府办公厅", reports / "city")
        shutil.copy(BATCH / "county" / "pingan-2021.txt", reports / "pingan-2021.txt")
        (reports / "broken.json").write_text("{", "utf-8")
        (reports / "evil.yaml").write_text(EVIL, "utf-8")
        (reports / "<img src=x onerror=alert(1)>.yaml").write_text("year: 2021\n", "utf-8")  # a hostile file name
        rules = root / "rules"
        rules.mkdir()
        (rules / "probe.yaml").write_text(ECHO_RULES, "utf-8")
        out = {}
        for fmt in ("html", "json"):
            out[fmt] = root / f"audit.{fmt}"
            result = CliRunner().invoke(cli, ["audit", str(reports), "--rules", str(rules), "--format", fmt,
                                              "-o", str(out[fmt]), "--no-progress", "--jobs", "1"])
            assert result.exit_code == 2, result.output
        yield out["html"], json.loads(out["json"].read_text("utf-8"))
    finally:
        kinds.pop("echo_title", None)


def chromium(page, suffix="", tmp_path=None):
    """The DOM after the page's scripts ran, and the console lines Chromium logged."""
    profile = tmp_path / "chromium-profile"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri() + suffix],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


def visible(dom):
    import lxml.html

    root = lxml.html.fromstring(dom)
    reps = root.xpath("//tbody[contains(concat(' ', @class, ' '), ' rep ')]")
    return [r for r in reps if r.get("hidden") is None], reps, root


def test_self_contained_and_escaped(dashboard):
    page, doc = dashboard
    html = page.read_text("utf-8")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:|//)""", html, re.I)  # no network
    assert "<link" not in html and "@import" not in html and "@media print" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.count("<script") == 2  # the JSON data block and the page's own script
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html and "<img" not in html
    meta = re.search(r"<script type='application/json' id='gk-meta'>(.*?)</script>", html).group(1)
    assert "<" not in meta and json.loads(meta)["reports"] == doc["summary"]["reports"]


def test_streamed_page_equals_render_of_the_document(dashboard):
    from gkcheck.output import render

    page, doc = dashboard
    assert render("html", doc) == page.read_text("utf-8")


@needs_chromium
def test_loads_without_console_errors(dashboard, tmp_path):
    page, doc = dashboard
    dom, console = chromium(page, tmp_path=tmp_path)
    assert console == []
    shown, reps, root = visible(dom)
    assert len(reps) == len(shown) == doc["summary"]["reports"] == 6
    assert root.xpath("//*[@id='shown']")[0].text == "6" and root.xpath("//*[@id='total']")[0].text == "6"


@needs_chromium
@pytest.mark.parametrize("suffix,expect", [
    ("#verdict=fail", lambda r: r["verdict"] == "fail"),
    ("#verdict=error", lambda r: r["verdict"] == "error"),
    ("#verdict=pass", lambda r: r["verdict"] == "pass"),
    ("#rule=probe.echo", lambda r: any(x["rule"] == "probe.echo" and x["status"] == "fail" for x in r["results"])),
    ("#level=county&verdict=fail", lambda r: r["verdict"] == "fail" and r["report"]["agency"]["level"] == "county"),
    ("#year=2020", lambda r: r["report"] and r["report"]["year"] == 2020),
    ("?verdict=fail", lambda r: r["verdict"] == "fail"),
])
def test_filters_from_the_url(dashboard, tmp_path, suffix, expect):
    page, doc = dashboard
    dom, console = chromium(page, suffix, tmp_path)
    assert console == []
    shown, _, root = visible(dom)
    wanted = {f"r{i}" for i, r in enumerate(doc["reports"]) if expect(r)}
    assert wanted and {tb.get("id") for tb in shown} == wanted
    assert root.xpath("//*[@id='shown']")[0].text == str(len(wanted))


@needs_chromium
def test_injected_markup_does_not_run(dashboard, tmp_path):
    page, doc = dashboard
    dom, console = chromium(page, "#rule=probe.echo", tmp_path)
    assert console == []  # nothing was even attempted (the CSP would have logged a refusal)
    shown, _, root = visible(dom)
    assert root.xpath("//title")[0].text == "政府信息公开工作年度报告批量检查"
    assert root.xpath("//body")[0].get("data-pwned") is None
    assert root.xpath("//img") == [] and len(root.xpath("//script")) == 2
    (evil,) = shown
    text = evil.text_content()
    assert TITLE_XSS in text and ATTR_XSS in text and "document.title='PWNED2'" in text
    # The drill-down carries the finding with its legal basis and evidence.
    assert "《测试办法》第一条" in text and "标题里有脚本" in text

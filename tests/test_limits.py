"""The limits on what one input may cost: each is declared once (gkcheck.util.limits), has an option
and a configuration key, and past it the input gets exit 2 (audit: an error verdict) with one
line naming the limit and the option that raises it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.util import limits
from tests.test_extract_bad_input import TEMPLATE, make_pdf

TITLE = "<p>安平县财政局2021年政府信息公开工作年度报告</p><p>一、总体情况</p>"


@pytest.fixture(autouse=True)
def _defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no gkcheck.yaml from the developer's tree
    yield
    limits.configure(None)


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def pdf_pages(n: int) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(n)).encode()
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
                     *pages])


def html_table(rows: int, cols: int, attrs: str = "") -> bytes:
    row = "<tr>" + "<td>1</td>" * cols + "</tr>"
    return f"<html><body>{TITLE}<table><tr><td{attrs}>项目</td><td>数</td></tr>{row * rows}</table></body></html>".encode()


def docx_with_body(size: int) -> bytes:
    """The blank-template .docx with its document.xml padded (compresses to almost nothing)."""
    src = zipfile.ZipFile(TEMPLATE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<!--" + b" " * size + b"--></w:body>")
            z.writestr(item.filename, data)
    return out.getvalue()


def deep_json(levels: int) -> bytes:
    section = '{"heading": "一、总体情况", "text": "无。"}'
    for _ in range(levels):
        section = '{"heading": "一、总体情况", "text": "无。", "sections": [' + section + "]}"
    return ('{"year": 2021, "agency": {"name": "某局"}, "sections": [' + section + "]}").encode()


# (file name, content, the option, a value of it that lets the input through, a word of the message)
CASES = [
    ("big.txt", ("安平县2021年政府信息公开工作年度报告\n" + "一" * 400_000).encode(), "--max-input-mb", "2", "文件大小"),
    ("pages.pdf", pdf_pages(12), "--max-pdf-pages", "20", "PDF 页数"),
    ("cells.html", html_table(300, 80), "--max-table-cells", "30000", "表格的单元格数（301 行 ×"),
    ("colspan.html", html_table(2, 2, " colspan='1500'"), "--max-span", "2000", "单元格的 colspan 为 1500"),
    ("rowspan.html", html_table(2, 2, " rowspan='100000000'"), "--max-span", "100000000", "rowspan"),
    ("inflated.docx", docx_with_body(3 * 2**20), "--max-inflated-mb", "4", "Word 正文解压后的大小"),
    ("deep.json", deep_json(60), "--max-depth", "200", "结构的嵌套层数"),
    ("deep.html", f"<html><body>{TITLE}{'<div>' * 150}x{'</div>' * 150}</body></html>".encode(), "--max-depth", "200",
     "HTML 元素的嵌套层数"),
]
LOWERED = {"big.txt": ("--max-input-mb", "1"), "pages.pdf": ("--max-pdf-pages", "10"),
           "inflated.docx": ("--max-inflated-mb", "1")}


@pytest.mark.parametrize("name, data, option, enough, words", CASES, ids=[c[0] for c in CASES])
def test_past_a_limit_is_exit_2_naming_limit_and_option(tmp_path, name, data, option, enough, words):
    path = tmp_path / name
    path.write_bytes(data)
    lowered = LOWERED.get(name, ())
    result = invoke("check", path, *lowered)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"gkcheck: 错误: {path}: ") and words in lines[0] and option in lines[0]
    key = option[2:].replace("-", "_")
    assert f"配置项 {key}" in lines[0] and "超过上限" in lines[0]
    # raised by the option (the last one given counts), the limit no longer stops the input
    again = invoke("check", path, *lowered, option, enough)
    assert "超过上限" not in again.stderr and "Traceback" not in again.stderr


def test_limits_from_the_configuration_file_and_in_audit(tmp_path):
    (tmp_path / "pages.pdf").write_bytes(pdf_pages(12))
    (tmp_path / "gkcheck.yaml").write_text("max_pdf_pages: 10\n", "utf-8")
    result = invoke("audit", "pages.pdf", "--format", "json", "--jobs", "1")
    entry = json.loads(result.stdout)["reports"][0]
    assert result.exit_code == 2 and entry["verdict"] == "error" and "--max-pdf-pages" in entry["error"]
    shown = invoke("config").stdout
    assert "max_pdf_pages    10    ← gkcheck.yaml: max_pdf_pages" in shown and "timeout" in shown
    result = invoke("audit", "pages.pdf", "--format", "json", "--jobs", "2", "--max-pdf-pages", "12")
    assert "超过上限" not in json.loads(result.stdout)["reports"][0]["error"]


def test_extract_takes_the_limit_options(tmp_path):
    (tmp_path / "pages.pdf").write_bytes(pdf_pages(12))
    result = invoke("extract", "pages.pdf", "--max-pdf-pages", "3")
    assert result.exit_code == 2 and "PDF 页数为 12 页，超过上限 3 页" in result.stderr


def test_bad_limit_values_are_usage_errors(tmp_path):
    assert invoke("check", "x.txt", "--max-depth", "5000").exit_code == 2
    (tmp_path / "gkcheck.yaml").write_text("max_table_cells: lots\n", "utf-8")
    result = invoke("config")
    assert result.exit_code == 2 and "max_table_cells" in result.stderr


def test_yaml_nesting_and_alias_bombs_are_the_inputs_fault(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("year: 2021\nsections: " + "[" * 3000 + "]" * 3000 + "\n", "utf-8")
    bomb = tmp_path / "bomb.yaml"
    levels = ["a0: &a0 [" + ",".join(["x"] * 10) + "]"]
    levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    bomb.write_text("\n".join(levels) + "\n", "utf-8")
    for path, words in ((deep, "结构的嵌套层数超过上限 100 层"), (bomb, "YAML 别名")):
        result = invoke("check", path)
        assert result.exit_code == 2 and words in result.stderr and "内部错误" not in result.stderr


def test_caches_of_report_text_keep_only_short_texts():
    """Cell texts and labels are cached across reports; a long one is computed each time and not
    kept, so hostile reports cannot fill a worker's memory through the caches."""
    from gkcheck.tables.cells import parse_cell
    from gkcheck.tables.labels import clean_text
    from gkcheck.util.memo import LONGEST, text_cache

    calls = []

    @text_cache(8)
    def upper(text, other=None):
        calls.append(text)
        return text.upper()

    @text_cache(8, texts=(1, 2))
    def joined(sep, a, b=None):
        calls.append(a)
        return sep.join([a, b or ""])

    assert upper("ab") == upper("ab") == "AB" and calls == ["ab"]
    long = "x" * (LONGEST + 1)
    assert upper(long) == upper(long) == long.upper() and calls.count(long) == 2
    assert upper.cache_info().currsize == 1
    assert joined("/", "a") == joined("/", "a") == "a/" and calls.count("a") == 1
    assert joined("/", "a", long) == joined("/", "a", long) and calls.count("a") == 3  # any long text argument
    assert joined.cache_info().currsize == 1
    for cached, text in ((clean_text, "表 " * 5_000), (parse_cell, "1" * 5_000)):
        before = cached.cache_info().currsize
        cached(text)
        assert cached.cache_info().currsize == before

"""The draft 通报 (--format docx): read back with python-docx; its headings, table and figures
checked against the JSON of the same audit; GB/T 9704 page and fonts; LibreOffice converts it."""

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.output import notice
from tests.conftest import FIXTURES

docx = pytest.importorskip("docx")

INPUTS = [FIXTURES / "reports", FIXTURES / "batch"]


def audit(*args):
    result = CliRunner().invoke(cli, ["audit", "--no-progress", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docx")
    audit(*INPUTS, "--format", "json", "-o", tmp / "audit.json")
    code, _, err = audit(*INPUTS, "--format", "docx", "-o", tmp / "通报.docx")
    assert code == 2, err
    return json.loads((tmp / "audit.json").read_text("utf-8")), docx.Document(tmp / "通报.docx"), tmp / "通报.docx"


def texts(document):
    return [p.text for p in document.paragraphs]


def test_title_headings_and_placeholders(both):
    _doc, document, _path = both
    paras = texts(document)
    assert paras[0] == "关于2011—2024年度政府信息公开工作年度报告检查情况的通报（草稿）"
    for heading in ("一、总体情况", "二、存在的主要问题", "三、各单位检查情况", "四、下一步工作"):
        assert heading in paras
    assert "〔请填写：整改要求、整改时限、复查安排等。〕" in paras and "〔主送机关〕：" in paras


def test_overview_figures_from_the_json(both):
    doc, document, _path = both
    paras = texts(document)
    overview = paras[paras.index("一、总体情况") + 1]
    entries = [e for e in doc["reports"] if e["verdict"] != "error"]
    late = [e for e in entries if any(r["rule"].startswith("deadline.") and r["status"] == "fail"
                                      for r in e["results"])]
    unknown = [e for e in entries if not any(r["rule"].startswith("deadline.") and r["status"] != "not_applicable"
                                             for r in e["results"])]
    scores = [e["score"]["total"] for e in entries]
    s = doc["summary"]
    assert f"年度报告{s['reports']}份" in overview
    assert f"按时发布{len(entries) - len(late) - len(unknown)}份，未按时发布{len(late)}份，{len(unknown)}份未注明发布日期" in overview
    assert f"检查通过{s['pass']}份，未通过{s['fail']}份" in overview and f"另有{s['error']}份文件无法检查" in overview
    assert f"平均{sum(scores) / len(scores):.1f}分，最高{max(scores):.1f}分，最低{min(scores):.1f}分" in overview


def test_common_problems_are_the_most_failed_errors_and_warnings(both):
    doc, document, _path = both
    paras = texts(document)
    part = paras[paras.index("二、存在的主要问题") + 1: paras.index("三、各单位检查情况")]
    counts: dict = {}
    for e in doc["reports"]:
        for r in e["results"]:
            if r["status"] == "fail" and r["severity"] != "info":
                counts.setdefault(r["rule"], [r["title"], 0, r["basis"]])[1] += 1
    top = sorted(counts.items(), key=lambda x: (-x[1][1], x[0]))[:notice.TOP_PROBLEMS]
    assert len(part) == len(top) + 1 and part[-1].startswith("（六）提示性问题。")
    for text, (rule, (title, n, _basis)) in zip(part, top):
        assert f"不符合“{title}”的要求。{n}份报告存在此问题" in text
        assert "依据：《" in text and "如：" in text
        first = next(e for e in doc["reports"] if any(r["rule"] == rule and r["status"] == "fail" for r in e["results"]))
        assert f"{first['report']['agency']['name']}{first['report']['year']}年度报告" in text  # named by default


def test_anonymised_examples(tmp_path):
    out = tmp_path / "通报.docx"
    audit(*INPUTS, "--format", "docx", "-o", out, "--anonymise")
    paras = texts(docx.Document(out))
    part = " ".join(paras[paras.index("二、存在的主要问题"): paras.index("三、各单位检查情况")])
    assert "某县级人民政府2023年度报告" in part and "洪泽区人民政府2023" not in part


def test_table_of_every_report_by_score(both):
    doc, document, _path = both
    table = document.tables[0]
    head = [c.text for c in table.rows[0].cells]
    assert head == list(notice.TABLE_COLUMNS)
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == doc["summary"]["reports"]
    scored = [e for e in doc["reports"] if e["verdict"] != "error"]
    ranked = sorted(scored, key=lambda e: -e["score"]["total"])
    assert [r[3] for r in body[:len(ranked)]] == [f"{e['score']['total']:.1f}" for e in ranked]
    assert [r[4] for r in body[len(ranked):]] == ["无法检查"] * doc["summary"]["error"]
    assert [r[0] for r in body] == [str(i) for i in range(1, len(body) + 1)]


def test_page_and_fonts_after_gb_t_9704(both):
    _doc, document, path = both
    section = document.sections[0]
    mm = 36000  # EMU
    assert (round(section.page_width / mm), round(section.page_height / mm)) == (210, 297)
    assert (round(section.top_margin / mm), round(section.left_margin / mm)) == (37, 28)
    assert round((section.page_width - section.left_margin - section.right_margin) / mm) == 156
    assert round((section.page_height - section.top_margin - section.bottom_margin) / mm) == 225
    title = document.paragraphs[0].runs[0]
    assert title.font.size.pt == 22 and title.font.name == "方正小标宋简体"
    body = document.paragraphs[3].runs[0]
    assert body.font.size.pt == 16 and body.font.name == "仿宋_GB2312"
    east_asian = body._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asian == "仿宋_GB2312"
    import zipfile

    assert not [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/fonts/")]  # named, not embedded


def test_hostile_text_stays_text(tmp_path):
    report = (FIXTURES / "batch" / "市政府办公厅" / "2021.yaml").read_text("utf-8")
    report = report.replace("安平市政府办公厅", "\"<w:p>安平\\f市</w:p>&amp;\"", 1)
    (tmp_path / "r.yaml").write_text(report, "utf-8")
    out = tmp_path / "通报.docx"
    code, _, err = audit(tmp_path / "r.yaml", "--format", "docx", "-o", out)
    assert code in (0, 1), err
    cells = [c.text for row in docx.Document(out).tables[0].rows for c in row.cells]
    assert "<w:p>安平 市</w:p>&amp;" in cells


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_libreoffice_converts_it_to_pdf(both, tmp_path):
    _doc, _document, path = both
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "通报.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    import pypdfium2

    pages = pypdfium2.PdfDocument(str(pdf))
    first = pages[0]
    width, height = first.get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    text = "".join(pages[i].get_textpage().get_text_range() for i in range(len(pages)))
    assert "通报（草稿）" in text.replace("\r", "").replace("\n", "") and "四、下一步工作" in text

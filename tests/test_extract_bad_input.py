"""Inputs that are not readable reports: exit 2 with the file and the reason, never a wrong audit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from gkcheck.cli import cli
from gkcheck.errors import InputError
from gkcheck.extract import read_report

ROOT = Path(__file__).parents[1]
HUAIAN = ROOT / "fixtures/reports/huaian-city-gov-2024.pdf"
TEMPLATE = ROOT / "fixtures/reports/format-2021-blank-template.docx"


def make_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A minimal PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PAGE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
ENCRYPTED = make_pdf(
    [*PAGE, b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"],
    b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ")
NO_TEXT = make_pdf(PAGE)  # what a scan looks like to a text extractor: pages, no characters


def zipped(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


CASES = {
    "scan.pdf": (NO_TEXT, "无法读取此格式"),
    "locked.pdf": (ENCRYPTED, "加密"),
    "cut.pdf": (HUAIAN.read_bytes()[:3000], "无法读取此 PDF"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "无法读取此格式"),
    "archive.docx": (zipped({"readme.txt": "hello"}), "不是 Word .docx"),
    "broken.docx": (TEMPLATE.read_bytes()[:4000], "压缩包已损坏"),
    "news.html": ("<html><head><title>今日要闻</title></head><body><p>今天天气晴。</p>"
                  "<p>市民出行注意防晒。</p></body></html>".encode(), "不是政府信息公开工作年度报告"),
    "mixed.txt": ("淮安市人民政府2024年政府信息公开工作年度报告\n一、总体情况\n".encode()
                  + "二、主动公开政府信息情况".encode("gbk") + "\n三、收到和处理\n".encode(), "编码混杂"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_report_refuses_with_reason(name):
    data, reason = CASES[name]
    with pytest.raises(InputError) as exc:
        read_report(name, data)
    assert reason in str(exc.value)
    assert str(exc.value).startswith(f"{name}: ")  # the message names the file


@pytest.mark.parametrize("name", ["scan.pdf", "locked.pdf", "archive.docx", "news.html", "mixed.txt"])
def test_extract_command_exits_2(tmp_path, name):
    data, reason = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 2
    assert reason in result.output and str(path) in result.output
    assert "Traceback" not in result.output


def test_a_short_html_report_is_still_a_report():
    page = "<html><body><h1>某某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>"
    report = read_report("ok.html", page.encode())
    assert report["year"] == 2023


def text_pdf(text: str) -> bytes:
    """A one-page PDF with a line of Helvetica text, made with PDFium itself."""
    import ctypes

    import pypdfium2 as pdfium
    from pypdfium2 import raw

    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    obj = raw.FPDFPageObj_NewTextObj(doc, b"Helvetica", ctypes.c_float(12))
    buf = (text + "\0").encode("utf-16-le")
    raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(buf), ctypes.POINTER(ctypes.c_ushort)))
    raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 50, 700)
    raw.FPDFPage_InsertObject(page, obj)
    raw.FPDFPage_GenerateContent(page)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_pdf_with_text_that_is_not_a_report():
    with pytest.raises(InputError) as exc:
        read_report("sales.pdf", text_pdf("Quarterly sales figures for the northern region"))
    assert "不是政府信息公开工作年度报告" in str(exc.value)


@pytest.mark.parametrize("data", [b"", b" ", b" \n\t\r\x0b\x0c  \n"])
def test_an_empty_or_blank_file_is_said_to_be_empty(data):
    with pytest.raises(InputError) as err:
        read_report("r.txt", data)
    assert "文件为空" in str(err.value) and "r.txt" in str(err.value)


@pytest.mark.parametrize("data", [b"\xc2\xa0", b"x", b"  \n1"])
def test_a_file_with_anything_but_ascii_blanks_is_read_not_refused_as_empty(data):
    assert isinstance(read_report("r.txt", data), dict)  # a no-break space is text, as bytes.strip() says

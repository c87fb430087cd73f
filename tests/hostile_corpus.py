"""A corpus of hostile inputs, made on the fly (no stored binaries), and the driver that runs it.

    python tests/hostile_corpus.py DIR            # write the corpus to DIR and print its size per form
    python tests/hostile_corpus.py --run DIR      # run it (as tests/test_hostile_corpus.py does) and print figures

Every input form (text, HTML, Word, PDF, YAML, JSON reports) and the files a user installs (rule
packs, gkcheck.yaml / pyproject.toml, waivers, baselines) get the same treatment: real files
from fixtures/ bit-flipped, truncated and spliced, random bytes, and hand-made attacks on the
reader (nesting bombs, alias and entity bombs, XXE, zip bombs, rowspan=100000000, page-tree
loops, terminal escapes in the text …). Generation is deterministic (a fixed seed).

The driver (--drive) runs a list of cases in one process under a memory limit, each through the
command line (`gkcheck check … -o out.json`), and prints a JSON line per case: exit code,
stderr, time, and whether the output file is whole.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
REPORTS = FIXTURES / "reports"
SEED_TXT = [REPORTS / "000_e4dc1900c1ebf750.txt", REPORTS / "pingtan-2019.txt", REPORTS / "pingtan-2021.txt"]
SEED_HTML = REPORTS / "shanghai-gov-office-2019.html"
SEED_PDF = [REPORTS / "hongze-district-gov-2023.pdf", REPORTS / "huaian-city-gov-2024.pdf"]
SEED_DOCX = REPORTS / "format-2021-blank-template.docx"
SEED_YAML = [FIXTURES / "batch" / "市政府办公厅" / "2020.yaml", FIXTURES / "batch" / "市政府办公厅" / "2021.yaml"]
SEED_RULES = FIXTURES / "example-pack" / "zhejiang.yaml"
CHECKED = REPORTS / "000_e4dc1900c1ebf750.txt"  # the report checked with hostile rules, config, waivers, baselines

FORMS = ("txt", "html", "docx", "pdf", "yaml", "json", "rules", "config", "waivers", "baseline")
TERMINAL = "\x1b]0;gkcheck 被攻破\x07\x1b[2J\x1b[31m\u202e\u2066"  # title, clear screen, colour, bidi


# ----------------------------------------------------------------------------- byte mutations

def flip(rnd: random.Random, data: bytes, bits: int) -> bytes:
    out = bytearray(data)
    for _ in range(bits):
        i = rnd.randrange(len(out))
        out[i] ^= 1 << rnd.randrange(8)
    return bytes(out)


def truncate(rnd: random.Random, data: bytes) -> bytes:
    return data[: rnd.randrange(1, len(data))]


def splice(rnd: random.Random, data: bytes) -> bytes:
    at = rnd.randrange(len(data))
    junk = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 200)))
    return data[:at] + junk + data[at + rnd.randrange(0, 50):]


def repeat_slice(rnd: random.Random, data: bytes) -> bytes:
    a = rnd.randrange(len(data))
    b = min(len(data), a + rnd.randrange(1, 400))
    return data[:a] + data[a:b] * rnd.randrange(2, 200) + data[b:]


MUTATIONS = (("flip1", lambda r, d: flip(r, d, 1)), ("flip8", lambda r, d: flip(r, d, 8)),
             ("flip64", lambda r, d: flip(r, d, 64)), ("cut", truncate), ("splice", splice),
             ("repeat", repeat_slice))


def mutants(rnd: random.Random, name: str, data: bytes, count: int):
    for i in range(count):
        label, fn = MUTATIONS[i % len(MUTATIONS)]
        yield f"{name}-{label}-{i}", fn(rnd, data)


def seeded(rnd: random.Random, seeds: dict[str, bytes], count: int):
    """Each seed as it is, and `count` mutants of it."""
    for name, data in seeds.items():
        yield name, data
        yield from mutants(rnd, name, data, count)


def random_bytes(rnd: random.Random, n: int) -> bytes:
    return bytes(rnd.randrange(256) for _ in range(n))


# ----------------------------------------------------------------------------- reports: text

def text_attacks(rnd: random.Random):
    seed = CHECKED.read_text("utf-8")
    title = "浙江省商务厅2016年政府信息公开工作年度报告"
    yield "terminal-escapes", seed.replace(title, title + TERMINAL).replace("规范依申请", "规范" + TERMINAL).encode()
    yield "c1-controls", seed.replace("。", "。\u009b2J\u0085").encode()
    yield "nul-bytes", seed.encode().replace("。".encode(), b"\0")
    yield "one-long-line", (title + "一、总体情况" + "本机关全年主动公开信息。" * 90_000).encode()
    yield "spaces", (title + "\n" + " " * 1_000_000 + "一、总体情况").encode()
    yield "blank-lines", (title + "\n" + "   \n" * 300_000).encode()
    yield "newlines", (title + "\n" * 1_000_000).encode()
    yield "headings", (title + "\n" + "一、" * 300_000).encode()
    yield "sub-headings", (title + "\n一、总体情况\n" + "(一)" * 200_000).encode()
    yield "items", (title + "\n一、总体情况\n" + "".join(f"{i % 99 + 1}. 事项\n" for i in range(100_000))).encode()
    yield "dates", (title + "\n" + "2016年1月1日至2016年12月31日。" * 40_000).encode()
    yield "cn-months", (title + "\n" + "二〇一六年二 月" * 100_000).encode()
    yield "attachments", (title + "\n" + "".join(f"附件{i}：统计表{i}\n" for i in range(60_000))).encode()
    yield "table-labels", (title + "\n" + "本年新收政府信息公开申请数量 自然人 行政复议 结果维持 总计 " * 20_000).encode()
    yield "digit-run", (title + "\n本年新收政府信息公开申请数量" + "1 " * 500_000).encode()
    yield "crlf-cr", seed.replace("\n", "\r").encode()
    yield "utf16le-nobom", seed.encode("utf-16-le")
    yield "utf16be-bom", b"\xfe\xff" + seed.encode("utf-16-be")
    yield "gbk", seed.encode("gbk", "replace")
    yield "mixed-encodings", seed[:2000].encode() + seed[2000:4000].encode("gbk", "replace") + seed[4000:].encode()
    yield "bom-then-gbk", b"\xef\xbb\xbf" + seed.encode("gbk", "replace")
    yield "invalid-utf8", seed.encode().replace("。".encode(), b"\xc0\xaf\xed\xa0\x80\xff")
    yield "zero-width", seed.replace("", "\u200b")[:60_000].encode()
    yield "line-separators", seed.replace("\n", "\u2028").encode()
    yield "fullwidth", seed.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}).encode()
    yield "long-title", (title * 5000 + "\n一、总体情况\n无。").encode()
    yield "empty", b""
    yield "whitespace", b" \n\t\r\n   "
    yield "bom-only", b"\xef\xbb\xbf"
    yield "one-char", b"x"
    yield "control-soup", bytes(range(32)) * 1000
    yield "html-in-text", ("<script>alert(1)</script>" + title + "\n=HYPERLINK(\"http://x\")\n" + seed).encode()
    for n in (10, 1000, 100_000):
        yield f"random-{n}", random_bytes(rnd, n)


def html_attacks(rnd: random.Random):
    head = "<html><head><meta charset='utf-8'></head><body><p>某局2021年政府信息公开工作年度报告</p><p>一、总体情况</p>"
    tail = "</body></html>"

    def page(body: str) -> bytes:
        return (head + body + tail).encode()

    def table(rows: int, cols: int, first: str = "<td>项目</td>") -> str:
        return "<table><tr>" + first + "<td>数</td></tr>" + ("<tr>" + "<td>1</td>" * cols + "</tr>") * rows + "</table>"

    yield "deep-div", page("<div>" * 100_000 + "x" + "</div>" * 100_000)
    yield "deep-table", page("<table><tr><td>" * 20_000 + "x" + "</td></tr></table>" * 20_000)
    yield "deep-inline", page("<span>" * 100_000 + "x")
    yield "rowspan-huge", page(table(3, 3, "<td rowspan='100000000'>项目</td>"))
    yield "colspan-huge", page(table(3, 3, "<td colspan='99999'>项目</td>"))
    yield "span-junk", page(table(3, 3, "<td rowspan='-1' colspan='abc'>项目</td>"))
    yield "span-zero", page(table(3, 3, "<td rowspan='0' colspan='0'>项目</td>"))
    yield "table-1e5-cells", page(table(1000, 100))
    yield "table-wide", page(table(2, 30_000))
    yield "many-tables", page(table(2, 2) * 3000)
    yield "nested-tables", page("<table><tr><td>" * 80 + "<table><tr><td>1</td><td>2</td></tr></table>"
                                + "</td></tr></table>" * 80)
    yield "entity-bomb", ("<!DOCTYPE html [<!ENTITY a '" + "x" * 100 + "'>" + "".join(
        f"<!ENTITY {c}{i} '&{c}{i - 1};&{c}{i - 1};&{c}{i - 1};&{c}{i - 1};'>".replace(f"&{c}0;", "&a;")
        for c in "b" for i in range(1, 30)) + "]>" + head + "&b29;" + tail).encode()
    yield "xxe", ("<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>" + head + "&x;"
                  + tail).encode()
    yield "script-style", page("<script>" + "var a=1;" * 100_000 + "</script><style>" + "p{}" * 100_000 + "</style>")
    yield "charset-lies", page("<meta charset='utf-7'>+ADw-script+AD4-").replace(b"utf-8", b"gbk")
    yield "comment-unclosed", page("<!--" + "x" * 100_000)
    yield "cdata", page("<![CDATA[" + "]]>" * 1000)
    yield "huge-attribute", page("<p title='" + "x" * 2_000_000 + "'>a</p>")
    yield "many-attributes", page("<p " + " ".join(f"a{i}='1'" for i in range(50_000)) + ">a</p>")
    yield "terminal-title", page(f"<p>{TERMINAL}</p><meta name='ArticleTitle' content='某局\x1b]0;x\x07年度报告'>")
    yield "script-injection", page("<p>某局&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK(\"x\")</p>")
    yield "meta-pubdate", page("<meta name='PubDate' content='" + "2021-13-45 " * 10_000 + "'>")
    yield "processing-instructions", page("<?php system('id'); ?>" * 1000)
    yield "svg-iframe-form", page("<svg><script>alert(1)</script></svg><iframe src='//x'></iframe><form><input>"
                                  "<textarea>a</textarea></form>")
    yield "rows-outside-table", page("<tr><td>1</td></tr>" * 10_000)
    yield "unclosed-tags", page("<p><b><i><u>" * 20_000)
    yield "xml-decl-encoding", ("<?xml version='1.0' encoding='ucs-4'?>" + head + tail).encode()
    yield "utf16-html", (head + tail).encode("utf-16")
    yield "html-with-nul", page("a\0b" * 1000)
    yield "fragment", b"<td>1</td>"
    yield "only-doctype", b"<!DOCTYPE html>"


# ----------------------------------------------------------------------------- reports: Word

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with(document, extra: dict | None = None, flag: int = 0, stored: bool = False) -> bytes:
    """The template .docx with another word/document.xml (bytes, or a list of chunks: a big body
    is deflated as it is written, never held whole), or none."""
    src = zipfile.ZipFile(SEED_DOCX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                if document is None:
                    continue
                data = document
            info = zipfile.ZipInfo(item.filename, item.date_time)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.flag_bits |= flag if item.filename == "word/document.xml" else 0
            with z.open(info, "w") as fh:
                for chunk in ([data] if isinstance(data, bytes) else data):
                    fh.write(chunk)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def padded_body(mb: int) -> list[bytes]:
    """A document.xml of about `mb` MB (mostly spaces in a comment), as chunks."""
    head, tail = body("<!--").split(b"<!--")
    return [head + b"<!--", *[b" " * 2**20] * mb, b"-->" + tail]


def body(xml: str) -> bytes:
    return (f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{W}'><w:body>"
            "<w:p><w:r><w:t>某局2021年政府信息公开工作年度报告</w:t></w:r></w:p>" + xml + "</w:body></w:document>").encode()


def wtable(rows: int, cols: int, first: str = "") -> str:
    cell = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    return ("<w:tbl><w:tr><w:tc>" + first + "<w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>" + cell + "</w:tr>"
            + ("<w:tr>" + cell * cols + "</w:tr>") * rows + "</w:tbl>")


def lying_size(data: bytes, name: str = "word/document.xml", size: int = 1000) -> bytes:
    """The archive with the declared uncompressed size of `name` replaced (a zip bomb's trick)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    return data.replace(struct.pack("<I", info.file_size), struct.pack("<I", size))


def docx_attacks(rnd: random.Random):
    seed = zipfile.ZipFile(SEED_DOCX).read("word/document.xml")
    yield "xxe", seed.replace(b"?>", b"?><!DOCTYPE w:document [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>", 1) \
        .replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>", 1)
    bomb = "".join(f"<!ENTITY l{i} '&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};'>" for i in range(1, 12))
    yield "entity-bomb", seed.replace(b"?>", f"?><!DOCTYPE w:document [<!ENTITY l0 'lol'>{bomb}]>".encode(), 1) \
        .replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&l11;</w:t></w:r></w:p>", 1)
    yield "deep-xml", body("<w:sdt><w:sdtContent>" * 100_000 + "</w:sdtContent></w:sdt>" * 100_000)
    yield "deep-sdt", body("<w:sdt><w:sdtContent>" * 200 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 200)
    yield "not-xml", b"\x00\x01 not xml <<<"
    yield "empty-xml", b""
    yield "no-body", f"<w:document xmlns:w='{W}'/>".encode()
    yield "gridspan-huge", body(wtable(3, 3, "<w:tcPr><w:gridSpan w:val='100000'/></w:tcPr>"))
    yield "gridbefore-huge", body(wtable(3, 3).replace("<w:tr>", "<w:tr><w:trPr><w:gridBefore w:val='1000000000'/>"
                                                                  "</w:trPr>", 1))
    yield "vmerge-chain", body("<w:tbl>" + ("<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc>"
                                             "</w:tr>") * 20_000 + "</w:tbl>")
    yield "table-1e5-cells", body(wtable(1000, 100))
    yield "nested-tables", body("<w:tbl><w:tr><w:tc>" * 60 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 60)
    yield "terminal-text", body(f"<w:p><w:r><w:t>{TERMINAL}</w:t></w:r></w:p>")
    yield "many-paragraphs", body("<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>" * 100_000)


def docx_inputs(rnd: random.Random):
    seed = SEED_DOCX.read_bytes()
    yield from seeded(rnd, {"zip": seed}, 24)
    for name, xml in docx_attacks(rnd):
        yield name, docx_with(xml)
    yield "no-document", docx_with(None)
    yield "encrypted-flag", docx_with(zipfile.ZipFile(SEED_DOCX).read("word/document.xml"), flag=0x1)
    yield "zip-bomb", docx_with(padded_body(200))
    yield "zip-bomb-lying-header", lying_size(docx_with(padded_body(70)))
    yield "many-members", docx_with(zipfile.ZipFile(SEED_DOCX).read("word/document.xml"),
                                    {f"x/{i}.xml": b"<a/>" for i in range(5000)})
    yield "zip-in-zip", docx_with(None, {"word/document.xml.zip": seed})
    yield "stored-big", docx_with(body("<w:p><w:r><w:t>" + "字" * 2_000_000 + "</w:t></w:r></w:p>"), stored=True)
    yield "not-a-zip", b"PK\x03\x04" + random_bytes(rnd, 2000)
    yield "empty-zip", b"PK\x05\x06" + b"\0" * 18


# ----------------------------------------------------------------------------- reports: PDF

def make_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    from tests.test_extract_bad_input import make_pdf as pdf

    return pdf(objects, trailer)


def stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def page_pdf(content: bytes, media: bytes = b"[0 0 595 842]", extra: bytes = b"") -> bytes:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Contents 4 0 R "
                     b"/Resources << /Font << /F1 5 0 R >> >> " + extra + b">>", stream(content), font])


def ruled_grid(n: int) -> bytes:
    lines = [b"0.5 w"]
    for i in range(n + 1):
        y, x = 800 - i * (700 / n), 50 + i * (500 / n)
        lines.append(b"50 %.2f m 550 %.2f l S" % (y, y))
        lines.append(b"%.2f 100 m %.2f 800 l S" % (x, x))
    return b"\n".join(lines)


def pdf_attacks(rnd: random.Random):
    text = b"BT /F1 12 Tf 50 700 Td (Annual report of the open government information) Tj ET"
    yield "text-page", page_pdf(text)
    yield "terminal-text", page_pdf(b"BT /F1 12 Tf 50 700 Td (\x1b]0;owned\x07\x1b[2J " + b"x" * 40 + b") Tj ET")
    yield "many-text-ops", page_pdf(b"BT /F1 4 Tf " + b"(a) Tj 1 0 Td " * 60_000 + b"ET")
    yield "ruled-150", page_pdf(ruled_grid(150) + b"\n" + text)
    yield "ruled-1600-segments", page_pdf(ruled_grid(800))
    yield "huge-mediabox", page_pdf(text, b"[0 0 1e9 1e9]")
    yield "negative-mediabox", page_pdf(text, b"[0 0 -595 -842]")
    yield "rotated", page_pdf(text, extra=b"/Rotate 45 ")
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(1000))
    yield "pages-1000", make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                  b"<< /Type /Pages /Kids [" + kids + b"] /Count 1000 >>"]
                                 + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * 1000)
    yield "count-lie", make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>",
                                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])
    yield "page-tree-loop", make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                                      b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"])
    yield "deep-array", make_pdf([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
                                  b"<< /Type /Pages /Kids [] /Count 0 >>"])
    yield "huge-length", page_pdf(text).replace(b"/Length %d" % len(text), b"/Length 99999999999")
    yield "no-pages", make_pdf([b"<< /Type /Catalog >>"])
    yield "garbage-xref", b"%PDF-1.7\n" + random_bytes(rnd, 5000) + b"\nstartxref\n9\n%%EOF\n"
    yield "header-only", b"%PDF-1.4\n"
    yield "encrypted", make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                                 b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"],
                                trailer=b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ")
    yield "flate-bomb", page_pdf(b"").replace(b"<< /Length 0 >>", b"<< /Length 1000 /Filter /FlateDecode >>")


# ----------------------------------------------------------------------------- structured reports

def yaml_attacks(rnd: random.Random):
    seed = SEED_YAML[0].read_text("utf-8")
    yield "alias-bomb", ("a0: &a0 [" + ",".join(["lol"] * 9) + "]\n" + "".join(
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))).encode()
    yield "alias-bomb-in-sections", (seed.split("sections:")[0] + "x: &x {heading: a, text: b}\n"
                                     + "s1: &s1 [" + ",".join(["*x"] * 10) + "]\n"
                                     + "".join(f"s{i}: &s{i} [" + ",".join([f"{{heading: a, sections: *s{i - 1}}}"] * 10)
                                               + "]\n" for i in range(2, 9))
                                     + "sections: *s8\n").encode()
    yield "recursive-alias", (seed.split("sections:")[0] + "sections: &s [{heading: a, text: b, sections: *s}]\n").encode()
    yield "python-object", b"year: !!python/object/apply:os.system ['echo owned']\n"
    yield "python-name", b"agency: !!python/name:os.system\n"
    yield "python-module", b"!!python/module:os\n"
    yield "binary-tag", b"title: !!binary aGVsbG8=\n"
    yield "unknown-tag", b"title: !custom {a: 1}\n"
    yield "merge-keys", (seed + "\nbase: &b {heading: x}\nmore: {<<: *b, text: y}\n").encode()
    yield "deep-flow", ("year: 2020\nsections: " + "[" * 100_000 + "]" * 100_000 + "\n").encode()
    yield "deep-sections", (seed.split("sections:")[0] + "sections: " + "[{heading: a, sections: " * 120 + "[]"
                            + "}]" * 120 + "\n").encode()
    yield "many-sections", (seed.split("sections:")[0] + "sections:\n"
                            + "".join(f"  - {{heading: 第{i}节, text: 无。}}\n" for i in range(20_000))).encode()
    yield "duplicate-keys", (seed + "\nyear: 1999\nyear: 2099\n").encode()
    yield "huge-int", seed.replace("year: 2020", "year: " + "9" * 5000).encode()
    yield "inf-nan", seed.replace("year: 2020", "year: .inf\nscore: .nan").encode()
    yield "float-overflow", seed.replace("year: 2020", "year: 1e999").encode()
    yield "control-chars", seed.replace("安平市人民政府办公厅", f'"安平\\e]0;x\\a{TERMINAL}"', 1).encode()
    yield "surrogate-escape", seed.replace("title: ", 'title: "\\ud800"\nx: ', 1).encode()
    yield "tabs", seed.replace("  ", "\t").encode()
    yield "multi-document", (seed + "\n---\n" + seed).encode()
    yield "huge-string", seed.replace("见表格。", "字" * 3_000_000).encode()
    yield "not-a-mapping", b"- 1\n- 2\n"
    yield "scalar", b"just text\n"
    yield "null", b"~\n"
    yield "wrong-types", seed.replace("year: 2020", "year: [2020]").encode()
    yield "date-impossible", seed.replace("2021-01-25", "2021-02-30").encode()
    yield "invalid-utf8", seed.encode() + b"\xff\xfe\xfd"
    yield "utf16", seed.encode("utf-16")


def json_attacks(rnd: random.Random):
    seed = json.loads(json.dumps(_yaml(SEED_YAML[0]), default=str))
    text = json.dumps(seed, ensure_ascii=False)
    yield "deep-array", ("[" * 100_000 + "]" * 100_000).encode()
    yield "deep-object", ('{"a":' * 100_000 + "1" + "}" * 100_000).encode()
    yield "deep-in-report", text.replace('"sections": [', '"sections": [' + '{"heading": "a", "sections": [' * 400
                                         + "]}" * 400 + ",", 1).encode()
    yield "float-overflow", text.replace('"year": 2020', '"year": 1e999').encode()
    yield "nan", text.replace('"year": 2020', '"year": NaN').encode()
    yield "infinity", text.replace('"year": 2020', '"year": -Infinity').encode()
    yield "big-int", text.replace('"year": 2020', '"year": ' + "9" * 5000).encode()
    yield "big-int-in-cell", text.replace('"year": 2020', '"year": 2020, "x": ' + "1" * 100_000).encode()
    yield "duplicate-keys", text.replace('"year": 2020', '"year": 2020, "year": "x"').encode()
    yield "lone-surrogate", text.replace('"title": "', '"title": "\\ud800', 1).encode()
    yield "raw-control-chars", text.replace("安平市", "安平\x1b]0;x\x07市", 1).encode()
    yield "escaped-control-chars", text.replace("安平市", "安平\\u001b]0;x\\u0007\\u202e市", 1).encode()
    yield "trailing-comma", text.replace("}", ",}", 1).encode()
    yield "bom", b"\xef\xbb\xbf" + text.encode()
    yield "utf16", text.encode("utf-16")
    yield "top-level-array", b"[1, 2, 3]"
    yield "string", b'"report"'
    yield "wrong-types", text.replace('"year": 2020', '"year": "2020"').encode()
    yield "many-sections", json.dumps({**seed, "sections": [{"heading": f"第{i}节", "text": "无。"} for i in range(50_000)]},
                                      ensure_ascii=False).encode()
    yield "huge-string", json.dumps({**seed, "title": "字" * 3_000_000}, ensure_ascii=False).encode()
    yield "many-keys", ("{" + ",".join(f'"k{i}": {i}' for i in range(200_000)) + "}").encode()
    yield "garbage-after", (text + "\n" + "x" * 1000).encode()


def _yaml(path: Path):
    import yaml

    return yaml.safe_load(path.read_text("utf-8"))


def structured_inputs(rnd: random.Random, form: str):
    seeds = [p.read_bytes() for p in SEED_YAML]
    if form == "json":
        seeds = [json.dumps(_yaml(p), ensure_ascii=False, default=str, indent=2).encode() for p in SEED_YAML]
    yield from seeded(rnd, {f"seed{i}": seed for i, seed in enumerate(seeds)}, 20)
    yield from (yaml_attacks if form == "yaml" else json_attacks)(rnd)
    for n in (10, 10_000):
        yield f"random-{n}", random_bytes(rnd, n)


# ----------------------------------------------------------------------------- installed files

RULE = """pack: {{id: hostile, title: 测试}}
rules:
  - id: hostile.rule
    title: 测试
    severity: warning
    basis: {{instrument: 测试, confirmed: false}}
    message: {{zh: 测试}}
    check: {check}
"""


def rule_inputs(rnd: random.Random):
    seed = SEED_RULES.read_bytes()
    yield from seeded(rnd, {"seed": seed}, 16)
    for name, check in [("expr-pow", '{kind: expression, expr: "9 ** 9 ** 9 ** 9 > 0"}'),
                        ("expr-dunder", '{kind: expression, expr: "().__class__.__bases__[0].__subclasses__()"}'),
                        ("expr-import", "{kind: expression, expr: \"__import__('os').system('id')\"}"),
                        ("expr-lambda", '{kind: expression, expr: "(lambda: 1)()"}'),
                        ("expr-deep", '{kind: expression, expr: "' + "(" * 5000 + "1" + ")" * 5000 + '"}'),
                        ("expr-long", '{kind: expression, expr: "' + "1 + " * 20_000 + '1"}'),
                        ("expr-attribute", '{kind: expression, expr: "year.real"}'),
                        ("expr-comprehension", '{kind: expression, expr: "[x for x in T2]"}'),
                        ("expr-string-mult", "{kind: expression, expr: \"'a' * 10 ** 12\"}"),
                        ("bad-regex", "{kind: presence, name: x, topics: ['(']}"),
                        ("unknown-kind", "{kind: no_such_kind}"),
                        ("wrong-params", "{kind: presence, name: [1, 2]}"),
                        ("terminal-in-message", "{kind: presence, name: '\\e]0;x\\a', topics: [a]}")]:
        yield name, RULE.format(check=check).encode()
    yield "alias-bomb", next(v for k, v in yaml_attacks(rnd) if k == "alias-bomb")
    yield "python-object", b"pack: !!python/object/apply:os.system ['echo owned']\nrules: []\n"
    yield "deep", ("pack: {id: x, title: y}\nrules: " + "[" * 50_000 + "]" * 50_000 + "\n").encode()
    yield "huge", RULE.format(check="{kind: presence, name: x, topics: [" + ",".join(["a"] * 100_000) + "]}").encode()
    yield "not-utf8", seed.decode("utf-8").encode("gbk", "replace")
    yield "empty", b""
    yield "random", random_bytes(rnd, 3000)


def config_inputs(rnd: random.Random):
    good = b"fail_on: warning\nmax_pdf_pages: 50\ntimeout: 10\n"
    yield from seeded(rnd, {"seed": good}, 10)
    cases = {
        "unknown-key": b"no_such_key: 1\n", "wrong-type": b"fail_on: [error]\n", "limit-zero": b"max_depth: 0\n",
        "limit-negative": b"max_input_mb: -5\n", "limit-text": b"max_table_cells: lots\n",
        "limit-huge": b"max_depth: 1000000\n", "timeout-negative": b"timeout: -1\n", "float-overflow": b"timeout: 1e999\n",
        "alias-bomb": next(v for k, v in yaml_attacks(rnd) if k == "alias-bomb"),
        "python-object": b"format: !!python/object/apply:os.system ['echo owned']\n",
        "deep": ("disable: " + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
        "rules-dir-missing": b"rules_dirs: [/no/such/dir]\n", "rules-dir-is-file": b"rules_dirs: [/etc/hostname]\n",
        "waivers-dir": b"waivers: /\n", "baseline-empty": b"baseline: /dev/null\n",
        "severity-unknown-rule": b"severity: {no.such.rule: error}\n",
        "disable-no-reason": b"disable: [{rule: content.2007.fees}]\n",
        "terminal-escape": f'province: "{TERMINAL}"\n'.encode(), "not-utf8": "省份: 浙江\n".encode("gbk"),
        "empty": b"", "random": random_bytes(rnd, 2000),
    }
    yield from cases.items()
    toml = {"toml-good": b"[tool.gkcheck]\nfail_on = 'info'\n", "toml-invalid": b"[tool.gkcheck\nfail_on = \n",
            "toml-deep": b"[tool.gkcheck]\nx = " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
            "toml-inline-deep": b"[tool.gkcheck]\nx = " + b"{a = " * 5000 + b"1" + b"}" * 5000 + b"\n",
            "toml-big-int": b"[tool.gkcheck]\nmax_depth = " + b"9" * 5000 + b"\n",
            "toml-wrong": b"[tool.gkcheck]\nrules_dirs = 5\n", "toml-random": b"[tool.gkcheck]\n" + random_bytes(rnd, 500)}
    for name, data in toml.items():
        yield name, data


def waiver_inputs(rnd: random.Random):
    good = (b"waivers:\n  - rule: content.2007.application\n    report: '*.txt'\n    reason: x\n"
            b"    approver: y\n    expires: 2099-12-31\n")
    yield from seeded(rnd, {"seed": good}, 10)
    cases = {
        "bad-date": good.replace(b"2099-12-31", b"2019-02-30"), "date-type": good.replace(b"2099-12-31", b"[1]"),
        "glob-backtracking": good.replace(b"'*.txt'", b"'" + b"*a" * 60 + b"b'"),
        "glob-brackets": good.replace(b"'*.txt'", b"'[[[[[[]]]]]]*'"),
        "rule-glob-huge": good.replace(b"content.2007.application", b"*" * 100_000),
        "no-reason": good.replace(b"    reason: x\n", b""), "alias-bomb": next(v for k, v in yaml_attacks(rnd)
                                                                            if k == "alias-bomb"),
        "python-object": b"waivers: !!python/object/apply:os.system ['echo owned']\n",
        "deep": ("waivers: " + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
        "many": b"waivers:\n" + good.split(b"\n", 1)[1] * 10_000,
        "terminal-reason": good.replace(b"reason: x", f'reason: "{TERMINAL}"'.encode()),
        "year-huge": good.replace(b"    report: '*.txt'\n", b"    agency: x\n    year: " + b"9" * 5000 + b"\n"),
        "empty": b"", "random": random_bytes(rnd, 2000), "not-utf8": "waivers: 浙江\n".encode("utf-16"),
    }
    yield from cases.items()


def baseline_inputs(rnd: random.Random):
    good = json.dumps({"gkcheck_baseline": 1, "findings": [
        {"report": CHECKED.name, "rule": "content.2007.other", "fingerprint": "0" * 64}]}).encode()
    yield from seeded(rnd, {"seed": good}, 10)
    cases = {
        "version-true": good.replace(b": 1,", b": true,"), "version-float": good.replace(b": 1,", b": 1.0,"),
        "version-string": good.replace(b": 1,", b': "1",'), "findings-dict": good.replace(b'"findings": [', b'"findings": {"a": ['
                                                                                          ).replace(b"]}", b"]}}"),
        "entry-wrong": good.replace(b'"rule": "content.2007.other"', b'"rule": 5'),
        "deep": b'{"gkcheck_baseline": 1, "findings": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "big-int": good.replace(b": 1,", b": " + b"1" * 5000 + b","), "nan": good.replace(b": 1,", b": NaN,"),
        "many": json.dumps({"gkcheck_baseline": 1, "findings": [
            {"report": f"r{i}.txt", "rule": "x", "fingerprint": str(i)} for i in range(100_000)]}).encode(),
        "terminal": good.replace(b"content.2007.other", TERMINAL.encode("unicode_escape")),
        "lone-surrogate": good.replace(b"content.2007.other", b"\\ud800"),
        "empty": b"", "random": random_bytes(rnd, 2000), "utf16": good.decode().encode("utf-16"),
    }
    yield from cases.items()


# ----------------------------------------------------------------------------- the corpus

EXTENSION = {"txt": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf", "yaml": ".yaml", "json": ".json",
             "rules": ".yaml", "config": ".yaml", "waivers": ".yaml", "baseline": ".json"}


def inputs(form: str, rnd: random.Random):
    if form == "txt":
        yield from seeded(rnd, {p.stem: p.read_bytes() for p in SEED_TXT}, 14)
        yield from text_attacks(rnd)
    elif form == "html":
        yield from seeded(rnd, {"seed": SEED_HTML.read_bytes()}, 36)
        yield from html_attacks(rnd)
        yield "random", random_bytes(rnd, 5000)
    elif form == "docx":
        yield from docx_inputs(rnd)
    elif form == "pdf":
        yield from seeded(rnd, {p.stem: p.read_bytes() for p in SEED_PDF}, 18)
        yield from pdf_attacks(rnd)
        yield "random", b"%PDF-1.5\n" + random_bytes(rnd, 20_000)
    elif form in ("yaml", "json"):
        yield from structured_inputs(rnd, form)
    else:
        yield from {"rules": rule_inputs, "config": config_inputs, "waivers": waiver_inputs,
                    "baseline": baseline_inputs}[form](rnd)


def generate(directory: Path) -> list[dict]:
    """Write the corpus below `directory`; one case per input: {form, name, path}."""
    cases = []
    for form in FORMS:
        rnd = random.Random(f"gkcheck-hostile-{form}")
        d = directory / form
        d.mkdir(parents=True, exist_ok=True)
        for name, data in inputs(form, rnd):
            if form == "rules":  # a rule pack is a directory
                path = d / name / "pack.yaml"
            elif name.startswith("toml-"):  # configuration in a pyproject.toml
                path = d / name / "pyproject.toml"
            else:
                path = d / f"{name}{EXTENSION[form]}"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            cases.append({"form": form, "name": name, "path": str(path)})
    return cases


# ----------------------------------------------------------------------------- the driver

def command(case: dict, out: str) -> list[str]:
    """The gkcheck command line that reads this case's file."""
    form, path = case["form"], case["path"]
    if form in ("txt", "html", "docx", "pdf", "yaml", "json"):
        return ["check", path, "--format", "json", "-o", out]
    tail = ["--format", "json", "-o", out]
    if form == "rules":
        return ["check", str(CHECKED), "--rules", str(Path(path).parent), *tail]
    if form == "config":
        return ["check", str(CHECKED), "--config", path, *tail]
    return ["check", str(CHECKED), f"--{form}", path, *tail]


def drive(cases: list[dict], workdir: str) -> None:
    """Run each case through the command line in this process; print a JSON line per case."""
    import time
    import traceback

    from click.testing import CliRunner

    from gkcheck.cli import cli

    runner = CliRunner()
    for i, case in enumerate(cases):
        out_dir = Path(workdir) / f"out-{os.getpid()}-{i}"
        out_dir.mkdir()
        out = out_dir / "out.json"
        print(json.dumps({"start": case["path"]}), flush=True)
        args = command(case, str(out))
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            result = runner.invoke(cli, args, catch_exceptions=True)
            code, stdout, stderr = result.exit_code, result.stdout, result.stderr
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                stderr += "".join(traceback.format_exception(result.exception))
        except BaseException:  # noqa: BLE001 - whatever escapes is a finding
            code, stdout, stderr = -1, "", traceback.format_exc()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        files = sorted(os.listdir(out_dir))
        whole = None
        if out.exists():
            try:
                json.loads(out.read_text("utf-8"))
                whole = True
            except ValueError:
                whole = False
        print(json.dumps({**case, "args": args, "code": code, "stderr": stderr[-2000:], "stdout": stdout[-500:],
                          "wall": wall, "cpu": cpu, "files": files, "whole": whole}, ensure_ascii=False), flush=True)


def run(directory: Path, jobs: int = 2, memory_mb: int = 1536, budget: float = 600.0) -> list[dict]:
    """Generate the corpus in `directory` and run it in `jobs` driver processes, each under an
    address-space limit of memory_mb; a driver past `budget` seconds is killed and its case in
    progress recorded as hung."""
    import resource
    import subprocess
    import time

    cases = generate(directory / "corpus")
    chunks = [cases[i::jobs] for i in range(jobs)]
    work = directory / "work"
    work.mkdir()

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))

    procs = []
    for i, chunk in enumerate(chunks):
        listing = directory / f"cases-{i}.json"
        listing.write_text(json.dumps(chunk), "utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "GKCHECK_TODAY": "2024-06-01"}
        procs.append(subprocess.Popen([sys.executable, __file__, "--drive", str(listing), str(work)], cwd=str(work),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                      preexec_fn=limit))
    deadline = time.monotonic() + budget
    results = []
    for proc in procs:
        try:
            stdout, stderr = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
        started = None
        for line in stdout.splitlines():
            record = json.loads(line)
            if "start" in record:
                started = record["start"]
            else:
                results.append(record)
                started = None
        if started is not None:  # the driver died or hung on this case
            case = next(c for c in cases if c["path"] == started)
            results.append({**case, "code": -9, "stderr": f"driver ended ({proc.returncode}): {stderr[-2000:]}",
                            "stdout": "", "wall": budget, "cpu": budget, "files": [], "whole": None})
    return results


def figures(results: list[dict]) -> str:
    """Corpus size per form, results per class, the slowest inputs."""
    lines = [f"{'form':<10}{'inputs':>8}{'exit 0':>8}{'exit 1':>8}{'exit 2':>8}{'other':>8}{'max s':>8}"]
    for form in FORMS:
        rs = [r for r in results if r["form"] == form]
        count = {c: sum(1 for r in rs if r["code"] == c) for c in (0, 1, 2)}
        other = len(rs) - sum(count.values())
        lines.append(f"{form:<10}{len(rs):>8}{count[0]:>8}{count[1]:>8}{count[2]:>8}{other:>8}"
                     f"{max((r['wall'] for r in rs), default=0):>8.2f}")
    lines.append(f"{'total':<10}{len(results):>8}")
    lines.append("slowest: " + "; ".join(f"{r['form']}/{r['name']} {r['wall']:.2f} s (cpu {r['cpu']:.2f} s)"
                                         for r in sorted(results, key=lambda r: -r["wall"])[:5]))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # gkcheck and tests/ as packages, wherever this is started from
    if sys.argv[1] == "--drive":
        drive(json.loads(Path(sys.argv[2]).read_text("utf-8")), sys.argv[3])
    elif sys.argv[1] == "--run":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            print(figures(run(Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-" else Path(tmp))))
    else:
        made = generate(Path(sys.argv[1]))
        for form in FORMS:
            print(form, sum(1 for c in made if c["form"] == form))
        print("total", len(made))

"""Extracting documents: detect the input form by content and turn it into a structured report."""

from __future__ import annotations

import os
import re

from gkcheck.errors import InputError

_HTML_SNIFF = re.compile(rb"<(!doctype html|html|head|body|meta|div|p|table|span|br)[\s>/]", re.IGNORECASE)
_STRUCTURED_EXT = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def detect_form(data: bytes, path: str) -> str:
    """The input form, judged by content first and by the file name only to break ties."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    ext = os.path.splitext(path)[1].lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if ext in _STRUCTURED_EXT:
        return _STRUCTURED_EXT[ext]
    if stripped.startswith((b"{", b"[")) and ext not in (".txt", ".html", ".htm"):
        return "json"
    if _HTML_SNIFF.search(head):
        return "html"
    return "text"


def read_report(path: str, data: bytes | None = None) -> dict:
    """Read any supported file into a structured report dict (not yet overridden by the CLI)."""
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise InputError("文件为空", file=path)
    form = detect_form(data, path)
    if form == "doc":
        raise InputError("无法读取此格式：旧版 Word .doc 文件，请另存为 .docx 或 PDF", file=path)
    if form in ("yaml", "json"):
        from gkcheck.extract.decode import decode_bytes
        from gkcheck.report.load import parse_structured

        text, _ = _decode(path, data, decode_bytes)
        report = parse_structured(text, path, form)
        report.setdefault("source", {}).setdefault("form", form)
        report["source"].setdefault("path", path)
        return report
    if form == "html":
        from gkcheck.extract.html import read_html

        report = read_html(data, path)
        if not looks_like_report(report):
            raise InputError(NOT_A_REPORT, file=path)
        return report
    if form == "pdf":
        from gkcheck.extract.pdf import read_pdf

        return read_pdf(data, path)
    if form == "docx":
        from gkcheck.extract.docx import read_docx

        return read_docx(data, path)
    from gkcheck.extract.decode import decode_bytes
    from gkcheck.extract.text import build_report

    text, encoding = _decode(path, data, decode_bytes)
    return build_report(text, {"path": path, "form": "text", "encoding": encoding})


NOT_A_REPORT = "不是政府信息公开工作年度报告（没有找到年报标题、条例规定的章节或统计表）"
# Headings of the 2019/2021 format and of 2007-regime reports.
_SECTION_WORDS = re.compile(r"总体情况|概述|公开|行政复议|存在的主要问题|其他需要报告|收费")


def looks_like_report(report: dict) -> bool:
    """Conservative: False only when there is neither a report title, nor a section heading
    of the kind the 条例 requires, nor a standard table."""
    if report.get("title") or report.get("tables"):
        return True

    def headings(sections):
        for sec in sections or []:
            yield sec.get("heading") or ""
            yield from headings(sec.get("sections"))

    return any(_SECTION_WORDS.search(h) for h in headings(report.get("sections")))


def _decode(path, data, decode_bytes):
    from gkcheck.extract.decode import DecodeError

    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise InputError(f"无法读取此文件：{exc}", file=path) from None


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError("文件不存在", file=path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件（批量检查请用 gkcheck audit）", file=path) from None
    except OSError as exc:
        raise InputError(f"无法读取: {exc.strerror}", file=path) from None

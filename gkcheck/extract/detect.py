"""Which form an input is (by content first), and whether what was read looks like an annual report."""

from __future__ import annotations

import os
import re

from gkcheck.util import regex

_HTML_SNIFF = regex.compile(rb"<(!doctype html|html|head|body|meta|div|p|table|span|br)[\s>/]", re.IGNORECASE)
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


NOT_A_REPORT = "不是政府信息公开工作年度报告（没有找到年报标题、条例规定的章节或统计表）"
# Headings of the 2019/2021 format and of 2007-regime reports.
_SECTION_WORDS = regex.compile(r"总体情况|概述|公开|行政复议|存在的主要问题|其他需要报告|收费")


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

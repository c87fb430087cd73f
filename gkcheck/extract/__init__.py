"""Extracting documents: detect the input form by content and turn it into a structured report."""

from __future__ import annotations

import os

from gkcheck.errors import InputError
from gkcheck.extract.detect import NOT_A_REPORT, detect_form, looks_like_report

__all__ = ["NOT_A_REPORT", "detect_form", "looks_like_report", "read_bytes", "read_report", "reread_json"]


def read_report(path: str, data: bytes | None = None) -> dict:
    """Read any supported file into a structured report dict (not yet overridden by the CLI)."""
    try:
        return _read(path, data)
    except InputError as exc:
        if exc.file:
            raise
        # a limit found deep inside a reader (a table's size, a cell's span) names the file here
        raise InputError(exc.message, file=path, where=exc.where) from None


def reread_json(path: str, data: bytes | memoryview) -> dict:
    """What read_report gave for these bytes of a JSON report, which it has validated: parsed
    again, not validated again. A batch reads a JSON report's file again in its second phase
    (the same bytes, by their sha256) rather than keeping a copy of the report."""
    from gkcheck.report.load import parse_json_bytes

    report = parse_json_bytes(data, path, validate=False)
    if report is None:  # the standard parser read them the first time: so again, in full
        return read_report(path, bytes(data))
    return _sourced(report, path, "json")


def _sourced(report: dict, path: str, form: str) -> dict:
    report.setdefault("source", {}).setdefault("form", form)
    report["source"].setdefault("path", path)
    return report


def _read(path: str, data: bytes | None) -> dict:
    if data is None:
        data = read_bytes(path)
    if not data or data.isspace():  # as data.strip() would say, without copying the file
        raise InputError("文件为空", file=path)
    form = detect_form(data, path)
    if form == "doc":
        raise InputError("无法读取此格式：旧版 Word .doc 文件，请另存为 .docx 或 PDF", file=path)
    if form in ("yaml", "json"):
        from gkcheck.report.load import parse_json_bytes, parse_structured

        report = parse_json_bytes(data, path) if form == "json" else None
        if report is None:
            try:  # structured reports are written by programs, in UTF-8: no guessing needed
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                from gkcheck.extract.decode import decode_bytes

                text, _ = _decode(path, data, decode_bytes)
            report = parse_structured(text, path, form)
        return _sourced(report, path, form)
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


def _decode(path, data, decode_bytes):
    from gkcheck.extract.decode import DecodeError

    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise InputError(f"无法读取此文件：{exc}", file=path) from None


def read_bytes(path: str) -> bytes:
    """The file's bytes; a file beyond the input size limit is refused before it is read."""
    from gkcheck.util.limits import MB, exceeded, limit

    most = limit("max_input_mb") * MB
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > most:
                raise exceeded("max_input_mb", size, path)
            data = fh.read() if size else fh.read(most + 1)  # a pipe or device: no size to look at first
            if len(data) > most:
                raise exceeded("max_input_mb", len(data), path)
            return data
    except FileNotFoundError:
        raise InputError("文件不存在", file=path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件（批量检查请用 gkcheck audit）", file=path) from None
    except OSError as exc:
        raise InputError(f"无法读取: {exc.strerror}", file=path) from None

"""Word .docx report → structured report, with zipfile and lxml only.

python-docx would add a dependency for little: it does not expand merged cells into a
grid, and the body walk (paragraphs and tables in order, content controls, tracked
insertions but not deletions) is a few lines of lxml. Paragraphs become text lines,
each table a "[表格N]" line and a grid (w:gridSpan / w:vMerge expanded) for
gkcheck.tables, as for HTML.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO

from gkcheck.errors import InputError
from gkcheck.util.limits import MB, check_span, check_table, exceeded, limit

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LAYOUT_CELL_TEXT = 200
# What zipfile raises for a damaged archive: a bad header, bad deflate data (zlib.error), an
# unknown compression method, a size that does not add up.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error,
           NotImplementedError, RuntimeError)


def read_docx(data: bytes, path: str) -> dict:
    from gkcheck.extract.detect import NOT_A_REPORT, looks_like_report
    from gkcheck.extract.text import build_report, simplified_grids
    from gkcheck.tables import clean_text, collect_tables, overlay

    root = _document(data, path)
    body = root.find(f"{_W}body")
    if body is None:
        raise InputError("无法读取此 .docx：document.xml 中没有正文", file=path)
    walker = _Walker(clean_text)
    walker.blocks(body)
    report = build_report("\n".join(walker.lines), {"path": path, "form": "docx", "encoding": None})
    tables, notes = collect_tables(simplified_grids(report, walker.grids))
    report["tables"] = overlay(report.get("tables") or {}, tables)
    report.setdefault("notes", []).extend(notes)
    if not looks_like_report(report):
        raise InputError(NOT_A_REPORT, file=path)
    return report


def _document(data: bytes, path: str):
    from lxml import etree

    try:
        archive = zipfile.ZipFile(BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except _BROKEN:
        raise InputError("无法读取此 .docx：压缩包已损坏或不完整", file=path) from None
    except KeyError:
        raise InputError("无法读取此格式：这是一个 zip 压缩包，但不是 Word .docx 文件", file=path) from None
    if info.flag_bits & 0x1:
        raise InputError("无法读取此 .docx：文件已加密", file=path)
    most = limit("max_inflated_mb") * MB
    if info.file_size > most:
        raise exceeded("max_inflated_mb", info.file_size, path)
    try:
        with archive.open(info) as fh:
            # read(n) inflates at most n bytes; read() would inflate all the compressed data in
            # one go, whatever size the archive declares (a lying header is a zip bomb's trick)
            xml = fh.read(most + 1)
        if len(xml) > most:
            raise exceeded("max_inflated_mb", None, path)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(xml, parser)
    except _BROKEN:
        raise InputError("无法读取此 .docx：压缩包已损坏或不完整", file=path) from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"无法读取此 .docx：document.xml 不是有效的 XML（{exc}）", file=path) from None


class _Walker:
    """Body blocks in document order: paragraph lines, and "[表格N]" for each data table."""

    def __init__(self, clean_text):
        self.lines: list[str] = []
        self.grids: list[dict] = []
        self.clean = clean_text

    def blocks(self, parent) -> None:
        for el in parent:
            tag = el.tag
            if tag == f"{_W}p":
                self._line(_paragraph_text(el))
            elif tag == f"{_W}tbl":
                self._table(el)
            elif tag == f"{_W}sdt":  # content control: its content is body text
                content = el.find(f"{_W}sdtContent")
                self.blocks(content if content is not None else el)
            elif tag in (f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
                self.blocks(el)

    def _line(self, text: str) -> None:
        for part in text.split("\n"):
            part = re.sub(r"[ \t\u00a0\u3000]+", " ", part).strip()
            if part:
                self.lines.append(part)

    def _table(self, tbl) -> None:
        texts, origins = table_grid(tbl, self.clean)
        nested = sum(1 for _ in tbl.iter(f"{_W}tbl")) > 1  # iter() includes tbl itself
        if nested or not texts or max(len(r) for r in texts) < 2 or any(
                len(t) > _LAYOUT_CELL_TEXT for row in texts for t in row):
            # A layout table (the whole report inside a frame): its cells are read as text; a
            # table nested in a cell is read where it stands (by blocks), once.
            for tc in _own_cells(tbl):
                self.blocks(tc)
            return
        index = len(self.grids) + 1
        last = self.lines[-1] if self.lines else None
        title = last if last and len(last) <= 40 and not last.startswith("[表格") else None
        self.grids.append({"grid": texts, "origins": origins, "table_index": index, "title": title})
        self.lines.append(f"[表格{index}]")


def _own_cells(tbl):
    """The cells of this table's own rows (not those of tables nested in them)."""
    for tr in tbl:
        if tr.tag != f"{_W}tr":
            continue
        for tc in tr:
            if tc.tag == f"{_W}sdt":  # a content control around a cell
                tc = tc.find(f".//{_W}tc")
            if tc is not None and tc.tag == f"{_W}tc":
                yield tc


def _paragraph_text(p) -> str:
    """Visible text of a paragraph: runs, tabs and breaks; deleted text (w:delText) is skipped."""
    out = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen", f"{_W}sym"):
        if el.tag == f"{_W}t":
            out.append(el.text or "")
        elif el.tag == f"{_W}tab":
            out.append("\t")
        elif el.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif el.tag == f"{_W}noBreakHyphen":
            out.append("-")
    return "".join(out)


def _cell_text(tc, clean) -> str:
    parts = [_paragraph_text(p) for p in tc.iter(f"{_W}p")]
    return clean(" ".join(parts))


def _int(el, name: str, default: int, what: str) -> int:
    if el is None:
        return default
    m = re.match(r"\s*(\d+)", el.get(f"{_W}{name}") or "")
    return check_span(int(m.group(1)), what) if m else default


def table_grid(tbl, clean) -> tuple[list[list[str]], list[list[tuple | None]]]:
    """Expand gridSpan (columns) and vMerge (rows): (texts, origins), origins being the
    1-based (row, column) of the slot where each source cell starts."""
    slots: dict = {}
    width = 0
    rows = [tr for tr in tbl if tr.tag == f"{_W}tr"]
    for r, tr in enumerate(rows):
        trpr = tr.find(f"{_W}trPr")
        c = _int(trpr.find(f"{_W}gridBefore") if trpr is not None else None, "val", 0, "gridBefore")
        for tc in tr:
            if tc.tag == f"{_W}sdt":  # a content control around a cell
                tc = tc.find(f".//{_W}tc")
                if tc is None:
                    continue
            if tc.tag != f"{_W}tc":
                continue
            pr = tc.find(f"{_W}tcPr")
            span = max(_int(pr.find(f"{_W}gridSpan") if pr is not None else None, "val", 1, "gridSpan"), 1)
            if c + span > width:  # the grid grows: within max_table_cells, before the slots are filled
                check_table(len(rows), c + span)
            vmerge = pr.find(f"{_W}vMerge") if pr is not None else None
            above = slots.get((r - 1, c))
            if vmerge is not None and vmerge.get(f"{_W}val") != "restart" and above is not None:
                cell = above  # continues the merged cell above
            else:
                cell = (_cell_text(tc, clean), (r + 1, c + 1))
            for dc in range(span):
                slots[(r, c + dc)] = cell
            c += span
            width = max(width, c)
    texts = [[slots.get((r, c), ("", None))[0] for c in range(width)] for r in range(len(rows))]
    origins = [[slots.get((r, c), ("", None))[1] for c in range(width)] for r in range(len(rows))]
    return texts, origins

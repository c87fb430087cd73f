"""PDF report → structured report (pypdfium2: Apache-2.0/BSD-3, text with character boxes).

Characters are read with their positions. Tables come from the page's own ruling
lines (gkcheck.extract.pdf.ruled): a table continued on the next page is joined to its first
part. Text outside tables becomes lines (wrapped lines joined back into paragraphs,
page numbers dropped, the title lines of page 1 joined), with each table replaced by
"[表格N]", and goes through build_report like any text. Pages without rulings keep
their table text in the stream, where gkcheck.extract.flattened reads it.
"""

from __future__ import annotations

import ctypes
from itertools import pairwise

from gkcheck.errors import InputError
from gkcheck.extract.pdf.ruled import (
    Char,
    HLine,
    VLine,
    group_lines,
    line_text,
    regions,
)
from gkcheck.util import regex
from gkcheck.util.limits import exceeded, limit

_PAGE_NUMBER = regex.compile(r"^\s*(?:[-—–−]\s*\d{1,4}\s*[-—–−]|\d{1,4}|第\s*\d+\s*页.{0,8})\s*$")
_THIN = 2.5  # points: a path this thin is a ruling line
_MIN_TEXT_CHARS = 20
_TITLE_SCALE = 1.12


def read_pdf(data: bytes, path: str) -> dict:
    from gkcheck.extract.text import build_report, simplified_grids
    from gkcheck.tables import collect_tables, overlay

    pages = _load(data, path)
    if sum(len(p["chars"]) for p in pages) < _MIN_TEXT_CHARS:
        raise InputError("无法读取此格式：PDF 中没有可提取的文字（可能是扫描件），请先做文字识别（OCR）", file=path)
    items, grids = _layout(pages)
    lines, line_pages = _paragraphs(items)
    report = build_report("\n".join(lines), {"path": path, "form": "pdf", "encoding": None})
    _pages_of_text_locations(report, line_pages)
    tables, notes = collect_tables(simplified_grids(report, grids))
    text_tables = report.get("tables") or {}
    report["tables"] = overlay(text_tables, tables)
    for tid in text_tables:
        if tid in tables and report["tables"][tid] is tables[tid]:
            notes.append(f"{tid} 已从 PDF 表格线读出，文字流中的同一表格未采用")
    report.setdefault("notes", []).extend(notes)
    _require_report(report, path)
    return report


def _require_report(report: dict, path: str) -> None:
    from gkcheck.extract.detect import looks_like_report

    if not looks_like_report(report):
        raise InputError("不是政府信息公开工作年度报告（没有找到年报标题、条例规定的章节或统计表）", file=path)


# ----------------------------------------------------------------------------- reading


def _load(data: bytes, path: str) -> list[dict]:
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)  # pypdfium2 < 5 only says it in the message
        if code == raw.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise InputError("无法读取此 PDF：文件已加密，需要密码", file=path) from None
        if code == raw.FPDF_ERR_SECURITY or "security" in str(exc).lower():
            raise InputError("无法读取此 PDF：不支持的加密方式", file=path) from None
        raise InputError("无法读取此 PDF：文件损坏或不完整（可能下载被截断）", file=path) from None
    try:
        pages = len(doc)
        if pages > limit("max_pdf_pages"):
            raise exceeded("max_pdf_pages", pages, path)
        return [_page(doc, i, raw) for i in range(pages)]
    except pdfium.PdfiumError as exc:
        raise InputError(f"无法读取此 PDF：{exc}", file=path) from None
    finally:
        doc.close()


def _page(doc, index: int, raw) -> dict:
    page = doc[index]
    try:
        width, height = page.get_size()
        rotation = page.get_rotation() % 360
        view = _Viewer(width, height, rotation)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, view, index + 1, raw)
        finally:
            textpage.close()
        hlines, vlines = _rulings(page, view, raw)
    finally:
        page.close()
    return {"number": index + 1, "width": view.width, "height": view.height,
            "chars": chars, "hlines": hlines, "vlines": vlines}


class _Viewer:
    """Page space (y up, unrotated) → display space (y down, as the page is shown)."""

    def __init__(self, width: float, height: float, rotation: int):
        self.w, self.h, self.rot = width, height, rotation
        self.width, self.height = (height, width) if rotation in (90, 270) else (width, height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rot == 90:
            return y, x
        if self.rot == 180:
            return self.w - x, y
        if self.rot == 270:
            return self.h - y, self.w - x
        return x, self.h - y

    def box(self, left, bottom, right, top) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _chars(textpage, view: _Viewer, page: int, raw) -> list[Char]:
    out = []
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    rect = raw.FS_RECTF()
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code in (0, 0xFFFE, 0xFFFF) or chr(code).isspace():
            continue
        if not raw.FPDFText_GetCharBox(textpage, i, left, right, bottom, top):
            continue
        box = (left.value, bottom.value, right.value, top.value)
        # The loose box (font ascent/descent) gives even line heights and gaps, but some
        # producers' vertical text gets a huge one: then the glyph box is used.
        if raw.FPDFText_GetLooseCharBox(textpage, i, rect):
            size = max(box[2] - box[0], box[3] - box[1], 8.0)
            if rect.top - rect.bottom <= 2.5 * size and rect.right - rect.left <= 2.5 * size:
                box = (rect.left, rect.bottom, rect.right, rect.top)
        out.append(Char(chr(code), *view.box(*box), page))
    return out


def _rulings(page, view: _Viewer, raw) -> tuple[list[HLine], list[VLine]]:
    hlines: list[HLine] = []
    vlines: list[VLine] = []
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, l, b, r, t):
            continue
        x0, y0, x1, y1 = view.box(l.value, b.value, r.value, t.value)
        if y1 - y0 <= _THIN and x1 - x0 > _THIN:
            hlines.append(HLine((y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= _THIN and y1 - y0 > _THIN:
            vlines.append(VLine((x0 + x1) / 2, y0, y1))
        elif _stroked(obj, raw):
            _segments(obj, view, raw, hlines, vlines)
    return hlines, vlines


def _stroked(obj, raw) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    return bool(raw.FPDFPath_GetDrawMode(obj, fill, stroke)) and bool(stroke.value)


def _segments(obj, view: _Viewer, raw, hlines: list, vlines: list) -> None:
    """The straight edges of a stroked path (cell borders drawn as rectangles)."""
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, matrix):
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list = []  # display points; None between subpaths
    start = None
    for i in range(min(raw.FPDFPath_CountSegments(obj), 400)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = view.point(matrix.a * x.value + matrix.c * y.value + matrix.e,
                           matrix.b * x.value + matrix.d * y.value + matrix.f)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO:
            points.append(None)
            start = point
        points.append(point)
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            points.append(start)
    for a, c in pairwise(points):
        if a is None or c is None:
            continue
        if abs(a[1] - c[1]) <= 0.5 and abs(a[0] - c[0]) > _THIN:
            hlines.append(HLine(a[1], min(a[0], c[0]), max(a[0], c[0])))
        elif abs(a[0] - c[0]) <= 0.5 and abs(a[1] - c[1]) > _THIN:
            vlines.append(VLine(a[0], min(a[1], c[1]), max(a[1], c[1])))


# ----------------------------------------------------------------------------- layout


def _layout(pages: list[dict]) -> tuple[list[tuple], list[dict]]:
    """Items in reading order — ("line", page, chars) / ("table", page, index) — and grids."""
    from gkcheck.extract.pdf.ruled import grid

    items: list[tuple] = []
    tables = []  # [region, title]
    previous = None  # the last table of the previous page, if nothing followed it
    for page in pages:
        found = regions(page["hlines"], page["vlines"], page["number"])
        body = []
        for ch in page["chars"]:
            home = next((rg for rg in found if rg.contains(ch)), None)
            (home.chars if home else body).append(ch)
        found = [rg for rg in found if rg.chars]
        lines = [ln for ln in group_lines(body) if not _page_number(ln, page["height"])]
        page_items = [((ln[0].y0 + ln[-1].y1) / 2, "line", ln) for ln in lines]
        for rg in found:
            page_items.append((rg.y0, "table", rg))
        page_items.sort(key=lambda it: it[0])
        for pos, (_, kind, obj) in enumerate(page_items):
            if kind == "line":
                items.append(("line", page["number"], obj))
                continue
            if pos == 0 and previous is not None and _continues(previous, obj):
                previous.join(obj)
            else:
                title = _title_above(page_items, pos)
                tables.append([obj, title])
                items.append(("table", page["number"], len(tables)))
        last = page_items[-1] if page_items else None
        previous = (tables[-1][0] if last and last[1] == "table" else None)
    grids = []
    for index, (rg, title) in enumerate(tables, 1):
        texts, origins = grid(rg)
        grids.append({"grid": texts, "origins": origins, "table_index": index, "page": rg.page,
                      "title": title})
    return items, grids


def _continues(first, second) -> bool:
    """The table at the top of this page goes on from the one that ended the last page."""
    return abs(first.x0 - second.x0) <= 6 and abs(first.x1 - second.x1) <= 6


def _title_above(page_items: list, pos: int) -> str | None:
    if pos == 0 or page_items[pos - 1][1] != "line":
        return None
    text = line_text(page_items[pos - 1][2]).strip()
    return text if len(text) <= 40 else None


def _page_number(line: list[Char], height: float) -> bool:
    y = (line[0].y0 + line[0].y1) / 2
    return (y < height * 0.1 or y > height * 0.88) and bool(_PAGE_NUMBER.match(line_text(line)))


def _paragraphs(items: list[tuple]) -> tuple[list[str], list[int]]:
    """Text lines: wrapped lines joined into paragraphs, page 1's title lines into one."""
    body = [ln for kind, _, ln in items if kind == "line"]
    if not body:
        return [f"[表格{i}]" for kind, _, i in items if kind == "table"], [p for _, p, _ in items]
    size = _body_size(body)
    left = _mode(round(ln[0].x0) for ln in body)
    right = max(ln[-1].x1 for ln in body)
    out: list[str] = []
    pages: list[int] = []
    prev = None  # the previous line item, while a paragraph may go on
    in_title = True
    for kind, page, obj in items:
        if kind == "table":
            out.append(f"[表格{obj}]")
            pages.append(page)
            prev, in_title = None, False
            continue
        text = line_text(obj)
        height = obj[0].y1 - obj[0].y0
        title = in_title and page == items[0][1] and height >= size * _TITLE_SCALE
        if out and prev is not None and (title and prev[1] or _wraps(prev[0], obj, left, right, size)):
            out[-1] += text
        else:
            out.append(text)
            pages.append(page)
        in_title = in_title and title
        prev = (obj, title)
    return out, pages


def _wraps(prev: list[Char], line: list[Char], left: float, right: float, size: float) -> bool:
    """A line that goes on from a full previous line at the left margin (same size)."""
    return (prev[-1].x1 >= right - 2 * size and line[0].x0 <= left + 0.6 * size
            and abs((prev[0].y1 - prev[0].y0) - (line[0].y1 - line[0].y0)) < 0.3 * size)


def _body_size(lines: list) -> float:
    """The body text's line height: the one that carries the most characters."""
    weight: dict = {}
    for ln in lines:
        h = round(ln[0].y1 - ln[0].y0, 1)
        weight[h] = weight.get(h, 0) + len(ln)
    return max(weight, key=weight.get)


def _mode(values) -> float:
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda v: (counts[v], -v)) if counts else 0.0


def _pages_of_text_locations(report: dict, line_pages: list[int]) -> None:
    """Text locations (title, signature, cells read from the text stream) get their page."""

    def fix(loc):
        if isinstance(loc, dict) and loc.get("line") and "page" not in loc and loc["line"] <= len(line_pages):
            loc["page"] = line_pages[loc["line"] - 1]

    for loc in (report.get("locations") or {}).values():
        fix(loc)
    for table in (report.get("tables") or {}).values():
        for cell in table.get("cells", []):
            fix(cell.get("location"))

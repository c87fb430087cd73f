"""HTML report → structured report: narrative text plus the standard tables.

Pages are decoded here (never by the parser: a UTF-8 page without a charset
declaration must not be read as Latin-1), portal chrome is dropped, block elements
become lines and each data <table> becomes a line "[表格N]" in the text and a grid
for gkcheck.tables. lxml is imported only here.
"""

from __future__ import annotations

import re

from gkcheck.errors import InputError
from gkcheck.extract.meta import box_lines
from gkcheck.util import regex
from gkcheck.util.limits import check_span, check_table, exceeded, limit

_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "iframe", "select", "button",
              "svg", "canvas", "object", "embed", "input", "textarea")
# Class/id tokens of navigation chrome; dropped only when small and table-free.
_CHROME = {"nav", "navbar", "menu", "topnav", "mainnav", "breadcrumb", "breadcrumbs", "crumb",
           "crumbs", "share", "bdsharebuttonbox", "bdshare", "sharebox", "toolbar", "skip"}
_CHROME_MAX_TEXT = 300
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
          "table", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer",
          "blockquote", "pre", "dd", "dt", "dl", "center", "address", "form", "hr", "figure",
          "figcaption", "main", "aside", "body", "html"}
# A table holding the article itself (portal layout), not statistics: read as text.
_LAYOUT_CELL_TEXT = 200
_BOX_ROWS = 8
_META_NAMES = {n.lower(): n for n in (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
    "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
    "Url", "firstpublishedtime", "lastmodifiedtime", "publishdate", "pubtime")}
_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CJK = regex.compile(r"[\u4e00-\u9fff]")
_SPACES = regex.compile(r"[ \t\r\n\f\v\u00a0]+")
_SPAN = regex.compile(r"\s*(\d+)")


def read_html(data: bytes, path: str) -> dict:
    """Read an HTML page or fragment into a structured report dict."""
    from gkcheck.extract.decode import DecodeError, decode_bytes
    from gkcheck.extract.text import build_report, simplified_grids
    from gkcheck.tables import collect_tables, overlay

    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        raise InputError(f"无法读取此文件：{exc}", file=path) from None
    root = _parse(text, path)
    meta, url = _meta(root)
    _drop_chrome(root)
    body = root.find("body") if root.find("body") is not None else root
    lines, grids = _Walker().run(body)
    source = {"path": path, "form": "html", "encoding": encoding, "url": url}
    report = build_report("\n".join(lines), source, page_meta=meta)
    tables, notes = collect_tables(simplified_grids(report, grids))
    report["tables"] = overlay(report.get("tables") or {}, tables)  # keep tables found in the text
    report.setdefault("notes", []).extend(notes)
    return report


def _parse(text: str, path: str):
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    text = _LONG_TAG.sub(_shorten_tag, text)
    if not text.strip():
        raise InputError("文件为空", file=path)
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"无法解析 HTML：{exc}", file=path) from None


# libxml2 checks each attribute against the element's others: time quadratic in their number
# (50,000 attributes on one tag take seconds). A tag that long keeps only the attributes read here.
# The name is not given back to the attributes ((?!…) after it): "<a" before a long run of letters
# or Chinese text would otherwise be tried at every split, quadratic time.
_LONG_TAG = regex.compile(r"<([A-Za-z][\w:-]*)(?![\w:-])([^<>]{8192,})>")
_KEPT_ATTRIBUTE = regex.compile(r"""\s(?:colspan|rowspan|class|id|role|name|content|property|href|rel|charset|http-equiv)"""
                             r"""\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)


def _shorten_tag(m: re.Match) -> str:
    kept = _KEPT_ATTRIBUTE.findall(m.group(2))
    return f"<{m.group(1)}{''.join(kept[:20])}>"


def _meta(root) -> tuple[dict, str | None]:
    """Portal <meta name=… content=…> tags (政府网站 standard names, or Chinese names)."""
    meta: dict[str, str] = {}
    url = None
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip()
        content = (el.get("content") or "").strip()
        if not name or not content:
            continue
        canonical = _META_NAMES.get(name.lower())
        if canonical or _CJK.search(name):
            meta.setdefault(canonical or name, content)
        if name.lower() in ("url", "og:url") and url is None:
            url = content
    link = next((el.get("href") for el in root.iter("link") if (el.get("rel") or "").lower() == "canonical"), None)
    return meta, url or link


def _drop_chrome(root) -> None:
    head = root.find("head")
    if head is not None:
        head.drop_tree()
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    # only elements that carry a class, id or role can be page chrome; lxml picks them out
    for el in root.xpath("//*[@class or @id or @role]"):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        tokens = set((el.get("class") or "").lower().split()) | {(el.get("id") or "").lower()}
        if (tokens & _CHROME or (el.get("role") or "").lower() == "navigation") and _is_small(el):
            el.drop_tree()


def _is_small(el) -> bool:
    return next(el.iter("table"), None) is None and len(el.text_content()) <= _CHROME_MAX_TEXT


class _Walker:
    """Document order walk: text lines, with each data table replaced by "[表格N]"."""

    def __init__(self):
        self.lines: list[str] = []
        self.current: list[str] = []
        self.grids: list[dict] = []
        self.depth, self.most = 0, limit("max_depth")

    def run(self, el) -> tuple[list[str], list[dict]]:
        self._walk(el)
        self._flush()
        return self.lines, self.grids

    def _flush(self) -> None:
        if not self.current:
            return
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def _walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None  # comments, processing instructions
        grid = _data_grid(el) if tag == "table" else None
        box = box_lines(grid[0]) if grid is not None and len(grid[0]) <= _BOX_ROWS else None
        if box is not None:  # the portal's box (索引号 / 发布机构 / 公开日期 …): metadata lines
            self._flush()
            self.lines.extend(box)
        elif grid is not None:
            self._flush()
            index = len(self.grids) + 1
            grid, origins = grid
            caption = el.find("caption")
            title = _cell_text(caption) if caption is not None else self._last_line()
            self.grids.append({"grid": grid, "origins": origins, "table_index": index, "title": title})
            self.lines.append(f"[表格{index}]")
        elif tag is not None:
            block = tag in _BLOCK
            if block:
                self._flush()
            if el.text:
                self.current.append(el.text)
            self.depth += 1
            if self.depth > self.most:
                raise exceeded("max_depth", None, what="HTML 元素的嵌套层数")
            for child in el:
                self._walk(child)
            self.depth -= 1
            if block:
                self._flush()
        if el.tail:
            self.current.append(el.tail)

    def _last_line(self) -> str | None:
        # The heading printed just above a table ("三、收到和处理…") serves as its title.
        last = self.lines[-1] if self.lines else None
        return last if last and len(last) <= 40 and not last.startswith("[表格") else None


def _data_grid(table):
    """(texts, origins) of a statistics table, or None for a portal layout table (one that
    holds other tables, a single column, or long text), which is read as text instead."""
    if sum(1 for _ in table.iter("table")) > 1:
        return None
    texts, origins = table_grid(table)
    if not texts or max(len(r) for r in texts) < 2:
        return None
    if any(len(t) > _LAYOUT_CELL_TEXT for row in texts for t in row):
        return None
    return texts, origins


def _rows(table):
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def table_grid(table) -> tuple[list[list[str]], list[list[tuple | None]]]:
    """Expand colspan/rowspan: (texts, origins), origins being the 1-based (row, column)
    of the slot where each source cell starts."""
    rows = list(_rows(table))
    slots: dict = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in slots:
                c += 1
            colspan = max(_span(td.get("colspan"), "colspan"), 1)
            rowspan = _span(td.get("rowspan"), "rowspan")
            rowspan = len(rows) - r if rowspan == 0 else min(rowspan, len(rows) - r)
            if c + colspan > width:  # the grid grows: within max_table_cells, before the slots are filled
                check_table(len(rows), c + colspan)
            text, origin = _cell_text(td), (r + 1, c + 1)
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots.setdefault((r + dr, c + dc), (text, origin))
            c += colspan
            width = max(width, c)
    texts = [[slots.get((r, c), ("", None))[0] for c in range(width)] for r in range(len(rows))]
    origins = [[slots.get((r, c), ("", None))[1] for c in range(width)] for r in range(len(rows))]
    return texts, origins


def _span(value: str | None, attribute: str) -> int:
    if value is None:
        return 1
    m = _SPAN.match(value)
    if not m:
        return 1
    n = int(m.group(1))
    return n if n <= 1 else check_span(n, attribute)


def _cell_text(el) -> str:
    walker = _Walker()
    walker.current = [el.text or ""]
    for child in el:
        walker._walk(child)
    walker._flush()
    from gkcheck.tables import clean_text

    return clean_text(" ".join(walker.lines))

"""Tables drawn with ruling lines (PDF): line segments and positioned characters → grids.

Coordinates are y-down points. A table is a connected set of horizontal and vertical
rulings; its slots lie between neighbouring ruling positions, and two slots belong to
one (merged) cell when no ruling separates them. No PDF library is imported here: the
extractor hands over plain segments and characters.
"""

from __future__ import annotations

import bisect
from collections import namedtuple

from gkcheck.util.limits import check_table

Char = namedtuple("Char", "text x0 y0 x1 y1 page")
HLine = namedtuple("HLine", "y x0 x1")
VLine = namedtuple("VLine", "x y0 y1")
TOL = 2.5  # points: rulings this close are one position (double borders, line widths)
_MAX_SEGMENTS = 3000  # a page of vector art, not a table: leave it to the text stream


class Region:
    """One table's rulings (possibly spanning pages after join()), with its characters."""

    def __init__(self, page: int, hlines: list, vlines: list):
        self.hlines, self.vlines = hlines, vlines
        self.x0 = min([h.x0 for h in hlines] + [v.x for v in vlines])
        self.x1 = max([h.x1 for h in hlines] + [v.x for v in vlines])
        self.y0 = min([v.y0 for v in vlines] + [h.y for h in hlines])
        self.y1 = max([v.y1 for v in vlines] + [h.y for h in hlines])
        self.page = page
        self.chars: list[Char] = []
        self.breaks: list[tuple[float, int]] = []  # (y where a later page's part starts, its page)

    def contains(self, ch: Char) -> bool:
        xc, yc = (ch.x0 + ch.x1) / 2, (ch.y0 + ch.y1) / 2
        return self.x0 - 1 <= xc <= self.x1 + 1 and self.y0 - 1 <= yc <= self.y1 + 1

    def join(self, other: Region) -> None:
        """Append the part of this table printed at the top of the next page: its top
        ruling goes where this part's bottom ruling is."""
        bottom, top = self.edge(max), other.edge(min)
        dy = bottom - top
        self.breaks.append((bottom, other.page))
        self.hlines += [HLine(h.y + dy, h.x0, h.x1) for h in other.hlines]
        self.vlines += [VLine(v.x, v.y0 + dy, v.y1 + dy) for v in other.vlines]
        self.chars += [c._replace(y0=c.y0 + dy, y1=c.y1 + dy) for c in other.chars]
        self.x0, self.x1 = min(self.x0, other.x0), max(self.x1, other.x1)
        self.y1 = other.y1 + dy

    def edge(self, which) -> float:
        """Bottom (max) or top (min) border: its ruling, or where the verticals end when
        the table is left open at a page break."""
        end = which(v.y1 if which is max else v.y0 for v in self.vlines)
        near = [h.y for h in self.hlines if abs(h.y - end) <= 3]
        return which(near) if near else end

    def page_at(self, y: float) -> int:
        page = self.page
        for y_break, p in self.breaks:
            if y >= y_break - TOL:
                page = p
        return page


def regions(hlines: list, vlines: list, page: int) -> list[Region]:
    """Connected groups of rulings that form at least a 2×2 lattice, top to bottom."""
    if len(hlines) + len(vlines) > _MAX_SEGMENTS:
        return []
    lines = list(hlines) + list(vlines)
    parent = list(range(len(lines)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    nh = len(hlines)
    for i, h in enumerate(hlines):
        for j, v in enumerate(vlines):
            if h.x0 - TOL <= v.x <= h.x1 + TOL and v.y0 - TOL <= h.y <= v.y1 + TOL:
                parent[find(i)] = find(nh + j)
    groups: dict = {}
    for i in range(len(lines)):
        groups.setdefault(find(i), []).append(lines[i])
    out = []
    for members in groups.values():
        hs = [m for m in members if isinstance(m, HLine)]
        vs = [m for m in members if isinstance(m, VLine)]
        if len(hs) >= 2 and len(vs) >= 2:
            r = Region(page, hs, vs)
            if r.x1 - r.x0 > 40 and r.y1 - r.y0 > 10:
                out.append(r)
    return sorted(out, key=lambda r: r.y0)


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= TOL:
            continue
        out.append(v)
    return out


def grid(region: Region) -> tuple[list[list[str]], list[list[tuple]]]:
    """(texts, origins) of a region; origins are (row, column, page) of each slot's cell."""
    xs = _positions([v.x for v in region.vlines] + [region.x0, region.x1])
    ys = _positions([h.y for h in region.hlines] + [region.y0, region.y1])
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return [], []
    check_table(nr, nc)
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(s):
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left slot names the cell

    for r in range(nr):
        ym = (ys[r] + ys[r + 1]) / 2
        for c in range(nc - 1):
            if not any(abs(v.x - xs[c + 1]) <= TOL and v.y0 - 1 <= ym <= v.y1 + 1 for v in region.vlines):
                union((r, c), (r, c + 1))
    for c in range(nc):
        xm = (xs[c] + xs[c + 1]) / 2
        for r in range(nr - 1):
            if not any(abs(h.y - ys[r + 1]) <= TOL and h.x0 - 1 <= xm <= h.x1 + 1 for h in region.hlines):
                union((r, c), (r + 1, c))
    members: dict = {}
    for ch in region.chars:
        r = bisect.bisect_right(ys, (ch.y0 + ch.y1) / 2) - 1
        c = bisect.bisect_right(xs, (ch.x0 + ch.x1) / 2) - 1
        if 0 <= r < nr and 0 <= c < nc:
            members.setdefault(find((r, c)), []).append(ch)
    texts = {cell: cell_text(chars) for cell, chars in members.items()}
    _join_page_breaks(region, ys, nr, nc, find, union, texts)
    out_t = [[texts.get(find((r, c)), "") for c in range(nc)] for r in range(nr)]
    out_o = []
    for r in range(nr):
        row = []
        for c in range(nc):
            r0, c0 = find((r, c))
            row.append((r0 + 1, c0 + 1, region.page_at((ys[r0] + ys[r0 + 1]) / 2)))
        out_o.append(row)
    return out_t, out_o


def _join_page_breaks(region, ys, nr, nc, find, union, texts) -> None:
    """A label cell cut by a page break is one cell: "（四）无" + "法提供", or a merged
    group label ("三、本年度办理结果") whose continuation on the next page is blank."""
    from gkcheck.tables.cells import is_data

    for y_break, _ in region.breaks:
        k = bisect.bisect_left(ys, y_break - TOL)
        if not 0 < k < nr:
            continue
        below = [texts.get(find((k, c)), "") for c in range(nc)]
        first_data = next((c for c, t in enumerate(below) if is_data(t)), nc)
        for c in range(first_data):
            up, down = find((k - 1, c)), find((k, c))
            ut, dt = texts.get(up, ""), texts.get(down, "")
            if up == down or not ut or is_data(ut) or _wider(up, c, nc, k - 1, find):
                continue
            if not dt:
                union(up, down)
            elif not _label(dt, exact=True) and _label(ut + dt):
                texts[up] = ut + dt
                texts.pop(down, None)
                union(up, down)


def _wider(cell, c: int, nc: int, r: int, find) -> bool:
    """The cell above spans more than this column: a heading row, not a label column."""
    return any(find((r, cc)) == cell for cc in (c - 1, c + 1) if 0 <= cc < nc)


def _label(text: str, exact: bool = False) -> bool:
    from gkcheck.tables.labels import match_label

    for tid, axes in (("T2", ("row", "group", "col")), ("T1", ("row", "col")), ("T3", ("row", "group", "col"))):
        for axis in axes:
            m = match_label(text, tid, axis)
            if m and (m.exact or (not exact and m.score >= 0.9)):
                return True
    return False


def cell_text(chars: list[Char]) -> str:
    """Characters of one cell in reading order: lines top to bottom, left to right."""
    from gkcheck.tables.labels import clean_text

    return clean_text(" ".join(text_lines(chars)))


def text_lines(chars: list[Char]) -> list[str]:
    return [line_text(line) for line in group_lines(chars)]


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters clustered into visual lines by vertical centre, each sorted by x."""
    lines: list[list] = []  # [centre, height, chars]
    for ch in sorted(chars, key=lambda c: ((c.y0 + c.y1) / 2, c.x0)):
        yc, h = (ch.y0 + ch.y1) / 2, ch.y1 - ch.y0
        if lines and abs(yc - lines[-1][0]) <= max(h, lines[-1][1]) * 0.45:
            lines[-1][2].append(ch)
        else:
            lines.append([yc, h, [ch]])
    return [sorted(chs, key=lambda c: c.x0) for _, _, chs in lines]


def line_text(chars: list[Char]) -> str:
    """One visual line; a space where the gap is wider than a narrow space."""
    out = []
    prev = None
    for ch in chars:
        if prev is not None:
            gap, h = ch.x0 - prev.x1, max(ch.y1 - ch.y0, 1.0)
            if gap > 0.5 * h or (gap > 0.15 * h and prev.text.isascii() and ch.text.isascii()):
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)

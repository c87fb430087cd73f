"""Place a raw table grid onto the canonical rows and columns of T1/T2/T3.

Input is a grid of printed cell texts after colspan/rowspan expansion, with the
source cell ("origin") of every slot, so that this module serves HTML, Word and
PDF extractors alike. Every non-empty cell ends up either in `cells` or, with a
reason, in `unplaced`: nothing is dropped silently.

The work is split by responsibility: grid.py (the grid), identify.py (which table),
t1.py (T1 blocks), header.py / rows.py / matrix.py (T2/T3), builder.py (cells and
notes), assemble.py (a document's tables).
"""

from __future__ import annotations

from collections import namedtuple

from gkcheck.tables.builder import TABLE_NAMES, TableBuilder, decide_format
from gkcheck.tables.grid import Grid
from gkcheck.tables.identify import identify, label_scores, named_by_title
from gkcheck.tables.matrix import place_matrix
from gkcheck.tables.t1 import place_t1

__all__ = ["TABLE_NAMES", "Placement", "decide_format", "identify", "place", "place_grid"]

# What place() found: table id ("T1"/"T2"/"T3" or None), the table dict, notes (Chinese).
Placement = namedtuple("Placement", "table_id table notes")


def place(grid, *, table_index: int, page: int | None = None, origins=None,
          title: str | None = None) -> Placement:
    """Identify and place one table. `origins[r][c]` is the (row, column) of the source
    cell covering slot (r, c), 1-based; omit it when every slot is its own cell."""
    g = Grid(grid, origins)
    if not g.height or not g.width:
        return Placement(None, None, [])
    scores = label_scores(g)
    tid = identify(g, scores)
    if tid is None:
        tid = named_by_title(title, scores)
        return unreadable(g, tid, table_index, page, title) if tid else Placement(None, None, [])
    b = TableBuilder(tid, table_index, page)
    if tid == "T1":
        place_t1(g, b)
    else:
        place_matrix(g, tid, b, title)
    return Placement(tid, b.table(title), b.notes)


def unreadable(g: Grid, tid: str, table_index: int, page: int | None, title: str | None) -> Placement:
    """A table its title names whose labels are not the format's: every printed cell goes to
    unplaced, so that the table counts as there but unreadable, not as missing."""
    b = TableBuilder(tid, table_index, page)
    seen: set = set()
    for r in range(g.height):
        for s in g.spans(r):
            if s.text and (s.origin is None or s.origin not in seen):
                seen.add(s.origin)
                b.drop(s, None, None, "表格的行列标签不是统一格式，无法识别")
    b.notes.append(f"表格{table_index}在“{title}”下，按标题是{tid}{TABLE_NAMES[tid]}，"
                   "但行列标签不是统一格式，单元格无法对应到标准行列")
    return Placement(tid, b.table(title), b.notes)


def place_grid(grid: list[list[str]], *, table_index: int, page: int | None = None,
               origins=None, title: str | None = None) -> tuple[str | None, dict | None]:
    """(table id "T1"/"T2"/"T3" or None, the schema's table dict or None)."""
    p = place(grid, table_index=table_index, page=page, origins=origins, title=title)
    return p.table_id, p.table


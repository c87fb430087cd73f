"""Which standard table (T1/T2/T3) a grid is, judged by the catalogue labels it prints."""

from __future__ import annotations

from gkcheck.tables.cells import is_data
from gkcheck.tables.grid import Grid
from gkcheck.tables.labels import article_item, core, entries, marker_cores


def _exact_index(tid: str) -> dict:
    index = _EXACT.get(tid)
    if index is None:
        index = {}
        for axis in ("row", "col", "group"):
            for e in entries(tid, axis):
                for alias in e.aliases:
                    index.setdefault(alias.core, set()).add((axis, e.key))
        for name in ("header_marker", "aliases_title"):
            for c in marker_cores(tid, name):
                index.setdefault(c, set()).add(("marker", c))
        _EXACT[tid] = index
    return index


_EXACT: dict = {}


def identify(g: Grid) -> str | None:
    """Which standard table the grid is, by how many distinct catalogue labels it prints."""
    cores = {core(t) for row in g.texts for t in row if t and not is_data(t)}
    scores = {}
    for tid in ("T1", "T2", "T3"):
        index = _exact_index(tid)
        found = set().union(*(index.get(c, set()) for c in cores)) if cores else set()
        if tid == "T1" and any(article_item(t) for row in g.texts for t in row if t):
            found.add(("marker", "article"))
        scores[tid] = len(found)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, n), (_, second) = ranked[0], ranked[1]
    return best if n >= 3 and n > second else None

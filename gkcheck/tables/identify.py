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


def label_scores(g: Grid) -> dict:
    """How many distinct catalogue labels of each table the grid prints."""
    cores = {core(t) for row in g.texts for t in row if t and not is_data(t)}
    scores = {}
    for tid in ("T1", "T2", "T3"):
        index = _exact_index(tid)
        found = set().union(*(index.get(c, set()) for c in cores)) if cores else set()
        if tid == "T1" and any(article_item(t) for row in g.texts for t in row if t):
            found.add(("marker", "article"))
        scores[tid] = len(found)
    return scores


def identify(g: Grid, scores: dict | None = None) -> str | None:
    """Which standard table the grid is, by how many distinct catalogue labels it prints."""
    ranked = sorted((scores or label_scores(g)).items(), key=lambda kv: -kv[1])
    (best, n), (_, second) = ranked[0], ranked[1]
    return best if n >= 3 and n > second else None


def named_by_title(title: str | None, scores: dict) -> str | None:
    """The standard table a title names ("三、收到和处理政府信息公开申请情况"), when the grid
    under it prints at least one of that table's labels: a table visibly there whose
    layout is not the national one, not some other table of the section."""
    if not title:
        return None
    text = core(title)
    for tid in ("T1", "T2", "T3"):
        if scores.get(tid) and any(len(a) >= 4 and a in text for a in marker_cores(tid, "aliases_title")):
            return tid
    return None

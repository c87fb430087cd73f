"""Column headers of the T2/T3 matrix: where the header ends and each column's label path."""

from __future__ import annotations

from gkcheck.tables.builder import TableBuilder
from gkcheck.tables.cells import is_data
from gkcheck.tables.grid import Grid, Origin
from gkcheck.tables.labels import match_label

_STRONG = 0.85  # label score that counts as evidence of which table/part we are in


def fill_header_groups(g: Grid, tid: str, h: int) -> None:
    """Without merged-cell information a header group (申请人情况, 行政复议, 未经复议直接起诉 …)
    sits in its first slot and the slots it spans are blank: extend it rightwards."""
    axes = ("group", "row") if tid == "T3" else ("group",)
    for r in range(h):
        label = None
        for c in range(g.width):
            text = g.texts[r][c]
            if text:
                grouping = not is_data(text) and any(match_label(text, tid, a) for a in axes)
                label = (text, g.origins[r][c]) if grouping else None
            elif label is not None:
                g.texts[r][c], g.origins[r][c] = label


def header_end(g: Grid, tid: str) -> int:
    """Index of the first row below the column header."""
    first_data = next((r for r in range(g.height) if any(is_data(t) for t in g.texts[r])), None)
    first_label = None
    if tid == "T2":
        # Top-level row labels (一、本年新收 …, 三、本年度办理结果) cannot be column labels.
        for r in range(g.height):
            if any(_is_top_row_label(t) for t in g.texts[r] if t):
                first_label = r
                break
    found = [x for x in (first_data, first_label) if x is not None]
    if found:
        return min(found)
    labelled = [r for r in range(g.height)
                if any(t and match_label(t, tid, "col") for t in g.texts[r])]
    return labelled[-1] + 1 if labelled else 0


def _is_top_row_label(text: str) -> bool:
    if is_data(text):
        return False
    m = match_label(text, "T2", "row")
    if m and m.entry.parent is None and m.score >= _STRONG:
        return True
    m = match_label(text, "T2", "group")
    return bool(m and m.key == "results" and m.score >= _STRONG)


def header_path(g: Grid, slots) -> list[tuple[str, Origin | None]]:
    """Distinct non-empty labels along a row or column of the header, outermost first."""
    out: list = []
    seen = set()
    for r, c in slots:
        text, o = g.texts[r][c], g.origins[r][c]
        if not text or (o is not None and o in seen) or (out and out[-1][0] == text):
            continue
        seen.add(o)
        out.append((text, o))
    return out


def group_keys(tid: str, labels) -> tuple:
    keys = []
    for text in labels:
        m = match_label(text, tid, "group")
        if m:
            keys.append(m.key)
    return tuple(keys)


def column_key(tid: str, path, b: TableBuilder):
    labels = [t for t, _ in path if not is_data(t)]
    if not labels:
        return None
    if tid == "T3":
        for text in reversed(labels):
            m = match_label(text, "T3", "col")
            if m:
                b.matched(m, text)
                return m
        return None
    m = match_label(labels[-1], tid, "col", group_keys(tid, labels[:-1]))
    if m:
        b.matched(m, labels[-1])
    return m

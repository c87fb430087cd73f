"""Row labels of the T2/T3 matrix: label paths left of the values and their canonical keys."""

from __future__ import annotations

from gkcheck.tables.builder import TableBuilder
from gkcheck.tables.cells import is_data
from gkcheck.tables.grid import Grid
from gkcheck.tables.header import group_keys
from gkcheck.tables.labels import fold, match_label, rx


def row_keys(g: Grid, tid: str, h: int, first: int, b: TableBuilder) -> list:
    """(label path, row key or None, is a group heading) for every grid row.

    T3 row keys are found per cell instead (its "rows" are usually column groups).
    """
    rows: list = [([], None, False)] * h
    carry: dict = {}
    context: tuple = ()  # groups of the last heading row, for the numbered rows under it
    found = []
    for r in range(h, g.height):
        path = _label_path(g, tid, r, first, carry)
        labels = [t for t, _ in path]
        if tid == "T3" or not labels:
            rows.append((path, None, False))
            continue
        m, leaf = None, None
        # The leaf is normally the last label; an extra label column (序号, 单位) may follow it.
        for i in range(len(labels) - 1, -1, -1):
            parents = group_keys(tid, labels[:i]) or (context if arabic(labels[i]) else ())
            m = match_label(labels[i], tid, "row", parents)
            if m:
                leaf = labels[i]
                break
        heading = m is None and match_label(labels[-1], tid, "group") is not None
        if heading:
            context = group_keys(tid, labels)
        elif not arabic(labels[-1]):
            context = ()
        rows.append((path, m, heading))
        found.append((r, leaf))
    # 2021 format printed with （六）其他处理 as a row of its own above 1–3: a heading, not
    # the 2019 row "other", when its cells are empty.
    if any(m and m.key.startswith("other.") for _, m, _ in rows):
        for r, (path, m, _) in enumerate(rows):
            if m and m.key == "other" and not any(g.texts[r][c] for c in range(first, g.width)):
                rows[r] = (path, None, True)
    for r, leaf in found:
        if rows[r][1]:
            b.matched(rows[r][1], leaf)
    return [(path, m.key if m else None, heading) for path, m, heading in rows]


def _label_path(g: Grid, tid: str, r: int, first: int, carry: dict) -> list:
    """Labels of row r left of the values. A blank label cell under a group label takes
    that label (extractors that do not report merged cells leave it blank)."""
    cells = [(g.texts[r][c], g.origins[r][c]) for c in range(first)]
    deepest = max((c for c, (t, _) in enumerate(cells) if t and not is_data(t)), default=-1)
    slots = []
    for c, (text, origin) in enumerate(cells):
        if text:
            for k in [k for k in carry if k >= c]:
                del carry[k]
            if not is_data(text) and match_label(text, tid, "group"):
                carry[c] = (text, origin)
            slots.append((text, origin))
        elif c < deepest and c in carry:
            slots.append(carry[c])
    out, seen = [], set()
    for text, origin in slots:
        if is_data(text) or (origin is not None and origin in seen) or (out and out[-1][0] == text):
            continue
        seen.add(origin)
        out.append((text, origin))
    return out


def arabic(label: str) -> bool:
    return bool(rx(_ARABIC).match(fold(label)))


_ARABIC = r"\s*\d{1,2}\s*[、.,)](?!\d)"


def t3_row(path) -> str | None:
    found = [m for m in (match_label(t, "T3", "row") for t, _ in path if not is_data(t)) if m]
    keys = {m.key for m in found}
    if len(keys) > 1:  # an exact label beats one that merely contains a row name
        keys = {m.key for m in found if m.exact}
    return keys.pop() if len(keys) == 1 else None

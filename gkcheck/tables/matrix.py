"""T2/T3 placement: a matrix of row label paths × column label paths."""

from __future__ import annotations

from gkcheck.tables.builder import TableBuilder
from gkcheck.tables.grid import Grid, Span
from gkcheck.tables.header import (
    column_key,
    fill_header_groups,
    header_end,
    header_path,
)
from gkcheck.tables.cells import is_data
from gkcheck.tables.labels import core, marker_cores, match_label
from gkcheck.tables.rows import row_keys, t3_row


def place_matrix(g: Grid, tid: str, b: TableBuilder, title: str | None = None) -> None:
    h = header_end(g, tid)
    block = t3_block(g, title) if tid == "T3" else []
    if g.guessed:
        fill_header_groups(g, tid, h)
    # The table's own title or the T2 corner note printed inside the header is no label.
    skip = marker_cores(tid, "aliases_title") | marker_cores(tid, "header_marker")
    paths = [[(t, o) for t, o in header_path(g, [(r, c) for r in range(h)]) if core(t) not in skip]
             for c in range(g.width)]
    colkeys = [column_key(tid, p, b) for p in paths]
    value_cols = [c for c, k in enumerate(colkeys) if k]
    if not value_cols:
        b.notes.append(f"表格{b.index}（{tid}）：未找到可识别的列表头，全部数值未能定位")
        for r in range(h, g.height):
            for span in g.spans(r):
                if span.text and is_data(span.text) and g.first_row(span, r):
                    b.drop(span, None, None, "未找到可识别的列表头")
        return
    first = value_cols[0]
    rows = row_keys(g, tid, h, first, b)
    unit_of = {c: colkeys[c].entry.unit for c in value_cols}
    handled: set = set()
    for r in range(h, g.height):
        rpath, rkey, heading = rows[r]
        rlabel = " / ".join(t for t, _ in block + rpath)
        for c in range(first, g.width):
            o = g.origins[r][c]
            if o is not None and o in handled:
                continue
            handled.add(o)
            span = Span(o, c, c, g.texts[r][c])
            clabel = " / ".join(t for t, _ in paths[c])
            targets = _targets(g, tid, o, r, c, rows, paths, colkeys, first, h, block)
            if not span.text:
                for row, col, lab_r, lab_c in targets:
                    b.add(row, col, span, lab_r, lab_c, unit=None)
                continue
            if colkeys[c] is None:
                b.drop(span, rlabel, clabel, f"列标签无法识别：{clabel}" if clabel else "列无标签")
            elif len(targets) == 1:
                row, col, lab_r, lab_c = targets[0]
                b.add(row, col, span, lab_r, lab_c, unit=unit_of.get(c))
            elif len(targets) > 1:
                b.drop(span, rlabel, clabel, "单元格跨越多个标准行或列")
            elif tid == "T3":
                b.drop(span, rlabel, clabel, "无法确定是行政复议还是哪类行政诉讼")
            elif not rpath:
                b.drop(span, None, clabel, "行无标签")
            elif heading:
                b.drop(span, rlabel, clabel, "分组标题行不是标准行（可能是小计）")
            else:
                b.drop(span, rlabel, clabel, f"未识别的行：{rlabel}")
        if tid == "T2" and rpath and rkey is None and not heading and not any(g.texts[r][c] for c in range(first, g.width)):
            label = Span(rpath[-1][1], 0, 0, rpath[-1][0])
            b.drop(label, rlabel, None, "未识别的行（无数值）")
    for c in range(first, g.width):
        if colkeys[c] is None and paths[c] and not any(g.texts[r][c] for r in range(h, g.height)):
            text, origin = paths[c][-1]
            if origin not in handled:
                handled.add(origin)
                b.drop(Span(origin, c, c, text), None, " / ".join(t for t, _ in paths[c]),
                       "未识别的列（无数值）")


def t3_block(g: Grid, title: str | None) -> list:
    """[(title, None)] when a T3 part prints no block name of its own and the line above it
    names one (表四 printed as small tables under 行政复议 / 行政诉讼（未经复议直接起诉）/ …)."""
    if not title:
        return []
    text = core(title)
    if any(any(a in text for a in marker_cores(tid, "aliases_title")) for tid in ("T1", "T2", "T3")):
        return []  # a section heading names the whole table, not a block
    if any(t and not is_data(t) and match_label(t, "T3", "row") for row in g.texts for t in row):
        return []
    return [(title, None)] if match_label(title, "T3", "row") else []


def _targets(g, tid, origin, r, c, rows, paths, colkeys, first, h, block=()) -> list:
    """Canonical (row, col) slots a source cell covers; more than one = ambiguous."""
    r0, r1, c0, c1 = g.bounds[origin] if origin is not None else (r, r, c, c)
    out = []
    for rr in range(max(r0, h), r1 + 1):
        for cc in range(max(c0, first), c1 + 1):
            m = colkeys[cc]
            if m is None:
                continue
            rpath, rkey, _ = rows[rr]
            rpath = list(block) + rpath
            if tid == "T3":
                rkey = t3_row(rpath + paths[cc])
            if rkey is None:
                continue
            t = (rkey, m.key, " / ".join(t for t, _ in rpath), " / ".join(t for t, _ in paths[cc]))
            if t not in out:
                out.append(t)
    return out

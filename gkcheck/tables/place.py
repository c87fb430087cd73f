"""Place a raw table grid onto the canonical rows and columns of T1/T2/T3.

Input is a grid of printed cell texts after colspan/rowspan expansion, with the
source cell ("origin") of every slot, so that this module serves HTML, Word and
PDF extractors alike. Every non-empty cell ends up either in `cells` or, with a
reason, in `unplaced`: nothing is dropped silently.
"""

from __future__ import annotations

from collections import namedtuple

from gkcheck.tables.cells import is_data, parse_cell
from gkcheck.tables.labels import (
    article_item,
    clean_text,
    core,
    entries,
    fold,
    marker_cores,
    match_label,
    rx,
)

Origin = tuple  # (row, column) of a source cell's top-left slot, 1-based
TABLE_NAMES = {"T1": "（表二，主动公开）", "T2": "（表三，依申请公开）", "T3": "（表四，复议诉讼）"}
_STRONG = 0.85  # label score that counts as evidence of which table/part we are in


# What place() found: table id ("T1"/"T2"/"T3" or None), the table dict, notes (Chinese).
Placement = namedtuple("Placement", "table_id table notes")
# One source cell as seen from one grid row; c1 is inclusive.
_Span = namedtuple("_Span", "origin c0 c1 text")


class _Grid:
    def __init__(self, texts, origins):
        self.texts = [[clean_text(t) for t in row] for row in texts]
        self.width = max((len(r) for r in self.texts), default=0)
        self.height = len(self.texts)
        for row in self.texts:
            row.extend([""] * (self.width - len(row)))
        self.guessed = origins is None  # merged cells unknown: each slot is its own cell
        if origins is None:
            origins = [[(r + 1, c + 1) for c in range(len(row))] for r, row in enumerate(texts)]
        self.origins = [list(row) + [None] * (self.width - len(row)) for row in origins]
        self.bounds: dict = {}  # origin -> (r0, r1, c0, c1), 0-based inclusive
        for r, row in enumerate(self.origins):
            for c, o in enumerate(row):
                if o is None:
                    continue
                r0, r1, c0, c1 = self.bounds.get(o, (r, r, c, c))
                self.bounds[o] = (min(r0, r), max(r1, r), min(c0, c), max(c1, c))

    def spans(self, r: int, cols=None) -> list[_Span]:
        """Distinct source cells of row r (within cols), left to right."""
        out: list[_Span] = []
        for c in cols if cols is not None else range(self.width):
            o = self.origins[r][c]
            if out and o is not None and out[-1].origin == o and out[-1].c1 == c - 1:
                out[-1] = _Span(o, out[-1].c0, c, out[-1].text)
            else:
                out.append(_Span(o, c, c, self.texts[r][c]))
        return out

    def first_row(self, span: _Span, r: int) -> bool:
        return span.origin is None or self.bounds[span.origin][0] == r

    def row_span(self, span: _Span) -> tuple[int, int]:
        if span.origin is None:
            return (-1, -1)
        r0, r1, _, _ = self.bounds[span.origin]
        return r0, r1


class _Builder:
    """Collects cells, unplaced cells, format evidence and notes for one table."""

    def __init__(self, tid: str, table_index: int, page: int | None):
        self.tid, self.index, self.page = tid, table_index, page
        self.cells: list[dict] = []
        self.unplaced: list[dict] = []
        self.notes: list[str] = []
        self.columns: list[str] = []
        self.evidence: list[tuple[frozenset, str]] = []
        self._placed: set = set()

    def loc(self, origin: Origin | None) -> dict:
        loc = {"table": self.index}
        if self.page is not None:
            loc["page"] = self.page
        if origin is not None:
            loc["row"], loc["column"] = origin
        return loc

    def column(self, key: str) -> None:
        if key not in self.columns:
            self.columns.append(key)

    def matched(self, match, printed: str) -> None:
        """Record a label match: format evidence, and a note when it was not exact."""
        if len(match.formats) == 1:
            self.evidence.append((match.formats, printed))
        if not match.exact:
            self.notes.append(
                f"表格{self.index}（{self.tid}）：标签“{printed}”与标准标签“{match.entry.printed}”"
                f"不完全一致，按近似匹配识别为 {match.key}"
            )

    def add(self, row, col, span, row_label, col_label, unit=None) -> None:
        if (row, col) in self._placed:
            if span.text:  # a second blank for the same slot carries nothing
                self.drop(span, row_label, col_label, f"重复：{row} × {col} 已有单元格")
            return
        self._placed.add((row, col))
        self.column(col)
        value = parse_cell(span.text)
        self.cells.append({
            "row": row, "col": col, "printed": span.text, "value": value.value, "kind": value.kind,
            "unit": value.unit or (unit if value.kind == "number" else None),
            "row_label": row_label or None, "column_label": col_label or None,
            "location": self.loc(span.origin),
        })

    def drop(self, span, row_label, col_label, reason: str) -> None:
        self.unplaced.append({
            "printed": span.text, "row_label": row_label or None, "column_label": col_label or None,
            "reason": reason, "location": self.loc(span.origin),
        })

    def table(self, title: str | None) -> dict:
        fmt = decide_format(self.evidence)
        if fmt == "unknown" and {f for fs, _ in self.evidence for f in fs} >= {"2019", "2021"}:
            labels = "、".join(f"“{p}”({'/'.join(sorted(fs))})" for fs, p in self.evidence)
            self.notes.append(f"表格{self.index}（{self.tid}）同时含有2019和2021格式的标签：{labels}")
        if self.unplaced:
            self.notes.append(f"表格{self.index}（{self.tid}）有{len(self.unplaced)}个单元格无法对应到标准行列，见 unplaced")
        loc = {"table": self.index}
        if self.page is not None:
            loc["page"] = self.page
        return {"format": fmt, "title": title, "location": loc, "columns": self.columns,
                "cells": self.cells, "unplaced": self.unplaced}


def decide_format(evidence) -> str:
    """"2019"/"2021" when every format-specific label agrees, else "unknown"."""
    seen = {f for formats, _ in evidence for f in formats}
    return seen.pop() if len(seen) == 1 else "unknown"


# ----------------------------------------------------------------------------- entry points


def place(grid, *, table_index: int, page: int | None = None, origins=None,
          title: str | None = None) -> Placement:
    """Identify and place one table. `origins[r][c]` is the (row, column) of the source
    cell covering slot (r, c), 1-based; omit it when every slot is its own cell."""
    g = _Grid(grid, origins)
    if not g.height or not g.width:
        return Placement(None, None, [])
    tid = identify(g)
    if tid is None:
        return Placement(None, None, [])
    b = _Builder(tid, table_index, page)
    if tid == "T1":
        _place_t1(g, b)
    else:
        _place_matrix(g, tid, b)
    return Placement(tid, b.table(title), b.notes)


def place_grid(grid: list[list[str]], *, table_index: int, page: int | None = None,
               origins=None, title: str | None = None) -> tuple[str | None, dict | None]:
    """(table id "T1"/"T2"/"T3" or None, the schema's table dict or None)."""
    p = place(grid, table_index=table_index, page=page, origins=origins, title=title)
    return p.table_id, p.table


# ----------------------------------------------------------------------------- identification


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


def identify(g: _Grid) -> str | None:
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


# ----------------------------------------------------------------------------- T1: blocks


def _place_t1(g: _Grid, b: _Builder) -> None:
    """T1 is a stack of blocks (第二十条第（X）项 / header row / data rows), each with its own
    columns; Word-pasted tables often misalign colspans between a header and its data, so
    cells are paired with headers by order when the counts agree."""
    header: list | None = None
    article = None
    titles = marker_cores("T1", "aliases_title")
    for r in range(g.height):
        spans = g.spans(r)
        for s in spans:
            if s.text and article_item(s.text):
                article = s.text
        spans = [s for s in spans if not (s.text and article_item(s.text))]
        if not any(s.text for s in spans):
            continue
        if _is_t1_header(spans):
            header = _t1_header(spans, b)
            continue
        label, values = spans[0], spans[1:]
        m = match_label(label.text, "T1", "row") if label.text and not is_data(label.text) else None
        row_label = " / ".join(x for x in (article, label.text) if x)
        if m is None:
            if len([s for s in spans if s.text]) == 1 and core(label.text) in titles:
                continue  # the table's own title printed as a row
            has_label = label.text and not is_data(label.text)
            _drop_row(g, r, values if has_label else spans, label if has_label else None, row_label, b)
            continue
        b.matched(m, label.text)
        for s, h in _pair(values, header or []):
            if not s.text or g.first_row(s, r):
                _place_t1_cell(g, b, m, s, h, row_label, header is not None)


def _place_t1_cell(g, b, m, s, h, row_label, have_header) -> None:
    if h is None:
        if s.text:
            b.drop(s, row_label, None, "无对应的列标签" if have_header else "缺少列表头（信息内容行）")
        return
    hspan, hm = h
    if hm is None:
        if s.text:
            b.drop(s, row_label, hspan.text or None, "列标签无法识别" if hspan.text else "列无标签")
        return
    r0, r1 = g.row_span(s)
    if r1 > r0 and s.text:
        b.drop(s, row_label, hspan.text, "单元格跨越多行，无法确定所属行")
        return
    b.add(m.key, hm.key, s, row_label, hspan.text, unit=hm.entry.unit)


def _is_t1_header(spans: list[_Span]) -> bool:
    texts = [s.text for s in spans if s.text and not is_data(s.text)]
    return (any(match_label(t, "T1", "col") for t in texts)
            and not any(match_label(t, "T1", "row") for t in texts))


def _t1_header(spans: list[_Span], b: _Builder) -> list:
    markers = marker_cores("T1", "header_marker")
    first = spans[0]
    if not first.text or core(first.text) in markers or not match_label(first.text, "T1", "col"):
        spans = spans[1:]  # the 信息内容 column
    header = []
    for s in spans:
        m = match_label(s.text, "T1", "col") if s.text else None
        if m:
            b.matched(m, s.text)
        header.append((s, m))
    return header


def _pair(values: list[_Span], header: list) -> list:
    if len(values) == len(header):
        return list(zip(values, header, strict=True))
    pairs, used = [], set()
    for v in values:
        overlaps = [(min(v.c1, h[0].c1) - max(v.c0, h[0].c0) + 1, i) for i, h in enumerate(header)]
        overlaps = [o for o in overlaps if o[0] > 0]
        overlaps.sort(reverse=True)
        if not overlaps or (len(overlaps) > 1 and overlaps[0][0] == overlaps[1][0]) or overlaps[0][1] in used:
            pairs.append((v, None))
            continue
        used.add(overlaps[0][1])
        pairs.append((v, header[overlaps[0][1]]))
    return pairs


def _drop_row(g, r, spans, label, row_label, b) -> None:
    values = [s for s in spans if s.text and g.first_row(s, r)]
    for s in values:
        b.drop(s, row_label, None, f"未识别的行：{label.text}" if label else "行无标签")
    if not values and label is not None:
        b.drop(label, row_label, None, "未识别的行（无数值）")


# ----------------------------------------------------------------------------- T2/T3: matrix


def _place_matrix(g: _Grid, tid: str, b: _Builder) -> None:
    h = _header_end(g, tid)
    if g.guessed:
        _fill_header_groups(g, tid, h)
    # The table's own title or the T2 corner note printed inside the header is no label.
    skip = marker_cores(tid, "aliases_title") | marker_cores(tid, "header_marker")
    paths = [[(t, o) for t, o in _path(g, [(r, c) for r in range(h)]) if core(t) not in skip]
             for c in range(g.width)]
    colkeys = [_column_key(tid, p, b) for p in paths]
    value_cols = [c for c, k in enumerate(colkeys) if k]
    if not value_cols:
        b.notes.append(f"表格{b.index}（{tid}）：未找到可识别的列表头，全部数值未能定位")
        first = g.width
    else:
        first = value_cols[0]
    rows = _row_keys(g, tid, h, first, b)
    unit_of = {c: colkeys[c].entry.unit for c in value_cols}
    handled: set = set()
    for r in range(h, g.height):
        rpath, rkey, heading = rows[r]
        rlabel = " / ".join(t for t, _ in rpath)
        for c in range(first, g.width):
            o = g.origins[r][c]
            if o is not None and o in handled:
                continue
            handled.add(o)
            span = _Span(o, c, c, g.texts[r][c])
            clabel = " / ".join(t for t, _ in paths[c])
            targets = _targets(g, tid, o, r, c, rows, paths, colkeys, first, h)
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
            label = _Span(rpath[-1][1], 0, 0, rpath[-1][0])
            b.drop(label, rlabel, None, "未识别的行（无数值）")
    for c in range(first, g.width):
        if colkeys[c] is None and paths[c] and not any(g.texts[r][c] for r in range(h, g.height)):
            text, origin = paths[c][-1]
            if origin not in handled:
                handled.add(origin)
                b.drop(_Span(origin, c, c, text), None, " / ".join(t for t, _ in paths[c]),
                       "未识别的列（无数值）")


def _targets(g, tid, origin, r, c, rows, paths, colkeys, first, h) -> list:
    """Canonical (row, col) slots a source cell covers; more than one = ambiguous."""
    r0, r1, c0, c1 = g.bounds[origin] if origin is not None else (r, r, c, c)
    out = []
    for rr in range(max(r0, h), r1 + 1):
        for cc in range(max(c0, first), c1 + 1):
            m = colkeys[cc]
            if m is None:
                continue
            rpath, rkey, _ = rows[rr]
            if tid == "T3":
                rkey = _t3_row(rpath + paths[cc])
            if rkey is None:
                continue
            t = (rkey, m.key, " / ".join(t for t, _ in rpath), " / ".join(t for t, _ in paths[cc]))
            if t not in out:
                out.append(t)
    return out


def _fill_header_groups(g: _Grid, tid: str, h: int) -> None:
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


def _header_end(g: _Grid, tid: str) -> int:
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


def _path(g: _Grid, slots) -> list[tuple[str, Origin | None]]:
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


def _groups(tid: str, labels) -> tuple:
    keys = []
    for text in labels:
        m = match_label(text, tid, "group")
        if m:
            keys.append(m.key)
    return tuple(keys)


def _column_key(tid: str, path, b: _Builder):
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
    m = match_label(labels[-1], tid, "col", _groups(tid, labels[:-1]))
    if m:
        b.matched(m, labels[-1])
    return m


def _row_keys(g: _Grid, tid: str, h: int, first: int, b: _Builder) -> list:
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
            parents = _groups(tid, labels[:i]) or (context if _arabic(labels[i]) else ())
            m = match_label(labels[i], tid, "row", parents)
            if m:
                leaf = labels[i]
                break
        heading = m is None and match_label(labels[-1], tid, "group") is not None
        if heading:
            context = _groups(tid, labels)
        elif not _arabic(labels[-1]):
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


def _label_path(g: _Grid, tid: str, r: int, first: int, carry: dict) -> list:
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


def _arabic(label: str) -> bool:
    return bool(rx(_ARABIC).match(fold(label)))


_ARABIC = r"\s*\d{1,2}\s*[、.,)](?!\d)"


def _t3_row(path) -> str | None:
    found = [m for m in (match_label(t, "T3", "row") for t, _ in path if not is_data(t)) if m]
    keys = {m.key for m in found}
    if len(keys) > 1:  # an exact label beats one that merely contains a row name
        keys = {m.key for m in found if m.exact}
    return keys.pop() if len(keys) == 1 else None


# ----------------------------------------------------------------------------- assembly


def collect_tables(grids) -> tuple[dict, list[str]]:
    """Place every grid of a document and assemble the report's `tables` and notes.

    `grids` yields dicts with keys grid, table_index and optionally page, origins, title.
    A standard table split over several source tables (one per 第二十条 block, or across
    pages) is merged; a cell that two parts both give goes to unplaced.
    """
    tables: dict = {}
    notes: list[str] = []
    parts: dict = {}
    for item in grids:
        p = place(item["grid"], table_index=item["table_index"], page=item.get("page"),
                  origins=item.get("origins"), title=item.get("title"))
        notes.extend(p.notes)
        if p.table_id is None:
            notes.append(f"表格{item['table_index']}不是可识别的标准表格（表二/表三/表四），未解析其数值")
            continue
        parts.setdefault(p.table_id, []).append(item["table_index"])
        if p.table_id in tables:
            _merge(tables[p.table_id], p.table)
        else:
            tables[p.table_id] = p.table
    for tid, indexes in parts.items():
        if len(indexes) > 1:
            joined = "、".join(f"表格{i}" for i in indexes)
            notes.append(f"{joined}均被识别为{tid}{TABLE_NAMES[tid]}，已合并为一张表")
    notes.extend(harmonise_formats(tables))
    for tid, table in sorted(tables.items()):
        blanks = sum(1 for c in table["cells"] if c["kind"] == "blank")
        if blanks:
            notes.append(f"{tid}{TABLE_NAMES[tid]}有{blanks}个空白单元格，按空白（blank）保留，未当作0")
    return tables, notes


def _merge(into: dict, part: dict) -> None:
    have = {(c["row"], c["col"]) for c in into["cells"]}
    for cell in part["cells"]:
        if (cell["row"], cell["col"]) in have:
            into["unplaced"].append({
                "printed": cell["printed"], "row_label": cell["row_label"],
                "column_label": cell["column_label"], "location": cell["location"],
                "reason": f"重复：{cell['row']} × {cell['col']} 已在另一表格中出现",
            })
            continue
        have.add((cell["row"], cell["col"]))
        into["cells"].append(cell)
    into["unplaced"].extend(part["unplaced"])
    into["columns"].extend(k for k in part["columns"] if k not in into["columns"])
    formats = {into["format"], part["format"]} - {"unknown"}
    into["format"] = formats.pop() if len(formats) == 1 else "unknown"


def harmonise_formats(tables: dict) -> list[str]:
    """T3 prints the same labels in both formats: it takes the format T1 and T2 agree on.
    Returns notes about disagreements."""
    decided = {tid: tables[tid]["format"] for tid in ("T1", "T2")
               if tid in tables and tables[tid]["format"] != "unknown"}
    found = set(decided.values())
    if len(found) > 1:
        return [f"T1 标签属于{decided['T1']}格式，T2 标签属于{decided['T2']}格式，格式版本不一致"]
    if found and "T3" in tables and tables["T3"]["format"] == "unknown":
        tables["T3"]["format"] = found.pop()
    return []

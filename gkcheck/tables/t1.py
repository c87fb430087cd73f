"""T1 (主动公开) placement: a stack of 第二十条 blocks, each with its own header row."""

from __future__ import annotations

from gkcheck.tables.builder import TableBuilder
from gkcheck.tables.cells import is_data
from gkcheck.tables.grid import Grid, Span
from gkcheck.tables.labels import article_item, core, marker_cores, match_label


def place_t1(g: Grid, b: TableBuilder) -> None:
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
            header = _t1_header(_join_repeats(spans) if g.guessed else spans, b)
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
        if g.guessed and header:
            values = _fit(values, header)
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


def _is_t1_header(spans: list[Span]) -> bool:
    texts = [s.text for s in spans if s.text and not is_data(s.text)]
    return (any(match_label(t, "T1", "col") for t in texts)
            and not any(match_label(t, "T1", "row") for t in texts))


def _t1_header(spans: list[Span], b: TableBuilder) -> list:
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


def _join_repeats(spans: list[Span]) -> list[Span]:
    """Without merged-cell information a header cell spanning two columns comes out twice
    ("本年增/减 | 本年增/减"): one span again."""
    out: list[Span] = []
    for s in spans:
        if out and s.text and s.text == out[-1].text and out[-1].c1 == s.c0 - 1:
            out[-1] = Span(out[-1].origin, out[-1].c0, s.c1, s.text)
        else:
            out.append(s)
    return out


def _fit(values: list[Span], header: list) -> list[Span]:
    """Values of a row read without merged-cell information, fitted to the header: under a
    header spanning two columns a value comes out repeated or beside an empty slot, and a row
    may stop short of the header's width (a converter drops the empty slots of a merged value).
    Anything else is left to _pair, which reports what does not fit."""
    if len(values) == len(header):
        return values
    covered = [[v for v in values if hs.c0 <= v.c0 and v.c1 <= hs.c1] for hs, _ in header]
    if sum(map(len, covered)) == len(values):
        joined = []
        for (hs, _), inside in zip(header, covered, strict=True):
            texts = {v.text for v in inside if v.text}
            if len(inside) > 1 and len(texts) <= 1:
                joined.append(Span(inside[0].origin, hs.c0, hs.c1, next(iter(texts), "")))
            else:
                joined += inside
        if len(joined) == len(header):
            return joined
    filled = list(values)
    while len(filled) > len(header) and not filled[-1].text:
        filled.pop()
    if len(filled) == len(header):
        return [Span(v.origin, h[0].c0, h[0].c1, v.text) for v, h in zip(filled, header, strict=True)]
    return values


def _pair(values: list[Span], header: list) -> list:
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

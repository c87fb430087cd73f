"""A raw table grid: printed cell texts after merged-cell expansion, and which source
cell ("origin") covers each slot."""

from __future__ import annotations

from collections import namedtuple

from gkcheck.tables.labels import clean_text

Origin = tuple  # (row, column[, page]) of a source cell's top-left slot, 1-based
# One source cell as seen from one grid row; c1 is inclusive.
Span = namedtuple("Span", "origin c0 c1 text")


class Grid:
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

    def spans(self, r: int, cols=None) -> list[Span]:
        """Distinct source cells of row r (within cols), left to right."""
        out: list[Span] = []
        for c in cols if cols is not None else range(self.width):
            o = self.origins[r][c]
            if out and o is not None and out[-1].origin == o and out[-1].c1 == c - 1:
                out[-1] = Span(o, out[-1].c0, c, out[-1].text)
            else:
                out.append(Span(o, c, c, self.texts[r][c]))
        return out

    def first_row(self, span: Span, r: int) -> bool:
        return span.origin is None or self.bounds[span.origin][0] == r

    def row_span(self, span: Span) -> tuple[int, int]:
        if span.origin is None:
            return (-1, -1)
        r0, r1, _, _ = self.bounds[span.origin]
        return r0, r1

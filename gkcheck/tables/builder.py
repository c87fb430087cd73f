"""Collects the cells, unplaced cells, format evidence and notes of one placed table."""

from __future__ import annotations

from gkcheck.tables.cells import parse_cell
from gkcheck.tables.grid import Origin

TABLE_NAMES = {"T1": "（表二，主动公开）", "T2": "（表三，依申请公开）", "T3": "（表四，复议诉讼）"}


class TableBuilder:
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
        """Origins are (row, column), or (row, column, page) for a table spanning pages."""
        loc = {"table": self.index}
        page = origin[2] if origin is not None and len(origin) > 2 else self.page
        if page is not None:
            loc["page"] = page
        if origin is not None:
            loc["row"], loc["column"] = origin[0], origin[1]
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

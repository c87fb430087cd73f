"""Markdown pipe tables in text, the usual output of OCR and document converters.

    | 行政复议 | | | | |            ← leading/trailing pipes optional
    |---|---|---|---|---|           ← separator row optional
    | 维持 | 纠正 | 其他 | 尚未审结 | 总计 |

Consecutive lines with a "|" form a block; each block becomes a grid of cell texts for
gkcheck.tables, which identifies and places it like an HTML or Word table. The short
line just above a block is its title: a table printed in parts under sub-headings
(表四 as 行政复议 / 行政诉讼（未经复议直接起诉）/ …) is named by them. Merged cells come
out empty or repeated; placement reads both. One pass over the lines: linear time.
"""

from __future__ import annotations

import re
from collections import namedtuple

from gkcheck.util import regex

# grid: rows of cell texts; lines: the 1-based line of each grid row; start/end: character
# offsets of the block in the text; title: the line above it, if short.
PipeTable = namedtuple("PipeTable", "grid lines start end title")

_SEPARATOR = regex.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$")
_TITLE_MAX = 40


def find_pipe_tables(text: str) -> list[PipeTable]:
    """Every block of two or more pipe rows (separator rows aside), in text order."""
    if "|" not in text:  # full-width ｜ is folded to | by normalize()
        return []
    out: list[PipeTable] = []
    block: list = []  # (line number, start offset, end offset, stripped line)
    last_text = None  # (line, text) of the last non-blank line that is not a pipe row
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        end = offset + len(line)
        stripped = line.strip()
        if "|" in stripped:
            if not _SEPARATOR.match(stripped):
                block.append((number, offset, end, stripped))
        else:
            _close(block, last_text, out)
            block = []
            if stripped:
                last_text = (number, stripped)
        offset = end + 1
    _close(block, last_text, out)
    return out


def _cells(line: str, bordered: bool) -> list[str]:
    """Cell texts of a pipe row. In a bordered block ("| a | b |") the outer pipes are borders;
    otherwise ("a | b", " | 自然人 | …") a leading or trailing pipe closes an empty cell."""
    parts = line.split("|")
    if bordered:
        if line.startswith("|"):
            parts = parts[1:]
        if line.endswith("|") and len(parts) > 1:
            parts = parts[:-1]
    return [p.strip() for p in parts]


def _close(block: list, last_text, out: list) -> None:
    if len(block) < 2:
        return
    first_line = block[0][0]
    title = None
    if last_text is not None and last_text[0] < first_line and len(last_text[1]) <= _TITLE_MAX:
        title = last_text[1]
    # Markdown leaves the outer pipes optional: most rows decide for the block.
    bordered = 2 * sum(1 for b in block if b[3][0] == "|" and b[3][-1] == "|") > len(block)
    grid = [_cells(b[3], bordered) for b in block]
    out.append(PipeTable(grid, [b[0] for b in block], block[0][1], block[-1][2], title))


def read_pipe_tables(text: str) -> tuple[dict, list[str], str]:
    """(standard tables, notes, text with the pipe blocks blanked) for the pipe tables of `text`.

    Blocks are numbered after the "[表格N]" tables an HTML or Word reader already put in the
    text; each cell's location gains the line it was read from. Blanking (spaces, newlines
    kept) stops the flattened-table reader from reading pipe rows as runs of digits.
    """
    found = find_pipe_tables(text)
    if not found:
        return {}, [], text
    from gkcheck.tables import collect_tables

    base = text.count("[表格")
    grids = [{"grid": p.grid, "table_index": base + i, "title": p.title, "quiet": True}
             for i, p in enumerate(found, 1)]
    tables, notes = collect_tables(grids)
    lines = {base + i: p.lines for i, p in enumerate(found, 1)}
    for table in tables.values():
        for item in (*table["cells"], *table["unplaced"]):
            _add_line(item.get("location"), lines)
        _add_line(table.get("location"), lines)
    parts, pos = [], 0
    for p in found:
        parts += [text[pos:p.start], re.sub(r"[^\n]", " ", text[p.start:p.end])]
        pos = p.end
    parts.append(text[pos:])
    return tables, notes, "".join(parts)


def _add_line(loc: dict | None, lines: dict) -> None:
    if not loc or loc.get("table") not in lines:
        return
    rows = lines[loc["table"]]
    loc["line"] = rows[loc["row"] - 1] if 0 < loc.get("row", 0) <= len(rows) else rows[0]

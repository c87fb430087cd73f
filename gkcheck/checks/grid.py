"""One table of one report, indexed once for every table rule that reads it.

A batch runs some forty relations over the same three tables of each report; indexing the
cells, the axis keys and the plain numbers once per report (not once per rule) is what
keeps checking cheap. The Grid is kept in the report's cache, so it lives as long as the
report does.
"""

from __future__ import annotations

from gkcheck.report.model import number

# How a cell reads on the fast path (see Relation.evaluate): a number, or a blank / dash, or
# a number from a flattened split chosen by arithmetic, whose state is then the tuple of the
# relations' axes that chose it (a relation of such an axis takes the slow path, which says
# the instance proves nothing). Anything else (text, ambiguous, a number without a value)
# takes the slow path.
NUMBER, BLANK = 0, 1
_ZERO_BLANK = (0, BLANK)


class Grid:
    __slots__ = ("cells", "cols", "fast", "other", "rows", "table")

    def __init__(self, table: dict):
        self.table = table
        cells: dict = {}
        fast: dict = {}
        other = []  # the cells, in order, that are not a count (a non-negative integer)
        for cell in table.get("cells") or ():  # one pass: this runs for every table of every report
            key = (cell["row"], cell["col"])
            cells[key] = cell  # two cells at one place: the last is read, as everywhere
            kind = cell.get("kind")
            if kind == "number":
                value = cell.get("value")
                state = tuple(cell["split"].get("used") or ()) or NUMBER if "split" in cell else NUMBER
                if type(value) is int:  # exact already: no Decimal needed to add or compare
                    fast[key] = (value, state)
                    if value >= 0:
                        continue
                elif value is not None:
                    fast[key] = (number(value), state)
                else:
                    fast.pop(key, None)
            elif kind == "blank" or kind == "dash":
                fast[key] = _ZERO_BLANK
            else:
                fast.pop(key, None)
            other.append(cell)
        self.other = other
        cols = dict.fromkeys(table.get("columns") or ())
        cols.update(dict.fromkeys([col for _, col in cells]))
        self.cells, self.fast = cells, fast
        self.rows, self.cols = list(dict.fromkeys([row for row, _ in cells])), list(cols)

    def keys(self, axis: str) -> list[str]:
        """Keys present on an axis ("row" or "col"), in table order."""
        return self.rows if axis == "row" else self.cols


def grid_of(report, name: str) -> Grid | None:
    """The report's table `name`, indexed (None when the report has no such table)."""
    cache = report._cache
    key = ("grid", name)
    if key not in cache:
        table = report.table(name)
        cache[key] = Grid(table) if table is not None else None
    return cache[key]

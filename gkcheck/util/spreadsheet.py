"""CSV cells a spreadsheet shows as text: Excel and WPS run a cell that starts with = + - @
(or a tab, CR or LF before them) as a formula, e.g. =HYPERLINK(…) or a DDE command. Such a
cell gets a leading apostrophe (the usual defence; the cell then reads as text), unless it is
a plain number ("-12", "+3.5"), which the spreadsheet reads as that number anyway."""

from __future__ import annotations

from gkcheck.util import regex

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = regex.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def inert(value):
    """The value as a CSV cell a spreadsheet will not evaluate ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value

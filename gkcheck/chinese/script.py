"""Traditional script: mirror sites serve the same report in traditional characters (總體情況,
統計期限, 行政復議). Such text is read in simplified characters; OpenCC converts it, imported only
when a text has traditional characters (a cheap check first), so the cold start does not pay for it.

The conversion keeps every line's length, so offsets and line numbers in the converted text are
those of the printed text, and evidence can be quoted as printed (`as_printed`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from gkcheck.util import regex

# The most frequent characters of these reports that exist only in traditional script (not in GB2312):
# every report in traditional script has many of them.
_TRADITIONAL = "[開報條況務辦實區請動項發國進規關數時計據會網費門復結處對設與議過機題則類體華總業號訴問點說標經單統]"
_ENOUGH = 5  # a name or a quotation in traditional characters does not make a traditional report


def has_traditional(text: str) -> bool:
    if "開" not in text and "報" not in text and "體" not in text and "統" not in text:
        return False  # no report in traditional script goes without these; str search is cheap
    count = 0
    for _ in re.finditer(_TRADITIONAL, text):
        count += 1
        if count >= _ENOUGH:
            return True
    return False


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text in simplified characters, line for line and character for character."""
    convert = _converter().convert
    out = []
    for line in text.split("\n"):
        simple = convert(line)
        if len(simple) != len(line):  # a phrase became one of another length: that clause, then its characters
            simple = "".join(_same_length(part, convert) for part in _CLAUSES.split(line))
        out.append(simple)
    return "\n".join(out)


_CLAUSES = regex.compile(r"(?<=[。，；：、！？\s])")


def _same_length(part: str, convert) -> str:
    simple = convert(part)
    if len(simple) == len(part):
        return simple
    return "".join(s if len(s := convert(c)) == 1 else c for c in part)


def as_printed(quote: str, printed: str, read: str, near: int = 0) -> str:
    """`quote`, taken from the converted text `read`, as `printed` shows it (same offsets)."""
    at = read.find(quote, near)
    if at < 0:
        at = read.find(quote)
    return printed[at: at + len(quote)] if at >= 0 else quote

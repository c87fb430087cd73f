"""Text normalisation for Chinese report text.

Full-width ASCII forms become ASCII so that patterns need only one spelling of
"（一）", "：", "２０１６"; CJK punctuation outside that block (。、“”《》【】—) is
kept because it carries meaning the checks rely on.
"""

from __future__ import annotations

from functools import lru_cache

from gkcheck.util import regex

# Unicode spaces that PDFs and web pages put where a plain space is meant.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

# One character to one character: offsets stay valid (dates.find_dates relies on it).
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({ord(c): " " for c in _SPACES})

_NORMALIZE_TABLE = dict(_WIDTH_TABLE)
_NORMALIZE_TABLE.update({ord(c): None for c in _ZERO_WIDTH})
_NORMALIZE_TABLE.update({0x2028: "\n", 0x2029: "\n"})

_RUN_OF_SPACES = regex.compile("[ \t" + _SPACES + "]+")


@lru_cache(maxsize=64)  # the date finders fold the same report text several times
def fold_width(text: str) -> str:
    """Full-width ASCII forms to ASCII and Unicode spaces to " ", keeping the length."""
    return text.translate(_WIDTH_TABLE)


def normalize(text: str) -> str:
    """fold_width, plus: drop zero-width characters, CRLF/CR/U+2028/U+2029 to LF. Idempotent."""
    text = text.translate(_NORMALIZE_TABLE)
    # After the translate, so that "\r<ZWSP>\n" also collapses to one newline.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def fold_space(s: str) -> str:
    """Collapse runs of spaces and tabs (Unicode spaces too) into one space; newlines are kept."""
    return _RUN_OF_SPACES.sub(" ", s)


_SPACE_PUNCT = regex.compile(r"[\s\W_]+")


def agency_key(name: str | None) -> str | None:
    """An agency's identity across its reports: the name without width, spacing or punctuation
    differences, and 人民政府 read as 政府 (上海市政府办公厅 = 上海市人民政府办公厅)."""
    if not name:
        return None
    import unicodedata

    key = _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", name)).replace("人民政府", "政府")
    return key or None

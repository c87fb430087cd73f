"""Report text made safe for a terminal, a CI log or a one-line annotation.

A report is untrusted input (a web page): its text must never drive the terminal it is shown on.
C0 and C1 control characters (ESC starts colour, title and clear-screen sequences; a newline
would start a second annotation) and the bidi overrides that reorder what is shown
(U+202A–U+202E, U+2066–U+2069) are shown as visible escapes: "\\x1b", "\\n", "\\u202e".
Used by the text, github and junit formats, audit's text lines and summary, and the command
line's error lines. JSON and SARIF keep the text exactly (their encoders escape it).
"""

from __future__ import annotations

import re

from gkcheck.util import regex

UNSAFE = regex.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(text) -> str:
    """`text` with every control character and bidi override written as a visible escape."""
    text = "" if text is None else str(text)
    return UNSAFE.sub(_escape, text) if UNSAFE.search(text) else text


def shown_all(value):
    """A copy of a document (dicts, lists, strings) with every string passed through shown()
    (a string that needs no change is kept as it is)."""
    if type(value) is str:
        return shown(value)
    if type(value) is dict:
        return {k: shown_all(v) for k, v in value.items()}
    if type(value) is list:
        return [shown_all(v) for v in value]
    return value

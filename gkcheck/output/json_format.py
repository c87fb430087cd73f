"""JSON for programs: the contract documented in docs/output.md.

orjson writes the text, several times faster than the standard library (whose indented
output is pure Python). What orjson refuses (an integer beyond 64 bits, a lone surrogate, a
non-string key) goes through json.dumps, whose output differs only in how a float exponent
is written (1e16 / 1e+16); a NaN or infinite float (no report holds one) is written null.
Either way the layout is json.dumps(indent=2, ensure_ascii=False).
"""

from __future__ import annotations

import json

_options = None


def dumps(value, level: int = 0) -> str:
    """`value` as indented JSON, as if nested `level` deep (the batch writes its entries so)."""
    return dumps_utf8(value, level).decode("utf-8")


def dumps_utf8(value, level: int = 0) -> bytes:
    """dumps(value, level) as the UTF-8 that is written out: orjson's own bytes, not decoded to
    text and encoded again (a batch writes some 50 KB per report)."""
    return indented_utf8(value, level)[2 * level:]


def indented_utf8(value, level: int = 0) -> bytes:
    """`value` as it stands `level` deep in the indented document, the indentation of its first
    line included. orjson indents it there itself when it is written inside `level` lists, which
    are then cut off: no second pass over the text to indent its lines."""
    global _options
    try:
        import orjson
    except ImportError:  # an install older than the dependency: slower, same layout
        orjson = None
    if orjson is not None:
        if _options is None:
            _options = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
        nested = value
        for _ in range(level):
            nested = [nested]
        try:
            data = orjson.dumps(nested, default=str, option=_options)
        except (TypeError, orjson.JSONEncodeError):
            pass
        else:
            head = sum(2 * i + 2 for i in range(level))  # "[\n", "  [\n", …
            return data[head:len(data) - head]  # "\n  ]", "\n]": as long as the head
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" in a JSON report): escape, stay valid UTF-8
        data = json.dumps(value, ensure_ascii=True, indent=2, default=str).encode("utf-8")
    # no raw newline is inside a string
    return b"  " * level + data.replace(b"\n", b"\n" + b"  " * level) if level else data


def render(doc: dict, **_options) -> str:
    return dumps(doc) + "\n"

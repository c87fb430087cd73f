"""The JSON document written a report at a time, byte for byte what json_format.render gives.

json.dumps with indent=2 indents a nested value by its depth only, so an entry written on its
own at depth 2 is exactly its text inside "reports". Audit adds two top-level fields to the
contract: "pairs" (the cross-year pairs made) and "interrupted".

The entry is written by _pretty, not json.dumps: with an indent the standard library encodes
in pure Python through nested generators, about twice as slow; _pretty reproduces its output
(separators, escaping via the same encode_basestring, float and key rules, default=str).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string

_INF = float("inf")


def _float(f: float) -> str:
    if f != f:
        return "NaN"
    if f == _INF:
        return "Infinity"
    if f == -_INF:
        return "-Infinity"
    return float.__repr__(f)


def _key(k) -> str:
    if isinstance(k, str):
        return k
    if k is True or k is False or k is None:
        return {True: "true", False: "false", None: "null"}[k]
    if isinstance(k, float):
        return _float(k)
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _pretty(o, level: int, out: list) -> None:
    t = type(o)
    if t is str:
        out.append(_string(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif t is int:
        out.append(int.__repr__(o))
    elif t is float:
        out.append(_float(o))
    elif t is dict or t is list or t is tuple:
        if not o:
            out.append("{}" if t is dict else "[]")
            return
        inner = "\n" + "  " * (level + 1)
        sep = ("{" if t is dict else "[") + inner
        if t is dict:
            for k, v in o.items():
                out.append(sep + _string(_key(k)) + ": ")
                _pretty(v, level + 1, out)
                sep = "," + inner
        else:
            for v in o:
                out.append(sep)
                _pretty(v, level + 1, out)
                sep = "," + inner
        out.append("\n" + "  " * level + ("}" if t is dict else "]"))
    elif isinstance(o, str):  # subclasses, in the order json.encoder tests them
        out.append(_string(o))
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, dict):
        _pretty(dict(o), level, out)
    elif isinstance(o, (list, tuple)):
        _pretty(list(o), level, out)
    else:
        _pretty(str(o), level, out)  # default=str, as json_format.render


def dumps_at(value, level: int) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2, default=str) as if nested `level` deep."""
    out: list = []
    _pretty(value, level, out)
    return "".join(out)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def piece(entry: dict, **_options) -> str:
    return "    " + dumps_at(entry, 2)


class Writer:
    def __init__(self, out, **_options):
        self.out = out
        self.count = 0

    def begin(self) -> None:
        from gkcheck.output import document

        head = _dumps({"tool": document([])["tool"]})
        self.out.write(head[:-2] + ',\n  "reports": [')

    def add(self, text: str) -> None:
        self.out.write(("\n" if self.count == 0 else ",\n") + text)
        self.count += 1

    def end(self, tally, pairs: list[dict], interrupted: bool) -> None:
        tail = _dumps({"summary": tally.summary(), "pairs": pairs, "interrupted": interrupted})
        self.out.write(("\n  ]" if self.count else "]") + "," + tail[1:] + "\n")

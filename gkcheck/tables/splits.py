"""Splitting a run of values printed without separators ("693665") into a row's columns.

A number never spans whitespace, never has a leading zero ("05") and has a decimal
point only in a column that takes amounts. Values already separated one per column
are taken as printed (their totals are for the audit to check). Otherwise every split
that fits is counted and the row's own totals narrow them down; only a unique split
is ever used.
"""

from __future__ import annotations

import re
from decimal import Decimal

_DASHES = "—–-－/"
_TOKEN = re.compile(rf"[{_DASHES}]+|[\d.]+")
_UNIT = re.compile(r"([万千亿]?元)$")
MAX_SPLITS = 5000  # beyond this many candidate splits the row is simply ambiguous


def split_run(printed: str, decimals: list[bool], check=None) -> tuple[list[str] | None, int, bool]:
    """(values as printed, number of fitting splits, whether a token had to be cut).

    `decimals[i]` says whether column i takes a decimal amount; `check(values)` gets the
    numbers of a candidate split (dashes as 0) and says whether the row's totals hold.
    values is None unless exactly one split fits.
    """
    unit_m = _UNIT.search(printed.strip())
    unit = unit_m.group(1) if unit_m else ""
    body = printed.strip()[: unit_m.start()] if unit_m else printed.strip()
    tokens = [t for chunk in re.split(r"[\s,，]+", body) if chunk for t in _TOKEN.findall(chunk)]
    n = len(decimals)
    found: list[list[str]] = []
    count = 0

    # chars[t]: characters left from token t on; a split needs between one column per
    # remaining token and one per remaining character.
    chars = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        chars[i] = chars[i + 1] + (1 if tokens[i][0] in _DASHES else len(tokens[i]))

    def walk(t: int, pos: int, col: int, acc: list[str]) -> bool:
        nonlocal count
        left = n - col
        if t < len(tokens) and not (len(tokens) - t <= left <= chars[t] - (pos if pos else 0)):
            return True
        if col == n:
            if t == len(tokens) and (check is None or check([_num(v) for v in acc])):
                count += 1
                if len(found) < 2:
                    found.append(list(acc))
            return count < MAX_SPLITS
        if t == len(tokens):
            return True
        token = tokens[t]
        if token[0] in _DASHES:
            if pos == 0:
                acc.append(token)
                ok = walk(t + 1, 0, col + 1, acc)
                acc.pop()
                return ok
            return True
        for end in range(pos + 1, len(token) + 1):
            piece = token[pos:end]
            if not _valid(piece, decimals[col]):
                continue
            acc.append(piece)
            ok = walk(t + 1, 0, col + 1, acc) if end == len(token) else walk(t, end, col + 1, acc)
            acc.pop()
            if not ok:
                return False
        return True

    if tokens and len(tokens) == n and all(_valid(t, d) or t[0] in _DASHES for t, d in zip(tokens, decimals)):
        return tokens[:-1] + [tokens[-1] + unit], 1, False  # separated as printed: no guess, no check
    if tokens and len(tokens) < n:
        walk(0, 0, 0, [])
    if count != 1:
        return None, count, True
    values = found[0]
    if unit:
        values[-1] += unit
    return values, 1, len(tokens) != n


def _valid(piece: str, decimal: bool) -> bool:
    if not piece or piece[0] == "." or piece[-1] == ".":
        return False
    if "." in piece and (not decimal or piece.count(".") > 1):
        return False
    whole = piece.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def _num(text: str) -> Decimal:
    return Decimal(text) if text[0] not in _DASHES else Decimal(0)

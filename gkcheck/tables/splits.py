"""Splitting a run of values printed without separators ("693665") into a row's columns.

A number never spans whitespace, never has a leading zero ("05") and has a decimal
point only in a column that takes amounts. Values already separated one per column
are taken as printed (their totals are for the audit to check). Otherwise every split
that fits is enumerated, and for each column it is recorded whether all of them agree
on its value: first over every split the digits allow, then over those that also keep
the row's own totals (`check`). What further evidence may choose among the remaining
splits (figures in the text, the table's column totals) is decided by the caller
(gkcheck.extract.flattened); nothing here guesses.

A long run has too many splits to look at each (15 columns from 28 digits: 20 million).
Then, if the caller says how the row's totals sit (`shape`), only splits that can keep
them are walked: T3's blocks are checked as each one ends, T2's total (the last column)
is taken first and the parts may not add up past it. The columns are then not known to
be fixed by the digits alone (that needed every split).
"""

from __future__ import annotations

import re
from collections import namedtuple
from decimal import Decimal

from gkcheck.util import regex

_DASHES = "—–-－/"
_TOKEN = regex.compile(rf"[{_DASHES}]+|[\d.]+")
_UNIT = regex.compile(r"([万千亿]?元)$")
MAX_SPLITS = 5000  # beyond this many splits that keep the totals the row is simply ambiguous
MAX_LEAVES = 20_000  # splits looked at in one walk
MAX_STEPS = 40_000  # steps of the walks over one run: a bound on the work a long run can cause
MAX_KEPT = 500  # candidate splits kept for evidence to choose among

_VARIES = object()

# as_printed: the values were separated one per column (no guess).
# count: splits that keep the row's totals; complete: every such split was looked at.
# digits / row: per column, the value every split agrees on (None where they differ or the
#   enumeration was cut short), over all splits / over those that keep the totals.
# candidates: the splits that keep the totals (None when more than MAX_KEPT).
# steps: the work the walks took (callers bound it over a document).
Splits = namedtuple("Splits", "as_printed count complete digits row candidates unit cut steps")


def enumerate_splits(printed: str, decimals: list[bool], check=None, shape=None, steps: int = 0) -> Splits:
    """Every way `printed` splits into len(decimals) columns; see Splits.

    `decimals[i]` says whether column i takes a decimal amount; `check(values)` gets the
    numbers of a candidate split (dashes as 0) and says whether the row's totals hold.
    `shape` (with `check`): ("blocks", w) – blocks of w columns, each ending in its total;
    ("total", parts) – the last column is the sum of the columns `parts`.
    `steps` bounds the work (default MAX_STEPS); a walk cut short leaves the row ambiguous.
    """
    unit_m = _UNIT.search(printed.strip())
    unit = unit_m.group(1) if unit_m else ""
    body = printed.strip()[: unit_m.start()] if unit_m else printed.strip()
    tokens = [t for chunk in re.split(r"[\s,，]+", body) if chunk for t in _TOKEN.findall(chunk)]
    n = len(decimals)
    if tokens and len(tokens) == n and all(_valid(t, d) or t[0] in _DASHES for t, d in zip(tokens, decimals)):
        values = tokens[:-1] + [tokens[-1] + unit]  # separated as printed: no guess, no check
        return Splits(True, 1, True, values, values, [values], unit, False, 0)
    # With a shape, the walk over every split only serves to see columns fixed by the
    # digits alone: a short one; the walk cut short by the totals follows if it ends early.
    budget = min(steps or MAX_STEPS, MAX_STEPS)
    walk = _Walk(n, decimals, check, steps=budget // 6 if shape else budget)
    if tokens and len(tokens) < n:
        walk.run(tokens)
    digits = _agreed(walk.all_agree, walk.complete, unit)
    used = walk.steps
    if not walk.complete and shape and check is not None and tokens and len(tokens) < n:
        walk = _Walk(n, decimals, check, shape, steps=max(budget - used, 1))
        walk.run(tokens)
        used += walk.steps
    row = _agreed(walk.ok_agree, walk.complete and walk.count > 0, unit)
    kept = walk.kept if walk.complete and walk.count <= MAX_KEPT else None
    if kept is not None and unit:
        kept = [v[:-1] + [v[-1] + unit] for v in kept]
    return Splits(False, walk.count, walk.complete, digits, row, kept, unit, len(tokens) != n, used)


def agreed(candidates: list[list[str]]) -> list[str | None]:
    """Per column, the value every candidate split agrees on, else None."""
    if not candidates:
        return []
    return [col[0] if all(v == col[0] for v in col) else None for col in zip(*candidates)]


def number(text: str) -> Decimal:
    """The number a split piece means (a dash is 0, a unit is dropped)."""
    text = _UNIT.sub("", text)
    return Decimal(text) if text[0] not in _DASHES else Decimal(0)


def _numbers(values: list[str]) -> list:
    return [int(v) if v.isdigit() else number(v) for v in values]


class _Walk:
    """Depth-first over the splits of a run's tokens; at most MAX_LEAVES looked at."""

    def __init__(self, n: int, decimals: list[bool], check, shape=None, steps: int = MAX_STEPS):
        self.n, self.decimals, self.check, self.shape, self.max_steps = n, decimals, check, shape, steps
        self.count = self.leaves = self.steps = 0
        self.kept: list[list[str]] = []
        self.all_agree: list = [None] * n  # None: no split seen yet
        self.ok_agree: list = [None] * n
        self.total = None  # shape "total": the last column's value while its parts are walked

    @property
    def complete(self) -> bool:
        return self.leaves <= MAX_LEAVES and self.count < MAX_SPLITS and self.steps <= self.max_steps

    def run(self, tokens: list[str]) -> None:
        if not self.shape or self.shape[0] != "total":
            self._walk(tokens, self.n, [])
            return
        last = tokens[-1]  # the total is the last token, or its end
        for cut in range(len(last) - 1, -1, -1) if last[0] not in _DASHES else (0,):
            piece = last[cut:]
            if not (piece[0] in _DASHES or _valid(piece, self.decimals[-1])):
                continue
            self.total = _numbers([piece])[0]
            rest = tokens[:-1] + ([last[:cut]] if cut else [])
            if rest and not self._walk(rest, self.n - 1, [], [piece]):
                return

    def _walk(self, tokens: list[str], n: int, acc: list[str], suffix=()) -> bool:
        # chars[t]: characters left from token t on; a split needs between one column per
        # remaining token and one per remaining character.
        chars = [0] * (len(tokens) + 1)
        for i in range(len(tokens) - 1, -1, -1):
            chars[i] = chars[i + 1] + (1 if tokens[i][0] in _DASHES else len(tokens[i]))
        decimals, shape = self.decimals, self.shape or ("", None)
        parts = shape[1] if shape[0] == "total" else ()

        steps = [self.steps]

        def walk(t: int, pos: int, col: int, partial) -> bool:
            steps[0] += 1
            if steps[0] > self.max_steps:
                return False
            left = n - col
            if t < len(tokens) and not (len(tokens) - t <= left <= chars[t] - (pos if pos else 0)):
                return True
            if col == n:
                return self._leaf(acc + list(suffix)) if t == len(tokens) else True
            if t == len(tokens):
                return True
            token = tokens[t]
            if token[0] in _DASHES:
                ends = [len(token)] if not pos else []
            else:
                ends = range(pos + 1, len(token) + 1)
            decimal = decimals[col]
            for end in ends:
                piece = token[pos:end]
                if piece[0] in _DASHES:
                    pass
                elif not decimal:  # a longer piece keeps a leading zero or a point: stop there
                    if piece[0] == "." or piece[-1] == "." or (piece[0] == "0" and end - pos > 1):
                        break
                elif not _valid(piece, True):
                    continue
                now = partial
                if col in parts:
                    now = partial + _numbers([piece])[0]
                    if now > self.total:
                        break  # a longer piece is larger still
                    rest, k = ((chars[t] - end) if end < len(token) else chars[t + 1]), left - 1
                    most = 10 ** (rest - k + 1) + 9 * k if k else 0  # above what k more values can add
                    if rest >= k and now + most < self.total:
                        continue  # the digits left cannot add up to the total
                acc.append(piece)
                ok = True
                if shape[0] != "blocks" or (col + 1) % shape[1] or self.check(
                        _numbers(acc) + [0] * (self.n - len(acc))):  # blocks not reached read as zeros
                    ok = walk(t + 1, 0, col + 1, now) if end == len(token) else walk(t, end, col + 1, now)
                acc.pop()
                if not ok:
                    return False
            return True

        try:
            return walk(0, 0, 0, 0)
        finally:
            self.steps = steps[0]

    def _leaf(self, values: list[str]) -> bool:
        self.leaves += 1
        _agree(self.all_agree, values)
        if self.check is None or self.check(_numbers(values)):
            self.count += 1
            _agree(self.ok_agree, values)
            if len(self.kept) <= MAX_KEPT:
                self.kept.append(values)
        return self.complete


def _agree(agree: list, values: list[str]) -> None:
    for i, v in enumerate(values):
        if agree[i] is None:
            agree[i] = v
        elif agree[i] is not _VARIES and agree[i] != v:
            agree[i] = _VARIES


def _agreed(agree: list, complete: bool, unit: str) -> list[str | None]:
    out = [v if complete and v is not None and v is not _VARIES else None for v in agree]
    if unit and out and out[-1] is not None:
        out[-1] += unit
    return out


def _valid(piece: str, decimal: bool) -> bool:
    if not piece or piece[0] == "." or piece[-1] == ".":
        return False
    if "." in piece and (not decimal or piece.count(".") > 1):
        return False
    whole = piece.split(".")[0]
    return whole == "0" or not whole.startswith("0")

"""Literal prefilters for rule patterns: skip the regex when a text cannot hold a match.

Most sentences of a report do not speak of most topics, yet a topic pattern such as
"(政府信息公开|政务公开|信息公开).{0,20}(考核|考评)" costs its full scan on each of them. From the
parsed pattern we take a few strings one of which every match must contain ("考核", "考评"); a
text that holds none of them is answered without running the regex, by str.find in C.

The analysis is conservative: anything it does not understand (case-insensitive matching,
character classes, lookarounds, optional parts) contributes nothing, and a pattern without a
usable set of strings is used as it is. tests/test_needles.py checks with hypothesis that a
prefiltered pattern answers every search exactly as the pattern does.
"""

from __future__ import annotations

import re

from gkcheck.util.regex import remembered

try:  # sre internals as Python 3.11+ names them; elsewhere there is no prefilter, no harm
    from re import _constants as c
    from re import _parser

    _REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
    _ATOMIC = c.ATOMIC_GROUP
except (ImportError, AttributeError):  # pragma: no cover - Python 3.10
    c = _parser = None

VERSION = 1  # of the analysis, in the cache key: a corrected analysis is not served old answers
MAX_NEEDLES = 6  # strings in one set: more would cost more to look for than the scan saves
MAX_SETS = 3  # sets that must all be met


def needles(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    """Sets of strings such that every match of `pattern` contains one string of each set, or
    None if none can be told."""
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - sre internals of another Python version: no prefilter
        return None
    if parsed.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_VERBOSE):
        return None
    sets = _required(list(parsed))
    return tuple(tuple(sorted(s)) for s in sets[:MAX_SETS]) or None


def _required(items: list) -> list[frozenset[str]]:
    """Sets of strings each of which a match of this sequence must contain one of."""
    found, run = [], []
    for op, av in items + [(None, None)]:  # a sentinel ends the last run of literals
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        found += _one(op, av)
    return found


def _one(op, av) -> list[frozenset[str]]:
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return [] if add_flags & c.SRE_FLAG_IGNORECASE else _required(list(sub))
    if op is _ATOMIC:
        return _required(list(av))
    if op in _REPEATS:
        low, _high, sub = av
        return _required(list(sub)) if low >= 1 else []
    if op is c.BRANCH:  # one set: for each alternative its best set, together
        union = set()
        for alternative in av[1]:
            sets = _required(list(alternative))
            if not sets:
                return []
            union |= min(sets, key=lambda s: (len(s), -min(map(len, s))))
        return [frozenset(union)] if len(union) <= MAX_NEEDLES else []
    return []  # classes, any, assertions, anchors, group references: no string is certain


class Prefiltered:
    """A compiled pattern whose search and finditer of a whole text first look for its needles.
    A search from a position (the next match after one, a window of a sentence) goes straight to
    the regex: looking for a needle that is not there would read the rest of the text each time,
    and a caller that searches a text again and again would pay quadratic time."""

    __slots__ = ("_needles", "pattern", "regex")

    def __init__(self, regex: re.Pattern, found: tuple[tuple[str, ...], ...]):
        self.regex, self._needles, self.pattern = regex, found, regex.pattern

    def _may_match(self, text: str) -> bool:
        for strings in self._needles:
            for needle in strings:
                if needle in text:
                    break
            else:
                return False
        return True

    def search(self, text: str, *args, **kwargs):
        if args or kwargs:
            return self.regex.search(text, *args, **kwargs)
        return self.regex.search(text) if self._may_match(text) else None

    def finditer(self, text: str, *args, **kwargs):
        if args or kwargs:
            return self.regex.finditer(text, *args, **kwargs)
        return self.regex.finditer(text) if self._may_match(text) else iter(())

    def __getattr__(self, name):  # match, sub, groupindex, …: as the pattern does
        if name in Prefiltered.__slots__:  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.regex, name)


def prefiltered(regex: re.Pattern) -> re.Pattern | Prefiltered:
    """The pattern with a literal prefilter when its matches must contain one of a few strings."""
    if not isinstance(regex.pattern, str) or regex.flags & (re.IGNORECASE | re.VERBOSE):
        return regex
    found = remembered(("needles", VERSION, regex.pattern), lambda: needles(regex.pattern))
    if found and not _well_formed(found):  # a damaged cache entry
        found = needles(regex.pattern)
    return Prefiltered(regex, found) if found else regex


def _well_formed(found) -> bool:
    return type(found) is tuple and all(type(s) is tuple and s and all(type(x) is str and x for x in s)
                                         for s in found)

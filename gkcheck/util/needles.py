"""Literal prefilters for rule patterns: skip the regex when a text cannot hold a match.

Most sentences of a report do not speak of most topics, yet a topic pattern such as
"(政府信息公开|政务公开|信息公开).{0,20}(考核|考评)" costs its full scan on each of them. From the
parsed pattern we take a few strings one of which every match must contain ("考核", "考评"); a
text that holds none of them is answered without running the regex, by str.find in C.

Where a text does hold one (公开 is in most sentences of these reports), the regex still runs,
and re tries every alternative of a joined pattern at every position. When every match must
begin with one of a few characters, the pattern is compiled behind a lookahead for them,
"(?=[不拒免未没无全均])(?:…)": a position that cannot begin a match is refused by one class test,
a fourth of the time the alternatives cost there (re does this itself only when each alternative
begins with a plain literal, and the "(?:…)" of a joined list hides that).

The analysis is conservative: anything it does not understand (case-insensitive matching,
character classes, lookarounds, optional parts) contributes nothing, and a pattern without a
usable set of strings or first characters is used as it is. tests/test_needles.py checks with
hypothesis that a prefiltered pattern answers every search exactly as the pattern does.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from gkcheck.util.regex import compile as regex_compile
from gkcheck.util.regex import remembered

try:  # sre internals as Python 3.11+ names them; elsewhere there is no prefilter, no harm
    from re import _compiler, _parser
    from re import _constants as c

    _REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
    _ATOMIC = c.ATOMIC_GROUP
except (ImportError, AttributeError):  # pragma: no cover - Python 3.10
    c = _compiler = _parser = None

VERSION = 3  # of the analysis, in the cache key: a corrected analysis is not served old answers
MAX_NEEDLES = 6  # strings in one set: more would cost more to look for than the scan saves
MAX_SETS = 3  # sets that must all be met
MAX_FIRST = 64  # first characters: more, and the class test refuses too few positions to pay


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
    kept: list[frozenset[str]] = []
    for s in sets:
        if not any(_implies(k, s) for k in kept):
            kept = [k for k in kept if not _implies(s, k)] + [s]
    return tuple(tuple(sorted(s)) for s in kept[:MAX_SETS]) or None


def _implies(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether a text that holds a string of `a` holds one of `b` (then `b` filters nothing more):
    each string of `a` holds one of `b`, as 信息公开 holds 公开."""
    return all(any(y in x for y in b) for x in a)


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
    if op is c.BRANCH:
        return _branch([_required(list(alternative)) for alternative in av[1]])
    return []  # classes, any, assertions, anchors, group references: no string is certain


def _branch(alternatives: list[list[frozenset[str]]]) -> list[frozenset[str]]:
    """One set every match of one of the alternatives meets: a set of each alternative, together.
    Which set of each is taken decides how much the union filters: in
    "信息公开.{0,20}追责|追责.{0,12}信息公开" the 信息公开 sets together are met by most sentences
    of a report, the 追责 sets by few. So besides each alternative's own best set, together, a
    union is made around each set any alternative has, taking from every alternative the set
    nearest to it (most strings in common, counting a string inside another); the smallest wins.
    Only a branch whose own best sets make a small union gets one: where they do not, the
    strings are mostly short and common, and looking for them costs more than the regex."""
    if not alternatives or not all(alternatives):
        return []
    plain = set().union(*(min(sets, key=_size) for sets in alternatives))
    if len(plain) > MAX_NEEDLES:
        return []
    unions = [_simplest(plain)]
    for theme in dict.fromkeys(s for sets in alternatives for s in sets):
        unions.append(_simplest(set().union(*(max(sets, key=lambda s: (_kinship(s, theme), -len(s), min(map(len, s))))
                                               for sets in alternatives))))
    return [min(unions, key=_size)]


def _size(strings: frozenset[str]) -> tuple[int, int]:
    """Fewer strings first, then the longer shortest one (a rarer string)."""
    return len(strings), -min(map(len, strings))


def _kinship(strings: frozenset[str], theme: frozenset[str]) -> int:
    return sum(any(a in b or b in a for b in theme) for a in strings)


def _simplest(strings: set[str]) -> frozenset[str]:
    """The strings without those that hold another of them (a text holding 责任追究 holds 追究)."""
    return frozenset(a for a in strings if not any(b != a and b in a for b in strings))


def first_chars(pattern: str) -> str | None:
    """The characters one of which every match of `pattern` begins with, sorted, or None when a
    match may be empty or begin with almost anything."""
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - as in needles()
        return None
    if parsed.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_VERBOSE):
        return None
    chars, empty = _first(list(parsed))
    if chars is None or empty or not chars or len(chars) > MAX_FIRST:
        return None
    return "".join(sorted(chars))


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(the characters a match of this sequence can begin with, whether it can be empty);
    None for the characters when they cannot be told."""
    out: set[str] = set()
    for op, av in items:
        chars, empty = _first_one(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not empty:
            return out, False
    return out, True


def _first_one(op, av) -> tuple[set[str] | None, bool]:
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        return _class(av), False
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero width: the next item begins the match
        return set(), True
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return (None, False) if add_flags & c.SRE_FLAG_IGNORECASE else _first(list(sub))
    if op is _ATOMIC:
        return _first(list(av))
    if op in _REPEATS:
        low, _high, sub = av
        chars, empty = _first(list(sub))
        return chars, empty or low == 0
    if op is c.BRANCH:
        out, any_empty = set(), False
        for alternative in av[1]:
            chars, empty = _first(list(alternative))
            if chars is None:
                return None, False
            out |= chars
            any_empty = any_empty or empty
        return out, any_empty
    return None, False  # any character, a negated or named class, a group reference, ...


def _class(items) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            out.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < MAX_FIRST:
            out.update(map(chr, range(av[0], av[1] + 1)))
        else:  # negated, \d \s \w, a wide range
            return None
    return out


def _wrapped(source: str, first: str) -> str:
    """The pattern behind a lookahead for its first characters (the same matches and groups)."""
    return f"(?=[{''.join(map(re.escape, first))}])(?:{source})"


class Prefiltered:
    """A compiled pattern whose search and finditer of a whole text first look for its needles.
    A search from a position (the next match after one, a window of a sentence) goes straight to
    the regex: looking for a needle that is not there would read the rest of the text each time,
    and a caller that searches a text again and again would pay quadratic time."""

    __slots__ = ("_needles", "_one_line", "pattern", "regex")

    def __init__(self, regex: re.Pattern, found: tuple[tuple[str, ...], ...], pattern: str | None = None):
        self.regex, self._needles, self.pattern = regex, found, pattern or regex.pattern
        self._one_line = not any("\n" in needle for strings in found for needle in strings)

    def may_match(self, text: str) -> bool:
        """False when `text` (or any part of it) cannot hold a match: it lacks the needles."""
        for strings in self._needles:
            for needle in strings:
                if needle in text:
                    break
            else:
                return False
        return True

    def holders(self, joined: str, starts: list[int]):
        """The indices, in order, of the parts of `joined` (texts joined by "\\n", part i
        beginning at starts[i]) that may_match would not refuse. Each needle is looked for from
        where it was last found, never again over the same text: linear in `joined`, however
        many parts there are (looking in each part would cost a Python call per part)."""
        if not self._one_line:  # a needle could cross from one part into the next
            yield from range(len(starts))
            return
        at: dict[str, int] = {}  # needle → where it next occurs, -1: nowhere further on
        i, n = 0, len(starts)
        while i < n:
            start, furthest = starts[i], i
            for strings in self._needles:
                nearest = -1
                for needle in strings:
                    p = at.get(needle)
                    if p is None or 0 <= p < start:  # not looked for yet, or found before this part
                        p = at[needle] = joined.find(needle, start)
                    if p >= 0 and (nearest < 0 or p < nearest):
                        nearest = p
                if nearest < 0:  # no part from here on holds any of this set
                    return
                furthest = max(furthest, bisect_right(starts, nearest) - 1)
            if furthest == i:
                yield i
                i += 1
            else:
                i = furthest

    def search(self, text: str, *args, **kwargs):
        if args or kwargs:
            return self.regex.search(text, *args, **kwargs)
        return self.regex.search(text) if self.may_match(text) else None

    def finditer(self, text: str, *args, **kwargs):
        if args or kwargs:
            return self.regex.finditer(text, *args, **kwargs)
        return self.regex.finditer(text) if self.may_match(text) else iter(())

    def __getattr__(self, name):  # match, sub, groupindex, …: as the pattern does
        if name in Prefiltered.__slots__:  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.regex, name)


def unwrapped(pattern):
    """The regex itself of a prefiltered pattern (any other pattern as it is): for texts known to
    hold its needles, or too short for looking for them first to pay."""
    return pattern.regex if isinstance(pattern, Prefiltered) else pattern


def compile_prefiltered(source: str) -> re.Pattern | Prefiltered:
    """regex.compile(source), with a literal prefilter when its matches must contain one of a few
    strings, and behind a lookahead for its first characters when they are few. Only the pattern
    that is searched is compiled: a cold run pays one compilation (from the cache) per pattern."""
    sets, first = _analysed(source)
    fast = regex_compile(_wrapped(source, first) if first else source)
    return Prefiltered(fast, sets, source) if sets else fast


def _analysed(source: str) -> tuple:
    found = remembered(("prefilter", VERSION, source), lambda: _analysis(source))
    return found if _well_formed(found) else _analysis(source)  # else: a damaged cache entry


def _analysis(pattern: str) -> tuple:
    first = None if _sre_skips(pattern) else first_chars(pattern)
    if first:
        try:  # worked out once per installation: global flags "(?s)" must stay at the start
            re.compile(_wrapped(pattern, first))
        except re.error:
            first = None
    return needles(pattern), first


def _sre_skips(pattern: str) -> bool:
    """Whether re already skips positions by itself (a literal prefix or a set of first
    characters it could see): a lookahead in front would hide that and cost time."""
    try:
        code = _compiler._code(_parser.parse(pattern), 0)
        return code[0] == c.INFO and bool(code[2] & (c.SRE_INFO_PREFIX | c.SRE_INFO_CHARSET))
    except Exception:  # noqa: BLE001 - sre internals of another Python version: leave it be
        return True


def _well_formed(found) -> bool:
    if type(found) is not tuple or len(found) != 2:
        return False
    sets, first = found
    return (sets is None or (type(sets) is tuple and sets and all(
        type(s) is tuple and s and all(type(x) is str and x for x in s) for s in sets))) \
        and (first is None or (type(first) is str and first))

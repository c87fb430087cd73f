"""Label normalisation and matching against the label catalogue (catalogue.yaml).

Printed labels differ from the national format in whitespace, full-width forms,
punctuation, numbering and the odd typo, so matching works on a "core" (numbering,
whitespace and punctuation removed) and is exact first, then fuzzy.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from functools import cache
from pathlib import Path

from gkcheck.util import regex
from gkcheck.util.memo import text_cache

# A fuzzy score must reach THRESHOLD and beat the runner-up by MARGIN, so that a
# garbled label never lands on one of two similar rows by a hair.
THRESHOLD = 0.75
MARGIN = 0.06
_CONTAIN_MIN = 4  # shorter catalogue labels ("其他", "总计") must match exactly

_CN_NUMERALS = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}
# Patterns are compiled on first use (rx): compiling them all costs more at import
# than the rest of the package.
_NUMBERING = (
    r"^\s*(?:\(\s*(?P<a>[一二三四五六七八九十]{1,3}|\d{1,2})\s*\)"
    r"|(?P<b>[一二三四五六七八九十]{1,3})\s*[、.,]"
    r"|(?P<c>\d{1,2})\s*[、.,)](?!\d))\s*"
)
_NON_WORD = r"[\W_]+"
_ARTICLE = r"第二十条第?([一二三四五六七八九十]{1,3})项"
_SPACE_RUN = r"\s+"  # Unicode-aware: also U+00A0, U+3000
_ZERO_WIDTH = "[\u200b-\u200d\u2060\ufeff]"
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_IN_CJK = rf"(?<=[{_CJK}])\s+(?=[{_CJK}])"


@cache
def rx(pattern: str) -> re.Pattern:
    return regex.compile(pattern)


def _shared_normalize(text: str) -> str:
    # The project's normaliser (width folding, odd spaces); imported lazily to keep
    # gkcheck.tables cheap to import.
    try:
        from gkcheck.chinese.normalize import normalize
    except ImportError:  # pragma: no cover - only while the module did not exist
        return text
    return normalize(text)


@text_cache(16384)
def clean_text(text: str | None) -> str:
    """Printed cell text: odd spaces folded, whitespace collapsed, no space between CJK characters.

    Characters are otherwise kept as printed (full-width brackets stay). Word-pasted HTML
    breaks labels with <br> ("本年新<br>制作数量"); PDF text breaks them with spaces
    ("4.无正当理由大量反复 申请"): both read back as one label.
    """
    if not text:
        return ""
    text = rx(_SPACE_RUN).sub(" ", rx(_ZERO_WIDTH).sub("", text)).strip()
    return rx(_SPACE_IN_CJK).sub("", text)


@text_cache(16384)
def fold(text: str) -> str:
    """clean_text plus width folding (project normaliser, then NFKC): for comparing, not printing."""
    return unicodedata.normalize("NFKC", _shared_normalize(clean_text(text)))


def split_numbering(text: str) -> tuple[str | None, str]:
    """("1", "属于国家秘密") for "1.属于国家秘密"; (None, text) without numbering.

    Numbers are returned as Arabic digits so that "（三）" and "3." compare equal.
    """
    text = fold(text)
    m = rx(_NUMBERING).match(text)
    if not m:
        return None, text
    raw = m.group("a") or m.group("b") or m.group("c")
    return _numeral(raw), text[m.end():]


def _numeral(raw: str) -> str:
    if raw.isdigit():
        return str(int(raw))
    if len(raw) == 1:
        return str(_CN_NUMERALS[raw])
    tens, _, ones = raw.partition("十")  # 十一 .. 九十九
    return str(_CN_NUMERALS.get(tens, 1) * 10 + _CN_NUMERALS.get(ones, 0))


def core(text: str) -> str:
    """The comparable part of a label: no numbering, whitespace or punctuation."""
    return rx(_NON_WORD).sub("", split_numbering(text)[1])


def article_item(text: str) -> str | None:
    """"（一）" for "第二十条第（一）项" (the T1 block titles), else None."""
    m = rx(_ARTICLE).search(rx(_NON_WORD).sub("", fold(text)))
    return m.group(1) if m else None


# ----------------------------------------------------------------------------- catalogue


# namedtuples rather than dataclasses: cheaper to create at import.
Alias = namedtuple("Alias", "core formats")
# axis: "row", "col" or "group"; number: the printed numbering as Arabic digits
Entry = namedtuple("Entry", "table axis key printed parent number formats aliases unit")
# formats: the formats that print the label that matched
Match = namedtuple("Match", "key score exact formats entry")


_ALL_FORMATS = frozenset({"2019", "2021"})
_AXES = {"rows": "row", "columns": "col", "groups": "group"}
_catalogue: dict | None = None


def load_catalogue() -> dict:
    """The parsed catalogue.yaml, loaded once."""
    global _catalogue
    if _catalogue is None:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with open(Path(__file__).with_name("catalogue.yaml"), encoding="utf-8") as fh:
            _catalogue = yaml.load(fh, Loader=loader)
    return _catalogue


@cache
def entries(table: str, axis: str) -> tuple:
    """Catalogue entries of one table and axis ("row", "col", "group")."""
    spec = load_catalogue()["tables"][table]
    name = next(k for k, v in _AXES.items() if v == axis)
    return tuple(_entry(table, axis, item) for item in spec.get(name, []))


def _entry(table: str, axis: str, item: dict) -> Entry:
    formats = frozenset(item.get("formats") or _ALL_FORMATS)
    aliases = [Alias(core(item["printed"]), formats)]
    for alias in item.get("aliases", []):
        if isinstance(alias, dict):
            aliases.append(Alias(core(alias["label"]), frozenset(alias.get("formats") or formats)))
        else:
            aliases.append(Alias(core(alias), formats))
    # A label listed with its own formats (decisions) overrides the entry-wide one.
    by_core: dict[str, Alias] = {}
    for alias in aliases:
        if alias.core not in by_core or alias.formats != formats:
            by_core[alias.core] = alias
    return Entry(
        table=table, axis=axis, key=item["key"], printed=item["printed"], parent=item.get("parent"),
        number=split_numbering(item["printed"])[0], formats=formats,
        aliases=tuple(by_core.values()), unit=item.get("unit"),
    )


def table_spec(table: str) -> dict:
    return load_catalogue()["tables"][table]


@cache
def marker_cores(table: str, name: str) -> frozenset:
    """Cores of a list-valued catalogue field (header_marker, aliases_title)."""
    return frozenset(core(x) for x in table_spec(table).get(name, []))


# ----------------------------------------------------------------------------- matching


def match_label(text: str, table: str, axis: str, parents: tuple = ()) -> Match | None:
    """Best catalogue entry for a printed label, or None.

    `parents` are the group keys printed above/left of the label, outermost first: only
    entries under the innermost one compete ("1." under （三） vs under （四）); when none
    of them fits, every entry of the axis competes.
    """
    if not text:
        return None
    return _match(fold(text), table, axis, tuple(parents))


@text_cache(4096)
def _match(text: str, table: str, axis: str, parents: tuple) -> Match | None:
    number, rest = split_numbering(text)
    label = rx(_NON_WORD).sub("", rest)
    if not label:
        return None
    candidates = entries(table, axis)
    if parents:
        under = tuple(e for e in candidates if e.parent == parents[-1])
        found = _best(label, number, under) if under else None
        if found:
            return found
    return _best(label, number, candidates)


def _best(label: str, number: str | None, candidates) -> Match | None:
    fast = _exact_only(label, number, candidates)
    if fast is not None:
        return fast
    scored = []
    for entry in candidates:
        score, alias = _score(label, entry)
        if score <= 0:
            continue
        if number and entry.number and score < 1.0:
            # The printed number is evidence when the text alone is not conclusive.
            score += 0.08 if number == entry.number else -0.08
        scored.append((score, entry, alias))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    best, entry, alias = scored[0]
    runner_up = next((s for s, e, _ in scored[1:] if e.key != entry.key), 0.0)
    exact = alias.core == label
    if not exact and (best < THRESHOLD or best - runner_up < MARGIN):
        return None
    if exact and runner_up >= 1.0:
        return None  # the same label under two keys: ambiguous by construction
    return Match(entry.key, round(min(best, 1.0), 3), exact, alias.formats, entry)


def _exact_only(label: str, number: str | None, candidates) -> Match | None:
    """The match _best would return when exactly one key prints the label as is and no
    other entry can reach a score of 1 (only the numbering bonus could lift one there):
    the common case, decided without fuzzy scoring."""
    hits = [(e, a) for e in candidates for a in e.aliases if a.core == label]
    if not hits or len({e.key for e, _ in hits}) > 1:
        return None
    entry, alias = hits[0]
    for other in candidates:
        if other.key == entry.key or not (number and other.number == number):
            continue
        if _score(label, other)[0] + 0.08 >= 1.0:
            return None
    return Match(entry.key, 1.0, True, alias.formats, entry)


def _score(label: str, entry: Entry) -> tuple[float, Alias]:
    best, best_alias = 0.0, entry.aliases[0]
    counts = None
    for alias in entry.aliases:
        if alias.core == label:
            return 1.0, alias
        score = 0.0
        short, long_ = sorted((alias.core, label), key=len)
        if len(short) >= _CONTAIN_MIN and short in long_:
            # An explanatory addition ("部分公开（区分处理的…）") or a shortened label.
            score = 0.85 + 0.1 * len(short) / len(long_)
        elif len(short) >= 3 and 2 * len(short) / (len(short) + len(long_)) >= THRESHOLD - 0.1:
            # difflib's quick_ratio bound, computed without building a matcher for every alias:
            # first a looser one from character sets (shared characters plus the label's repeats)
            if counts is None:
                counts, chars = _counts(label), frozenset(label)
                repeats = len(label) - len(chars)
            total = len(label) + len(alias.core)
            if 2 * (len(chars & _chars(alias.core)) + repeats) / total < THRESHOLD - 0.1:
                continue
            common = sum(min(n, counts.get(ch, 0)) for ch, n in _counts(alias.core).items())
            if 2 * common / total >= THRESHOLD - 0.1:
                matcher = _matcher(alias.core)
                matcher.set_seq1(label)
                score = matcher.ratio()
        if score > best:
            best, best_alias = score, alias
    return best, best_alias


@text_cache(4096)
def _counts(text: str) -> dict:
    out: dict = {}
    for ch in text:
        out[ch] = out.get(ch, 0) + 1
    return out


@cache
def _chars(text: str) -> frozenset:
    return frozenset(text)


@cache
def _matcher(core_text: str):
    """One SequenceMatcher per catalogue label: its index of the label is built once."""
    from difflib import SequenceMatcher  # lazy: only the fuzzy path needs it

    return SequenceMatcher(None, "", core_text, autojunk=False)

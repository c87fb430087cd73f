"""Where a check looks: sections chosen by heading, or the whole report; text split into sentences."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from pathlib import Path
from typing import NamedTuple

from gkcheck.errors import ParamError
from gkcheck.report.model import Report, SectionView
from gkcheck.util import regex
from gkcheck.util.needles import Prefiltered, compile_prefiltered, unwrapped

SCOPE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sections": {"type": "array", "items": {"type": "string"}, "description": "regex on section headings"},
        "exclude_sections": {"type": "array", "items": {"type": "string"}},
        "fallback": {"enum": ["document", "none"], "description": "when no heading matches"},
    },
}

_SENTENCE = regex.compile(r"[^。；;！!？?]+[。；;！!？?]?")
# PDF and crawler text wraps lines anywhere, even inside a figure ("行政复议 351\n件"), so a line
# break ends a sentence only where the next line starts a numbered item.
_ITEM_BREAK = regex.compile(r"\n(?=\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.．](?!\d)|[①-⑳]))")
_WRAP = regex.compile(r"[ \t]*\n\s*")


def sentences_of(sec: SectionView, report: Report | None = None):
    """(sentence, line) of a section's own text, wrapped lines joined; split once per report
    when the report is given (a dozen rules read the same sections)."""
    if report is None:
        return _split(sec)
    key = ("sentences", sec.index)
    cache = report._cache
    if key not in cache:
        cache[key] = _split(sec)
    return cache[key]


def _split(sec: SectionView) -> list[tuple[str, int | None]]:
    text = sec.text or ""
    if "\n" not in text:  # one line: nothing wrapped to join, no line to count
        line = sec.text_line or None
        return [(sentence, line) for sentence in map(str.strip, _SENTENCE.findall(text)) if sentence]
    return list(_split_lines(text, sec.text_line))


def _split_lines(text: str, line: int | None):
    counted = 0  # lines counted up to offset `counted`: each once (linear time)
    for m in _SENTENCE.finditer(text):
        start, whole = m.start(), m.group()
        for part in _ITEM_BREAK.split(whole) if "\n" in whole else (whole,):
            sentence = (_WRAP.sub("", part) if "\n" in part else part).strip()
            if sentence:
                at = start + len(part) - len(part.lstrip())
                if line:
                    line += text.count("\n", counted, at)
                    counted = at
                yield sentence, line or None
            start += len(part) + 1


class _Each:
    """Patterns that cannot be joined into one (a group name used twice, a global flag): searched
    one by one."""

    def __init__(self, patterns: list[str]):
        self.patterns = [regex.compile(p) for p in patterns]

    def search(self, text: str):
        return next((m for p in self.patterns if (m := p.search(text))), None)


def _any_of(patterns: list[str]):
    """What searches a heading for any of the patterns: one regex when they join, else each."""
    if not patterns:
        return None
    try:
        return compile_patterns(patterns)
    except (re.error, ParamError):  # a numbered back-reference too: each keeps its own groups
        return _Each(patterns)


def _heading_search(pattern):
    """The search of a heading pattern: headings are short, so straight to the regex (looking for
    the needles first would cost more than it saves)."""
    return unwrapped(pattern).search


class Sentence(NamedTuple):
    text: str
    section: SectionView | None
    line: int | None


class Scope:
    def __init__(self, params: dict | None):
        params = params or {}
        self.include = _any_of(params.get("sections", []))
        self.exclude = _any_of(params.get("exclude_sections", []))
        self.fallback = params.get("fallback", "document")
        # rules share scopes (YAML anchors): equal parameters choose the same sections
        self.key = ("scope", tuple(params.get("sections", [])), tuple(params.get("exclude_sections", [])),
                    self.fallback)

    def sections(self, report: Report) -> tuple[list[SectionView], bool]:
        """The sections in scope and whether any heading matched (False means fallback)."""
        cache = report._cache
        if self.key not in cache:
            cache[self.key] = self._choose(report)
        return cache[self.key]

    def _choose(self, report: Report) -> tuple[list[SectionView], bool]:
        sections = report.sections
        excluded = set()  # a section and its descendants are the run after it in document order
        if self.exclude:
            search = _heading_search(self.exclude)
            for sec in sections:
                if search(sec.heading):
                    excluded.update(range(sec.index, sec.index + 1 + len(report.descendants(sec.index))))
        if not self.include:
            return [s for s in sections if s.index not in excluded], True
        search = _heading_search(self.include)
        chosen: set[int] = set()
        for sec in sections:
            if sec.index not in excluded and search(sec.heading):
                chosen.update(range(sec.index, sec.index + 1 + len(report.descendants(sec.index))))
        if chosen:
            return [s for s in sections if s.index in chosen and s.index not in excluded], True
        if self.fallback == "none":
            return [], False
        return [s for s in sections if s.index not in excluded], False

    def sentences(self, report: Report, headings: bool = False) -> list[Sentence]:
        """Sentences of the sections in scope; a heading alone states nothing, so it is opt-in.
        Listed once per report: rules share their scopes."""
        key = (self.key, "sentences", headings)
        cache = report._cache
        if key not in cache:
            out = []
            for sec in self.sections(report)[0]:
                if headings and sec.heading:
                    out.append(Sentence(sec.heading, sec, sec.line))
                out += [Sentence(text, sec, line) for text, line in sentences_of(sec, report)]
            cache[key] = out
        return cache[key]


def short_answers(scope: Scope, report: Report, limit: int = 30):
    """A heading with a one-line answer ("四、行政复议、行政诉讼情况" / "无。") states its topic:
    yield "heading：answer" for sections in scope whose own text is that short."""
    secs, _ = scope.sections(report)
    for sec in secs:
        answer = (sec.text or "").strip()
        if sec.heading and answer and len(answer) <= limit and not report.descendants(sec.index):
            yield Sentence(f"{sec.heading}：{answer}", sec, sec.line)


def readings(scope: Scope, report: Report) -> list[tuple[Sentence, int | None]]:
    """(sentence, heading_end) of the sections in scope: every sentence (heading_end None), then
    each heading with its short answer, where a topic counts only if it is named in the heading
    (heading_end is its length): "四、行政复议、行政诉讼情况：无。" states the review situation,
    "主动公开情况：严控三公经费" does not publish 三公经费. Listed once per report and scope:
    rules share their scopes."""
    key = ("readings", scope.key)
    cache = report._cache
    if key not in cache:
        cache[key] = [(sentence, None) for sentence in scope.sentences(report)] + \
            [(answer, len(answer.section.heading)) for answer in short_answers(scope, report)]
    return cache[key]


def readings_to_search(pattern, scope: Scope, report: Report):
    """(index, sentence, heading_end) of the readings of the scope, in order, leaving out those
    that lack the pattern's needles (which pattern.search would refuse anyway): a topic is
    looked for in the few sentences that name its words, not in each of them, and there by
    unwrapped(pattern)."""
    found = readings(scope, report)
    if not isinstance(pattern, Prefiltered):
        return ((i, sentence, heading_end) for i, (sentence, heading_end) in enumerate(found))
    text, starts = _joined(report, ("readings_text", scope.key), (sentence for sentence, _ in found))
    return ((i, *found[i]) for i in pattern.holders(text, starts))


def sentences_to_search(pattern, scope: Scope, report: Report) -> list[Sentence]:
    """scope.sentences(report) without those that lack the pattern's needles."""
    found = scope.sentences(report)
    if not isinstance(pattern, Prefiltered):
        return found
    text, starts = _joined(report, ("sentences_text", scope.key), found)
    return [found[i] for i in pattern.holders(text, starts)]


def _joined(report: Report, key: tuple, sentences) -> tuple[str, list[int]]:
    """The sentences' texts joined by "\n", and where each begins; once per report and key."""
    cache = report._cache
    if key not in cache:
        texts = [sentence.text for sentence in sentences]
        starts, at = [], 0
        for text in texts:
            starts.append(at)
            at += len(text) + 1
        cache[key] = "\n".join(texts), starts
    return cache[key]


def joined_sentences(sections, report: Report | None = None):
    """(section, sentence, location) for the given SectionViews, in order (headings excluded)."""
    for sec in sections:
        for text, line in sentences_of(sec, report):
            yield sec, text, location(Sentence(text, sec, line))


def location(sentence: Sentence) -> dict:
    loc = {"section": sentence.section.path} if sentence.section else {}
    if sentence.line:
        loc["line"] = sentence.line
    return loc


# \1 … \9 not after another backslash: a numbered back-reference
_NUMBERED_BACKREF = regex.compile(r"(?<!\\)(?:\\\\)*\\[1-9]")


def compile_patterns(patterns: list[str], field: str = "patterns") -> re.Pattern | None:
    """One regex for a list of alternatives, prefiltered by the strings its matches must contain.
    Joined, the groups of the later alternatives are numbered anew: \1 would refer to another
    group, so a numbered back-reference is refused (a named one, (?P=name), keeps its meaning)."""
    if not patterns:
        return None
    for p in patterns:
        if _NUMBERED_BACKREF.search(p):
            raise ParamError(field, f"正则 {p!r} 用了编号的反向引用；请用命名分组 (?P<名>…) 与 (?P=名)")
    return compile_prefiltered("|".join(f"(?:{p})" for p in patterns))


@cache
def _senses() -> dict:
    import yaml  # read on first use: only rules with `unless: ["@…"]` need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(Path(__file__).with_name("senses.yaml"), encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)["senses"]


def unless_patterns(items: list[str]) -> re.Pattern | None:
    """`unless` phrases; an item "@name" stands for the list `name` of senses.yaml."""
    out = []
    for item in items:
        if item.startswith("@"):
            senses = _senses()
            if item[1:] not in senses:
                raise ParamError("unless", f"未知的词义表 '{item}'（可用：{', '.join('@' + k for k in senses)}）")
            out += senses[item[1:]]
        else:
            out.append(item)
    return compile_patterns(out)


def topic_match(text: str, pattern: re.Pattern, unless: re.Pattern | None) -> re.Match | None:
    """The first match of a topic that no `unless` phrase overlaps: 收费 in 行政事业性收费 or
    收费标准 is another subject, and the sentence may still name the topic elsewhere."""
    m = pattern.search(text)
    if m is None or unless is None:
        return m
    others = [found.span() for found in unless.finditer(text)]  # disjoint and in order
    starts = [start for start, _ in others]
    while m is not None:
        i = bisect_left(starts, m.end()) - 1  # the last phrase that begins before the match ends
        if i < 0 or others[i][1] <= m.start():
            return m
        m = pattern.search(text, m.start() + 1)
    return None

"""A total and its parts as report prose states them, shared by the prose kinds (not a kind itself).

Two grammars are read, both with the total as the nearest figure before the breakdown:

    共主动公开政府信息700条，其中通过网站公开65条，政务微信公开635条       (marker, then label + figure …)
    共公布信息2599条（其中机构职能类信息25条，…，其他信息856条）          (the same, in brackets)
    共受理申请30件，予以公开、部分公开、不予公开分别为20件、6件、4件      (labels, 分别为, figures)

Each breakdown says whether the sentence presents its parts as the whole (包括/分为 at the marker,
分别为 without 其中, a last part 其他/其余 …) and why the parts might overlap or belong to another
quantity (channels, 涉及…, 上年/同比 figures, approximate figures, a list ending in 等). The rules'
vocabulary comes from the rule (PARAMS of the kinds); only the grammar is here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from typing import TYPE_CHECKING

from gkcheck.chinese.normalize import fold_width
from gkcheck.chinese.numbers import CN_CHARS, decimal, parse_number
from gkcheck.result import Outcome
from gkcheck.util import regex
from gkcheck.util.needles import Prefiltered, needles

if TYPE_CHECKING:
    from decimal import Decimal

# Each list holds plain words (looked for as substrings), "^word" (at the start of a label) or, where
# needed, regexes (compiled when first needed).
VOCAB_SCHEMA = {
    "type": "object",
    "required": ["units", "markers", "whole", "residual", "partial", "overlap", "other_period", "new_total"],
    "additionalProperties": False,
    "properties": {
        "units": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
                  "description": "units of counts and amounts (条, 件, 元 …); a part must have the total's unit"},
        "markers": {"type": "array", "minItems": 1, "items": {"type": "string"},
                    "description": "words that open a breakdown after the total (其中, 包括 …)"},
        "whole": {"type": "array", "items": {"type": "string"},
                  "description": "markers that say the parts are the whole (包括, 分为 …)"},
        "residual": {"type": "array", "items": {"type": "string"},
                     "description": "a last part that takes the rest (其他, 其余): the list is the whole"},
        "partial": {"type": "array", "items": {"type": "string"},
                    "description": "words after the list that leave it open (等)"},
        "overlap": {"type": "array", "items": {"type": "string"},
                    "description": "part labels that may overlap (channels: 网站, 微信; 涉及 …)"},
        "other_period": {"type": "array", "items": {"type": "string"},
                         "description": "words that put a figure in another period or comparison (上年, 同比)"},
        "new_total": {"type": "array", "items": {"type": "string"},
                      "description": "words that start a new total rather than a part (共, 累计 …)"},
    },
}

_OPEN, _CLOSE = "(", ")"
# what is trimmed from a label: joining words before it, verbs before its figure (compiling a
# regex of CJK characters costs a cold check more than these loops)
_LEAD = (" ", ",", "，", "、", ":", "：", ";", "；", "以及", "和", "及", "与", "另外", "还有", "其中")
_TRAIL = (" ", "为", "是", "有", "达", "计", "约", "共")
_SHARE = r"\s*[,，]?\s*\(?\s*占(?:比|比为|比例为|(?:总数|总量|总计|合计|全部)的?)?\s*(?P<p>\d+(?:\.(?P<d>\d+))?)\s*%\s*\)?"
_APPROX_BEFORE = ("约", "近", "超过", "逾", "将近", "大约", "不到", "不足", "上")
_APPROX_AFTER = ("以上", "左右", "上下", "之多")
_RESPECTIVELY = r"分别(?:为|是|有|达|占)?\s*"
LABEL_SPAN = 40  # how far back a label or a clause start is looked for
PER_SENTENCE = 8  # breakdowns or rates read in one sentence; real ones have one to three
_LIST_SEP = r"\s*(?:[、,，]|和|及|与|以及)\s*"
_ORDINAL = "第"
_CLAUSE_BREAK = ",，;；:："
_BRACKET = regex.compile(r"[()]")  # ASCII only: cheap to compile
_ASIDE = regex.compile(r"\([^()]*\)")


class Figure:
    __slots__ = ("start", "end", "value", "unit", "text", "approx")

    def __init__(self, start: int, end: int, value: int | Decimal, unit: str, text: str, approx: bool):
        self.start, self.end, self.value, self.unit, self.text, self.approx = start, end, value, unit, text, approx


class Part:
    __slots__ = ("label", "figure", "share")

    def __init__(self, label: str, figure: Figure, share: tuple[int | Decimal, int] | None = None):
        self.label, self.figure, self.share = label, figure, share   # share: (percent, decimals printed)


class Breakdown:
    __slots__ = ("total", "total_label", "parts", "whole", "doubts")

    def __init__(self, total: Figure, total_label: str, parts: list[Part], whole: bool, doubts: list[str]):
        self.total, self.total_label, self.parts = total, total_label, parts
        self.whole = whole
        self.doubts = doubts  # why the parts may not add up to the total

    @property
    def sum(self) -> int | Decimal:
        return sum(p.figure.value for p in self.parts)


class Words:
    """A list of words from a rule: plain words are looked for as substrings, the others (with
    regex syntax: 上一?年, ^共) as one regex compiled on first use. Compiling regexes is most of
    what a cold single check would pay for these lists."""

    def __init__(self, items: list[str], anchored: bool = False):
        if anchored:
            items = [f"^{w}" for w in items]
        self.plain = [w for w in items if re.escape(w) == w]
        self.first = tuple(w[1:] for w in items if w.startswith("^") and re.escape(w[1:]) == w[1:])  # "^共"
        self.rest = [w for w in items if w not in self.plain and not (w.startswith("^") and w[1:] in self.first)]
        self.starts = tuple(self.plain) + self.first  # str.startswith takes them all at once
        self._regex = None

    def search(self, text: str) -> bool:
        for word in self.plain:  # a loop, not any(genexpr): this runs for every sentence read
            if word in text:
                return True
        return text.startswith(self.first) or bool(self.rest and self._rest().search(text))

    def search_any(self, texts: list[str]) -> bool:
        """any(map(self.search, texts)), with the plain words looked for once in all the texts
        joined (no word holds a line break, so none is found across two texts)."""
        joined = "\n".join(texts)
        for word in self.plain:
            if word in joined:
                return True
        return any(t.startswith(self.first) or bool(self.rest and self._rest().search(t)) for t in texts)

    def match_at(self, text: str, pos: int, endpos: int) -> bool:
        """A word that begins at pos (and ends by endpos)."""
        return text.startswith(self.starts, pos, endpos) or \
            bool(self.rest and self._rest().match(text, pos, endpos))

    def _rest(self):
        if self._regex is None and self.rest:
            self._regex = regex.compile("|".join(f"(?:{w})" for w in self.rest))
        return self._regex


class Vocabulary:
    """The rule's words; the patterns are compiled when a sentence first passes the gate: most
    reports have few sentences with 其中 or 分别, and a cold single check pays for little else."""

    def __init__(self, params: dict):
        self.params = params
        self.gate = regex.compile("|".join(f"(?:{m})" for m in params["markers"]))
        # what every sentence the gate lets through holds: a marker's needles, or 分别
        sets = needles(self.gate.pattern)
        self.hint = Prefiltered(self.gate, (tuple(sorted({*sets[0], "分别"})),)) if sets else None
        self.key = ("prose", tuple(sorted((k, tuple(v)) for k, v in params.items())))
        self.whole = Words(params["whole"])
        self.residual = Words(params["residual"], anchored=True)
        self.partial = Words(params["partial"])
        self.overlap = Words(params["overlap"])
        self.other_period = Words(params["other_period"])
        self.new_total = Words(params["new_total"])
        self.figure = None

    def ready(self) -> Vocabulary:
        if self.figure is None:
            self.markers = self.gate
            self.figure = FigureReader(self.params["units"])
        return self


@cache
def _pattern(source: str) -> re.Pattern:
    """Compiled on first use: a cold check of a report without shares or 分别 never pays for it."""
    return regex.compile(source)


def _respectively_number(text: str) -> bool:
    start = text.find("分别")
    while start >= 0:
        after = text[start + 2:start + 4].lstrip("为是有达占 ")[:1]
        if after and (after.isdigit() or after in CN_CHARS):
            return True
        start = text.find("分别", start + 2)
    return False


def normal(text: str) -> str:
    """Full-width digits, brackets, commas and ％ to ASCII; the same length as the text."""
    return fold_width(text)


def trim(label: str) -> str:
    """A label without the joining words before it and the verb before its figure."""
    label = label.strip()
    while label.startswith(_LEAD):  # which one, only when one is there
        lead = next(w for w in _LEAD if label.startswith(w))
        label = label[len(lead):].lstrip()
    while label.endswith(_TRAIL):
        tail = next(w for w in _TRAIL if label.endswith(w))
        label = label[:-len(tail)].rstrip()
    return label


class FigureReader:
    """Counts and amounts with one of the units ("700条", "三件", "1.2万元", "5500余条"). Chinese
    numerals are folded to one ASCII mark first, so that the pattern has no CJK character class:
    compiling one is a large part of what a cold single check would pay here."""

    _FOLD = {ord(c): "\x01" for c in CN_CHARS}
    _CANDIDATE = regex.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\x01+")

    def __init__(self, units: list[str]):
        self.unit_starts = tuple(units)
        self.by_first: dict[str, list[str]] = {}  # first character → its units, 人次 before 人
        for unit in sorted(units, key=len, reverse=True):
            self.by_first.setdefault(unit[:1], []).append(unit)

    @classmethod
    def number_at(cls, text: str, pos: int) -> tuple[int, int] | None:
        """(start, end) of a number that begins at pos."""
        m = cls._CANDIDATE.match(text[pos:pos + 40].translate(cls._FOLD))
        return (pos, pos + m.end() + cls._multiplier(text, pos, pos + m.end())) if m else None

    @staticmethod
    def _multiplier(text: str, start: int, end: int) -> int:
        return 1 if text[end:end + 1] in ("万", "千", "亿") and text[start].isdigit() else 0  # 1.2万

    def read(self, text: str) -> list[Figure]:
        out = []
        for m in self._CANDIDATE.finditer(text.translate(self._FOLD)):
            start, end = m.span()
            if start and text[start - 1] == _ORDINAL:
                continue  # 第3期 is an ordinal
            end += self._multiplier(text, start, end)
            number = text[start:end]
            pos = _skip_space(text, end)
            post = text.startswith(("余", "多"), pos)
            pos = _skip_space(text, pos + post)
            unit = next((u for u in self.by_first[text[pos]] if text.startswith(u, pos)), None) \
                if text.startswith(self.unit_starts, pos) else None
            if unit is None:
                continue
            value = int(number) if number.isdecimal() else parse_number(number)  # what parse_number gives
            if value is None:
                continue
            stop = pos + len(unit)
            tail = next(w for w in _APPROX_AFTER if text.startswith(w, stop)) \
                if text.startswith(_APPROX_AFTER, stop) else ""
            # 余/多/约 say so; 1.2万 and 3千 are rounded to their last digit
            approx = bool(post or tail) or text.endswith(_APPROX_BEFORE, 0, start) or number[-1] in "万千亿"
            out.append(Figure(start, stop + len(tail), value, unit, text[start:stop + len(tail)], approx))
        return out


def _skip_space(text: str, pos: int) -> int:
    while text[pos:pos + 1].isspace():
        pos += 1
    return pos


class _Sentence:
    """One sentence's figures and bracket structure, indexed so that each lookup is a bisection:
    a long run of text (a flattened table read as one sentence) stays linear."""

    def __init__(self, text: str, figs: list[Figure]):
        self.text, self.figs = text, figs
        self.closing: dict[int, int] = {}  # position of "(" → its ")"
        self.brackets, self.levels_after = [], []  # bracket positions, nesting level just after each
        stack: list[int] = []
        for m in _BRACKET.finditer(text):
            if m.group() == _OPEN:
                stack.append(m.start())
            elif stack:
                self.closing[stack.pop()] = m.start()
            self.brackets.append(m.start())
            self.levels_after.append(len(stack))
        self.breaks = sorted(i for c in _CLAUSE_BREAK for i in _positions(text, c))
        self.levels: dict[int, list[Figure]] = {}
        for f in figs:
            self.levels.setdefault(self.depth(f.start), []).append(f)
        self.ends = {level: [f.end for f in fs] for level, fs in self.levels.items()}
        self.by_start = {f.start: f for f in figs}
        self.all_ends = [f.end for f in figs]

    def depth(self, pos: int) -> int:
        """How many brackets are open at pos (pos is not a bracket itself)."""
        i = bisect_left(self.brackets, pos) - 1
        return self.levels_after[i] if i >= 0 else 0

    def clause_start(self, pos: int, floor: int = 0) -> int:
        i = bisect_left(self.breaks, pos) - 1
        return max(self.breaks[i] + 1 if i >= 0 else 0, floor)

    def before(self, pos: int, level: int) -> Figure | None:
        """The last figure at this bracket level that ends by pos."""
        i = bisect_right(self.ends.get(level, []), pos) - 1
        return self.levels[level][i] if i >= 0 else None

    def between(self, start: int, end: int, level: int) -> list[Figure]:
        figs, ends = self.levels.get(level, []), self.ends.get(level, [])
        out = []
        for i in range(bisect_right(ends, start), len(figs)):
            if figs[i].end > end:
                break
            if figs[i].start >= start:
                out.append(figs[i])
        return out


def _positions(text: str, char: str):
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Where the clause holding pos begins (after the last comma, semicolon or colon); reads back
    at most LABEL_SPAN characters, which is all a label needs."""
    lo = max(floor, pos - LABEL_SPAN)
    return max([text.rfind(c, lo, pos) + 1 for c in _CLAUSE_BREAK] + [lo])


def breakdowns(sentence: str, vocab: Vocabulary) -> list[Breakdown]:
    # read only a sentence that might hold a breakdown: a marker, or 分别 before a number
    # (the markers are not ASCII: folding full-width forms leaves them as they are)
    if not vocab.gate.search(sentence) and not _respectively_number(sentence):
        return []
    vocab = vocab.ready()
    text = normal(sentence)
    figs = vocab.figure.read(text)
    if len(figs) < 2:
        return []
    s = _Sentence(text, figs)
    marks = []
    for m in vocab.markers.finditer(text):
        j = m.start() - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        marks.append((m, j if j >= 0 and text[j] == _OPEN else None))  # "（其中…" ends at its ")"
    totals = [s.before(m.start(), s.depth(m.start()) - (opened is not None)) for m, opened in marks]
    out = []
    for i, ((mark, opened), total) in enumerate(zip(marks, totals)):
        if total is None:
            continue
        end = s.closing.get(opened, len(text)) if opened is not None else len(text)
        if i + 1 < len(marks) and marks[i + 1][0].start() < end:  # the next breakdown's total is not a part here
            nxt, nxt_total = marks[i + 1][0], totals[i + 1]
            if nxt_total is not None and nxt_total.start >= mark.end():
                end = s.clause_start(nxt_total.start, mark.end())
            else:
                end = nxt.start()
        found = _after_marker(s, mark, total, end, vocab)
        if found:
            out.append(found)
    for m in (_pattern(_RESPECTIVELY).finditer(text) if "分别" in text else ()):
        found = _respectively(s, m, vocab)
        if found:
            out.append(found)
        if len(out) >= PER_SENTENCE:
            break
    return out[:PER_SENTENCE]


def _after_marker(s: _Sentence, mark: re.Match, total: Figure, end: int, vocab: Vocabulary) -> Breakdown | None:
    text = s.text
    if text.find("分别", mark.end(), end) >= 0:
        return None  # 「其中A、B分别为a、b」 is read by _respectively
    parts: list[Part] = []
    cursor = mark.end()
    for f in s.between(mark.end(), end, s.depth(mark.start())):
        label = trim(_ASIDE.sub("", trim(text[cursor:f.start])))  # an aside in brackets is not its name
        if f.unit != total.unit or vocab.new_total.search(label):
            break  # another quantity begins
        part = Part(label, f)
        share = _pattern(_SHARE).match(text, f.end) if "占" in text[f.end:f.end + 8] else None
        cursor = f.end
        if share:
            decimals = len(share.group("d") or "")
            part.share = (decimal(share.group("p")) if decimals else int(share.group("p")), decimals)
            cursor = share.end()
        parts.append(part)
    if not parts:
        return None
    doubts: list[str] = []
    whole = bool(vocab.whole.search(mark.group(0))) or bool(vocab.residual.search(parts[-1].label))
    if vocab.partial.match_at(text, cursor, min(end, cursor + 2)):
        whole = False
        doubts.append("分项以“等”结尾，未列全")
    _doubt(doubts, total, parts, vocab)
    return Breakdown(total, _total_label(s, total), parts, whole, doubts)


def _total_label(s: _Sentence, total: Figure) -> str:
    return trim(s.text[s.clause_start(total.start, total.start - LABEL_SPAN):total.start])


def _respectively(s: _Sentence, m: re.Match, vocab: Vocabulary) -> Breakdown | None:
    """「A、B、C分别为a件、b件、c件」: labels before 分别, figures after it (units may be on the last only)."""
    text = s.text
    values, pos = [], m.end()
    while (num := FigureReader.number_at(text, pos)) is not None:
        fig = s.by_start.get(num[0])
        value = fig.value if fig else parse_number(text[num[0]:num[1]])
        if value is None:
            return None
        values.append((num, fig, value))
        pos = fig.end if fig else num[1]
        sep = _pattern(_LIST_SEP).match(text, pos)
        if not sep:
            break
        pos = sep.end()
    if len(values) < 2 or values[-1][1] is None:
        return None
    unit = values[-1][1].unit
    if any(f is not None and f.unit != unit for _, f, _ in values):
        return None
    start = s.clause_start(m.start(), m.start() - LABEL_SPAN)
    i = bisect_right(s.all_ends, start) - 1
    while i >= 0 and s.figs[i].unit != unit:
        i -= 1
    if i < 0:
        return None
    total = s.figs[i]
    # 其中 may stand in an earlier clause: "共30件，其中，予以公开、部分公开分别为10件、5件"
    marker = None
    for marker in vocab.markers.finditer(text, max(total.end, m.start() - 2 * LABEL_SPAN), m.start()):
        pass
    head = text[max(start, marker.end()) if marker else start:m.start()]
    names = [n for n in _pattern(_LIST_SEP).split(trim(head)) if n]
    if len(names) != len(values):
        return None
    parts = [Part(name, fig or Figure(num[0], num[1], value, unit, text[num[0]:num[1]] + unit, False))
             for name, (num, fig, value) in zip(names, values)]
    doubts: list[str] = []
    whole = marker is None or bool(vocab.whole.search(marker.group(0))) or bool(vocab.residual.search(names[-1]))
    if marker is not None and not whole:
        doubts.append(f"“{marker.group(0)}……分别为”只说这几项各是多少")
    if vocab.partial.match_at(text, pos, pos + 2) or vocab.partial.search(names[-1][-1:]):
        whole = False
        doubts.append("分项以“等”结尾，未列全")
    _doubt(doubts, total, parts, vocab)
    return Breakdown(total, _total_label(s, total), parts, whole, doubts)


def _doubt(doubts: list[str], total: Figure, parts: list[Part], vocab: Vocabulary) -> None:
    if total.approx or any(p.figure.approx for p in parts):
        doubts.append("含约数（余、多、约、以上，或以万、千计）")
    labels = [p.label for p in parts]
    if vocab.overlap.search_any(labels):
        doubts.append("分项是渠道或交叉的类别，可能重叠")
    if vocab.other_period.search_any(labels):
        doubts.append("分项含其他年度或同比的数字")


def percent(part, whole) -> Decimal:
    """part / whole × 100, exactly enough to compare with a printed percentage."""
    return decimal(str(part)) / decimal(str(whole)) * 100


def within_printed(actual: Decimal, printed: int | Decimal, decimals: int) -> bool:
    """A percentage printed with `decimals` digits, rounded or cut off, is less than one unit of its
    last digit from the exact value (33%, 33.3% and 33.33% all read one third)."""
    return abs(actual - printed) < decimal("1").scaleb(-decimals)


def verdict(failed: list, passed: list, unsure: list, nothing: str, **values) -> Outcome:
    """fail on any failure; pass when something was checked; else not applicable, saying which
    sentences were ambiguous (their evidence is kept on a pass or a failure too)."""
    values = {"count": len(failed), "first": failed[0]["text"] if failed else "", **values}
    if failed:
        return Outcome.failed(failed + unsure, failed[0]["location"], **values)
    if passed:
        return Outcome.passed(passed + unsure, passed[0]["location"], **values)
    if unsure:
        return Outcome.not_applicable("ambiguous：" + "；".join(u["text"] for u in unsure[:3]), **values)
    return Outcome.not_applicable(nothing, **values)

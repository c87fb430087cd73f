"""Figures the narrative states for quantities a standard table also holds, used as evidence
for splitting a flattened table (gkcheck.tables.resolve), never as a check of their own.

    本年度共收到政府信息公开申请70件 …办结69件，1件结转下年度继续办理   → T2 total column
    本年制发行政规范性文件36件，废止2件，现行有效65件                     → T1 normative_docs
    被申请行政复议3件                                                   → T3 review total

Only clauses that name one quantity unambiguously count: a clause that mentions 上年 or
结转 beside 收到 (收到申请72件（含上年结转2件）) is not the year's new requests, a sentence
naming both 规章 and 规范性文件 says nothing about either row, and a quantity stated twice
with different figures is dropped. The text is read with the tables blanked out.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from gkcheck.util import regex

_CLAUSE = regex.compile(r"[^,，;；。!?！？\n]+")
_SENTENCE = regex.compile(r"[^。;；!?！？\n]+")
_GAP = r"[^,，;；。\d]{0,12}?"
_N = r"(\d{1,7})\s*件"

# (table, row, column, pattern, words the clause must have, words it must not have); the verbs
# are those of the rule text.figures (rules/format-common.yaml), which reads the same sentences
_T2 = (
    ("received", rf"(?:收到|新收|受理|接收|接到){_GAP}{_N}", ("申请",), ("上年", "结转", "办结", "去年")),
    ("total_results", rf"(?:办结|办理完结|办理完毕){_GAP}{_N}", (), ("上年", "去年", "结转")),
    ("carried_forward", rf"{_N}{_GAP}结转(?:至|到)?下一?年", (), ("上年",)),
    ("carried_forward", rf"结转(?:至|到)?下一?年度?{_GAP}{_N}", (), ("上年",)),
    ("carried_over", rf"上一?年度?结转{_GAP}{_N}", (), ()),
)
_T1 = (("issued", rf"制发{_GAP}{_N}"), ("repealed", rf"废止{_GAP}{_N}"), ("in_force", rf"现行有效{_GAP}{_N}"))
_T3 = (("review", rf"行政复议{_GAP}{_N}", ("诉讼",)),)


def stated_figures(text: str) -> dict:
    """{(tid, row, col): (Decimal, quote, offset)} for the quantities stated once (or always
    alike); offset is where the quote starts in `text`."""
    found: dict = {}
    for s in _SENTENCE.finditer(text):
        sentence = s.group()
        if "件" not in sentence:
            continue
        t1_row = _t1_row(sentence)
        for c in _CLAUSE.finditer(sentence):
            clause = c.group()
            if "件" not in clause:
                continue
            at = s.start() + c.start()
            for row, pattern, need, avoid in _T2:
                _add(found, ("T2", row, "total"), pattern, clause, at, need, avoid)
            if t1_row:
                for col, pattern in _T1:
                    _add(found, ("T1", t1_row, col), pattern, clause, at, (), ("上年", "去年"))
            for row, pattern, avoid in _T3:
                _add(found, ("T3", row, "total"), pattern, clause, at, (), avoid)
    return {k: v for k, v in found.items() if v is not None}


def _t1_row(sentence: str) -> str | None:
    regulations = "规章" in sentence
    normative = "规范性文件" in sentence
    if regulations == normative:
        return None
    return "normative_docs" if normative else "regulations"


@cache
def _compiled(pattern: str) -> re.Pattern:
    return regex.compile(pattern)


def _add(found: dict, key: tuple, pattern: str, clause: str, at: int, need, avoid) -> None:
    if any(w not in clause for w in need) or any(w in clause for w in avoid):
        return
    m = _compiled(pattern).search(clause)
    if not m:
        return
    value = Decimal(m.group(1))
    if key in found and (found[key] is None or found[key][0] != value):
        found[key] = None  # stated twice, differently: no evidence
        return
    found.setdefault(key, (value, m.group().strip(), at + m.start()))

"""Figures stated in the narrative agree with the table cells holding the same quantity.

    kind: text_figures
    quantities:
      - name: 本年收到申请
        patterns: ["(?:收到|受理)[^，。；0-9]{0,20}?申请[^，。；0-9]{0,8}?(?P<n>[0-9][0-9,]*)\\s*件"]
        cells: [{table: T2, row: received, col: total}]
        variants:                       # another reading when the sentence says so
          - when: ["含上年结转"]
            cells: [{table: T2, row: received, col: total}, {table: T2, row: carried_over, col: total}]
        scope: {sections: ["总体情况", "收到和处理"]}

Each pattern must capture the figure as (?P<n>…); the figure must be followed by the unit
件 (a figure without it is ignored). Matching is per sentence within the quantity's scope.
A variant applies when its `when` words qualify the figure itself: they are looked for in the
match and after the unit up to the end of the clause, so "受理申请15件（含上年结转3件）" is
read with the variant and "受理申请3119件，答复3050件（含上年度结转申请34件）" is not.
A figure the text states (not 0) against table cells that are all blank is not compared: a
blank read as 0 says nothing against it (the table rules report the blank).
When one figure is captured by two quantities' patterns ("收到并办结申请10件") it is
reported as ambiguous, not compared; different figures of one sentence ("收到申请12件，
办结10件") are each compared with their own quantity. A figure of a list read with 分别
("予以公开、部分公开、不予公开分别为20件、6件、4件") is not read: which item it belongs to is
told by its place in the list, which a pattern cannot see.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from gkcheck.checks.grid import grid_of
from gkcheck.checks.scope import SCOPE_SCHEMA, Scope, Sentence, location, sentences_of
from gkcheck.checks.tablecells import (
    TABLES,
    ZERO,
    col_label,
    read_cell,
    row_label,
    show,
    usable_table,
)
from gkcheck.result import Outcome
from gkcheck.util import regex
from gkcheck.util.needles import Prefiltered, compile_prefiltered

_CELLS = {
    "type": "array", "minItems": 1,
    "items": {"type": "object", "required": ["table", "row", "col"], "additionalProperties": False,
              "properties": {"table": {"enum": list(TABLES)}, "row": {"type": "string"}, "col": {"type": "string"}}},
}

PARAMS = {
    "type": "object",
    "required": ["quantities"],
    "additionalProperties": False,
    "properties": {
        "quantities": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "patterns", "cells"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "patterns": {"type": "array", "minItems": 1, "items": {"type": "string"},
                                 "description": "regex with a named group n (the figure)"},
                    "cells": _CELLS,
                    "variants": {"type": "array", "items": {
                        "type": "object", "required": ["when", "cells"], "additionalProperties": False,
                        "properties": {"when": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                                       "cells": _CELLS}}},
                    "scope": SCOPE_SCHEMA,
                },
            },
        },
        "scope": SCOPE_SCHEMA,
        "blank": {"enum": ["zero", "missing"], "description": "a blank table cell reads as 0 (default) or is missing"},
        "exclude": {"type": "array", "items": {"type": "string"}, "description": "sentences never read"},
    },
}

_UNIT = regex.compile(r"\s*件")
_CLAUSE_END = regex.compile(r"[，,。；;！？!?]")


class _Quantity:
    def __init__(self, spec: dict, scope: dict | None):
        self.name = spec["name"]
        # each is searched in every sentence with 件 in scope: most hold none of its words
        self.patterns = [compile_prefiltered(p) for p in spec["patterns"]]
        for source, p in zip(spec["patterns"], self.patterns):
            if "n" not in p.groupindex:
                raise ValueError(f"text_figures: pattern {source!r} of {self.name} has no (?P<n>…) group")
        self.cells = spec["cells"]
        self.variants = [([regex.compile(w) for w in v["when"]], v["cells"]) for v in spec.get("variants", [])]
        self.scope = Scope(spec.get("scope") or scope)

    def cells_for(self, context: str) -> list[dict]:
        for when, cells in self.variants:
            if any(w.search(context) for w in when):
                return cells
        return self.cells


def _claims(text: str, quantities: list[_Quantity], live: set) -> list:
    """((start, end), {quantity name: (quantity, context)}) of the figures of 件 the quantities'
    patterns read in one sentence, in order of place; only the patterns in `live` (by id) can
    match in this report."""
    claims: dict[tuple[int, int], dict[str, tuple[_Quantity, str]]] = {}
    for q in quantities:
        for p in q.patterns:
            if id(p) not in live:
                continue
            for m in p.finditer(text):
                start, end = m.span("n")
                unit = _UNIT.match(text, end) if start >= 0 else None
                if unit is None or "分别" in text[m.start():start]:
                    continue
                # the words that qualify this figure: the match itself and what follows
                # the unit up to the end of the clause ("15件（含上年结转3件）")
                stop = _CLAUSE_END.search(text, unit.end())
                context = m.group(0) + text[unit.end(): stop.start() if stop else len(text)]
                claims.setdefault((start, end), {})[q.name] = (q, context)
    return sorted(claims.items())


def _sentences(report, quantities: list[_Quantity], exclude: list) -> list[tuple]:
    """(section, sentence, line, its NFKC text, the quantities asked there) of each sentence in
    the scope of some quantity that may state a count of 件."""
    in_scope = [{s.index for s in q.scope.sections(report)[0]} for q in quantities]
    normal = report._cache.setdefault("nfkc", {})  # two rules of this kind read the same sentences
    out = []
    for sec in report.sections:
        asked = [q for q, secs in zip(quantities, in_scope) if sec.index in secs]
        for sentence, line in (sentences_of(sec, report) if asked else ()):
            # every figure read here is a count of 件: a sentence without the unit has none
            if "件" not in sentence or any(p.search(sentence) for p in exclude):
                continue
            text = normal.get(sentence)
            if text is None:
                text = normal[sentence] = unicodedata.normalize("NFKC", sentence)
            out.append((sec, sentence, line, text, asked))
    return out


def compile(params: dict):
    quantities = [_Quantity(q, params.get("scope")) for q in params["quantities"]]
    blank = params.get("blank", "zero")
    exclude = [regex.compile(p) for p in params.get("exclude", [])]

    def table_value(report, cells):
        """(sum, shown parts, why not, every cell blank) of the table side."""
        total, parts, blanks = ZERO, [], 0
        for ref in cells:
            table, why = usable_table(report, ref["table"])
            if table is None:
                return None, parts, why, False
            cell = grid_of(report, ref["table"]).cells.get((ref["row"], ref["col"]))
            value, state = read_cell(cell, blank)
            label = f"{ref['table']} {row_label(ref['table'], ref['row'], cell)} {col_label(ref['table'], ref['col'], cell)}"
            if value is None:
                what = {"ambiguous": "拆分不唯一", "text": "不是数字"}.get(state, "缺失")
                return None, parts, f"{label} {what}", False
            parts.append(f"{label} {show(value)}" + ("（空白按0计）" if state == "blank_zero" else ""))
            blanks += state == "blank_zero"
            total += value
        return total, parts, None, blanks == len(cells)

    def run(report) -> Outcome:
        mismatches, agreements, notes = [], [], []
        read = _sentences(report, quantities, exclude)
        # a pattern whose needles none of these sentences holds is searched in none of them
        joined = "\n".join(text for _, _, _, text, _ in read)
        live = {id(p) for q in quantities for p in q.patterns if type(p) is not Prefiltered or p.may_match(joined)}
        for sec, sentence, line, text, asked in read:
            claims = _claims(text, asked, live)
            loc = location(Sentence(sentence, sec, line)) if claims else None
            for (start, end), by_name in claims:
                figure = text[start:end]
                if len(by_name) > 1:
                    notes.append({"text": f"无法判断：“{sentence}”中的 {figure} 件可能是"
                                          f"{'或'.join(by_name)}，不作比较", "location": loc})
                    continue
                q, context = next(iter(by_name.values()))
                stated = Decimal(figure.replace(",", ""))
                value, parts, why, blank = table_value(report, q.cells_for(context))
                if value is None or (blank and stated):
                    # a table that leaves the cells blank says nothing against a figure the text states
                    why = why or "表格的这些单元格为空白"
                    notes.append({"text": f"无法核对“{sentence}”中的{q.name} {figure} 件：{why}", "location": loc})
                    continue
                entry = {"location": loc, "value": {"quantity": q.name, "text": show(stated), "table": show(value)}}
                if stated == value:
                    agreements.append({**entry, "text": f"{q.name}：正文 {figure} 件 = 表格 {show(value)}"})
                else:
                    mismatches.append({**entry, "text": f"{q.name}：正文“{sentence}”写 {figure} 件，"
                                                        f"表格 {' + '.join(parts)}"
                                                        f"{' = ' + show(value) if len(parts) > 1 else ''}"})
        values = {"count": len(mismatches), "first": mismatches[0]["text"] if mismatches else "",
                  "compared": len(mismatches) + len(agreements)}
        if mismatches:
            return Outcome.failed(mismatches + notes, mismatches[0]["location"], **values)
        if not agreements:
            reason = "；".join(n["text"] for n in notes) or "正文中没有可与表格核对的数字"
            return Outcome.not_applicable(reason, **values)
        return Outcome.passed(agreements + notes, agreements[0]["location"], **values)

    return run

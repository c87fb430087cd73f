"""The linear relations of table_sum and cross_year: left = right for each column (or row),
evaluated over a report's Grid, with the evidence of a failing instance.

An instance never fails on a number from a flattened split that evidence chose (a cell with
`split` beyond "digits"), nor counts as checked when that split was chosen by a relation of
the same axis: it is listed as not checkable, with the reason.

Not a kind itself (it is not in KINDS). An instance whose operands are all plain numbers,
blanks read as 0 or optional absent cells is added up on a fast path; the Operand and
Instance objects that evidence is made of are built only for instances that fail or cannot
be checked.
"""

from __future__ import annotations

from decimal import Decimal

from gkcheck.checks.grid import BLANK, Grid
from gkcheck.checks.tablecells import (
    CHECKABLE,
    TABLES,
    ZERO,
    cell_location,
    col_label,
    known_keys,
    read_cell,
    row_label,
    short_label,
    show,
    table_format,
    table_title,
)

TERM_PATTERN = r"^-?(prev:)?[a-z_]+(\.[a-z_]+)?$"
_TERMS = {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": TERM_PATTERN}}


def relation_schema(description: str, allow_previous: bool) -> dict:
    """PARAMS of a relation kind: left = right for each key of the iteration axis."""
    terms = dict(_TERMS)
    if not allow_previous:
        terms = {**terms, "items": {"type": "string", "pattern": r"^-?[a-z_]+(\.[a-z_]+)?$"}}
    return {
        "type": "object",
        "description": description,
        "required": ["table", "for_each", "left", "right"],
        "additionalProperties": False,
        "properties": {
            "table": {"enum": list(TABLES)},
            "for_each": {"enum": ["col", "row"],
                         "description": "the axis that varies between instances; operands are keys of the other axis"},
            "keys": {"type": "array", "items": {"type": "string"},
                     "description": "instances to check (default: every key of the axis present in the table); "
                                    "keys absent from the table are skipped"},
            "left": terms,
            "right": terms,
            "formats": {
                "type": "object",
                "description": "operands for a table format (2019 / 2021) that differ from left/right",
                "propertyNames": {"enum": ["2019", "2021", "unknown"]},
                "additionalProperties": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"left": terms, "right": terms},
                },
            },
            "blank": {"enum": ["zero", "missing"], "description": "a blank or dash cell reads as 0, or makes the instance not checkable"},
            "unfilled": {"enum": ["not_checkable", "zero"],
                         "description": "a side whose cells are all blank while the other side is not 0: "
                                        "not filled in, so not checkable (default), or 0 like any blank"},
            "optional": {"type": "array", "items": {"type": "string"},
                         "description": "operand keys whose cells may be absent from the table (then read as 0)"},
            "only_if_present": {"type": "array", "items": {"type": "string"},
                                "description": "the rule applies only when the table has these operand keys (e.g. subtotal)"},
            "tolerance": {"type": "number", "minimum": 0},
            "name": {"type": "string", "description": "what the relation is called, for messages"},
        },
    }


class Term:
    """An operand as written in a rule: "[-][prev:]key"."""

    __slots__ = ("key", "previous", "sign")

    def __init__(self, key: str, sign: int, previous: bool):
        self.key, self.sign, self.previous = key, sign, previous

    @classmethod
    def parse(cls, text: str) -> Term:
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("-")
        previous = text.startswith("prev:")
        return cls(text[5:] if previous else text, sign, previous)


class Operand:
    """A term resolved to a cell of one instance. `label` is the operand's own label (the
    row label when the instances are columns). Labels are looked up only when evidence is
    written: most operands belong to relations that hold."""

    __slots__ = ("axis", "cell", "col", "row", "state", "table", "term", "value")

    def __init__(self, term, row, col, cell, value, state, table, axis):
        self.term, self.row, self.col, self.cell = term, row, col, cell
        self.value, self.state, self.table, self.axis = value, state, table, axis

    @property
    def row_label(self) -> str:
        return row_label(self.table, self.row, self.cell)

    @property
    def col_label(self) -> str:
        return col_label(self.table, self.col, self.cell)

    @property
    def label(self) -> str:
        return self.row_label if self.axis == "col" else self.col_label

    def shown(self) -> str:
        if self.state == "blank_zero":
            printed = (self.cell or {}).get("printed")
            return "空白按0计" if not printed or not printed.strip() else f"“{printed.strip()}”按0计"
        if self.state == "absent_zero":
            return "无此项按0计"
        if self.state in CHECKABLE:
            return show(self.value)
        if self.state == "ambiguous":
            return f"“{(self.cell or {}).get('printed') or '?'}”拆分不唯一"
        if self.state == "text":
            return f"“{(self.cell or {}).get('printed') or ''}”非数字"
        return "缺失"

    def as_evidence(self) -> dict:
        return {"row": self.row, "col": self.col, "row_label": self.row_label, "column_label": self.col_label,
                "value": None if self.value is None else show(self.value),
                "state": self.state, "printed": (self.cell or {}).get("printed"),
                "year": "previous" if self.term.previous else "current", "sign": self.term.sign}


class Instance:
    """One instance of a relation: the column (or row) `key` and its operands."""

    __slots__ = ("actual", "expected", "key", "label", "left", "location", "right")

    def __init__(self, key: str, label: str, left: list, right: list, location: dict | None = None):
        self.key, self.label, self.left, self.right, self.location = key, label, left, right, location
        self.actual: Decimal | None = None
        self.expected: Decimal | None = None

    @property
    def operands(self) -> list[Operand]:
        return self.left + self.right

    def problem(self, unfilled: bool = True) -> tuple[str, str] | None:
        """Why the instance cannot be checked, as (operands, why), or None.

        With `unfilled`, a side made only of blank / dash cells while the other side is not
        zero reads as not filled in (a 总计 column left empty), not as 0."""
        for state, why in (("ambiguous", "拆分不唯一"), ("text", "不是数字"), ("missing", "缺失")):
            bad = [o for o in self.operands if o.state == state]
            if bad:
                return _names(bad, printed=True), why
        if unfilled:
            for side, other in ((self.left, self.right), (self.right, self.left)):
                if (all(o.state in ("blank_zero", "absent_zero") for o in side)
                        and any(o.state == "blank_zero" for o in side) and _sum(other) != 0):
                    return _names(side), f"均为空白（未填写），另一边为 {show(_sum(other))}"
        return None

    def guessed(self, axis: str, holds: bool) -> tuple[str, str] | None:
        """Why an instance with operands from a flattened split that evidence chose cannot
        count: the split was chosen by this very kind of relation (a row's totals for
        for_each row, the column relations for for_each col), so it holding proves nothing;
        or it fails, and the split may be the thing that is wrong."""
        guessed = [o for o in self.operands if o.state == "guessed"]
        if not guessed:
            return None
        circular = [o for o in guessed if axis in ((o.cell or {}).get("split") or {}).get("used", ())]
        if circular:
            return _names(circular, printed=True), "由压平的数字串按此类等式拆出（等式成立是拆分的前提）"
        if not holds:
            return _names(guessed, printed=True), "由压平的数字串推断拆出（推断可能有误，不据此判错）"
        return None

    def blanks(self) -> list[str]:
        """The operands read as 0 from a blank or dash cell, by row and column label."""
        return [blank_name(o.table, (o.row, o.col), o.cell, o.term.previous)
                for o in self.operands if o.state == "blank_zero"]

    def text(self) -> str:
        diff = self.actual - self.expected
        return (f"{self.label}：{_side(self.left)} ≠ {_side(self.right)}"
                f"（相差 {'+' if diff > 0 else ''}{show(diff)}）")


def blank_name(table: str, place: tuple[str, str], cell: dict | None, previous: bool) -> str:
    """A blank operand read as 0, by row and column label."""
    return f"{'上年报告 ' if previous else ''}{row_label(table, place[0], cell)} {col_label(table, place[1], cell)}"


def _names(ops: list[Operand], printed: bool = False) -> str:
    names = [_op_name(o) + (f"“{o.cell.get('printed')}”" if printed and o.cell and o.cell.get("printed") else "")
             for o in ops]
    return "、".join(names[:4]) + (f" 等 {len(names)} 项" if len(names) > 4 else "")


def _op_name(o: Operand) -> str:
    return ("上年报告 " if o.term.previous else "") + o.label


def _side(ops: list[Operand], compact_over: int = 6) -> str:
    """"a 5 + b 3 = 8". A long side (the 20 result rows) lists its non-zero operands and
    counts the zeros; every operand stays in the evidence value."""
    shown, zeros, blanks = ops, [], 0
    if len(ops) > compact_over:
        zeros = [o for o in ops if o.value == 0]
        shown = [o for o in ops if o.value != 0]
        blanks = sum(1 for o in zeros if o.state in ("blank_zero", "absent_zero"))
    parts = []
    for i, o in enumerate(shown):
        sign = ("− " if o.term.sign < 0 else "+ ") if i else ("−" if o.term.sign < 0 else "")
        parts.append(f"{sign}{_op_name(o)} {o.shown()}")
    if zeros:
        rest = f"其余 {len(zeros)} 项为 0" + (f"（其中 {blanks} 项空白按0计）" if blanks else "")
        parts.append(f"+ {rest}" if parts else rest)
    text = " ".join(parts)
    if len(ops) > 1:
        text += f" = {show(_sum(ops))}"
    return text


def _sum(ops: list[Operand]) -> Decimal:
    return sum((o.term.sign * o.value for o in ops), ZERO)


class RelationResult:
    @property
    def unchecked(self) -> list[str]:
        """One line per distinct problem: the instances it hits, the operands and why."""
        return [f"{'、'.join(labels)}：{names} {why}，无法核对" for (names, why), labels in self.problems.items()]

    def __init__(self):
        self.failures: list[Instance] = []
        self.problems: dict[tuple[str, str], list[str]] = {}   # (operands, why) -> instance labels
        self.checked = 0
        self.blank_zero: list[str] = []    # operands read as 0, by label
        self.skipped: list[str] = []       # iteration keys not in the table


class Relation:
    """left = right (within tolerance) for each key of the iteration axis."""

    def __init__(self, params: dict):
        self.table = params["table"]
        self.axis = params["for_each"]
        self.other = "row" if self.axis == "col" else "col"
        self.keys = params.get("keys")
        self.base = ([Term.parse(t) for t in params["left"]], [Term.parse(t) for t in params["right"]])
        self.variants = {fmt: ([Term.parse(t) for t in v.get("left", params["left"])],
                               [Term.parse(t) for t in v.get("right", params["right"])])
                         for fmt, v in (params.get("formats") or {}).items()}
        self.blank = params.get("blank", "zero")
        self.unfilled = params.get("unfilled", "not_checkable") == "not_checkable"
        self.optional = set(params.get("optional", []))
        self.only_if_present = params.get("only_if_present", [])
        self.tolerance = Decimal(str(params.get("tolerance", 0)))
        self.uses_previous = any(t.previous for side in [self.base, *self.variants.values()]
                                 for terms in side for t in terms)
        self._cache: dict = {}  # (id of a side's terms, canonical key) -> _places(); the terms live as long

    def terms_for(self, grid: Grid) -> tuple[list[Term], list[Term]]:
        fmt = table_format(grid.table)
        if fmt in self.variants:
            return self.variants[fmt]
        if fmt == "unknown" and self.variants:
            # A table whose version the reader could not tell: the first variant whose
            # operand keys are all in the table.
            present = set(grid.keys(self.other))
            for terms in [*self.variants.values(), self.base]:
                if all(t.key in present or t.key in self.optional for side in terms for t in side if not t.previous):
                    return terms
        return self.base

    def applicable(self, grid: Grid) -> str | None:
        present = grid.keys(self.other)
        absent = [k for k in self.only_if_present if k not in present]
        if absent:
            names = "、".join(short_label(self.table, self.other, k) for k in absent)
            return f"{table_title(self.table)}没有“{names}”{'列' if self.other == 'col' else '行'}"
        return None

    def evaluate(self, grid: Grid, previous: Grid | None = None) -> RelationResult:
        out = RelationResult()
        left, right = self.terms_for(grid)
        present = grid.keys(self.axis)
        keys = self.keys if self.keys is not None else present
        for key in keys:
            if key not in present:
                out.skipped.append(key)
                continue
            sums = self._fast_sums(self._places(left, right, key), grid, previous)
            if sums is not None and abs(sums[0] - sums[1]) <= self.tolerance:
                out.checked += 1  # holds, with plain cells only: nothing to show but blanks read as 0
                for prev, place in sums[2]:
                    cell = (previous if prev else grid).cells[place]
                    out.blank_zero.append(blank_name(self.table, place, cell, prev))
                continue
            inst = self._instance(key, left, right, grid, previous)
            problem = inst.problem(self.unfilled)
            if problem:
                out.problems.setdefault(problem, []).append(inst.label)
                continue
            inst.actual, inst.expected = _sum(inst.left), _sum(inst.right)
            holds = abs(inst.actual - inst.expected) <= self.tolerance
            guess = inst.guessed(self.axis, holds)
            if guess:
                out.problems.setdefault(guess, []).append(inst.label)
                continue
            out.checked += 1
            out.blank_zero += inst.blanks()
            if not holds:
                out.failures.append(inst)
        return out

    def _places(self, left: list[Term], right: list[Term], key: str) -> tuple:
        """Each side's operands of the instance `key` as (sign, (row, col), previous, optional):
        the same for every report, so made once per relation, side and key. Kept only for the
        canonical keys of the national formats: a report's own keys (any text, any length)
        would make the cache grow with every report."""
        cached = self._cache.get((id(left), key))
        if cached is not None:
            return cached
        by_col = self.axis == "col"
        places = tuple(tuple((t.sign, (t.key, key) if by_col else (key, t.key), t.previous, t.key in self.optional)
                             for t in terms) for terms in (left, right))
        if key in known_keys(self.table, self.axis):
            self._cache[(id(left), key)] = places
        return places

    def _fast_sums(self, sides: tuple, grid: Grid, previous: Grid | None) -> tuple | None:
        """(left sum, right sum, blanks read as 0) when every operand is a number, a blank read
        as 0 or an optional cell that is not in the table, and no side is left unfilled; None
        sends the instance down the slow path, which says why it cannot be checked."""
        fast, prev_fast = grid.fast, previous.fast if previous is not None else {}
        zero_blank = self.blank == "zero"
        totals = []
        blanks = []
        for side in sides:
            total = 0
            numbers = blank = 0
            for sign, place, prev, optional in side:
                got = (prev_fast if prev else fast).get(place)
                if got is None:
                    # absent and optional reads as 0; present but not plain (text, ambiguous,
                    # no value) is for the slow path to name
                    if not optional or place in (previous if prev else grid).cells:
                        return None
                    continue
                value, state = got
                if state == BLANK:
                    if not zero_blank:
                        return None
                    blank += 1
                    blanks.append((prev, place))
                    continue
                if state and self.axis in state:  # a split chosen by this kind of relation
                    return None
                numbers += 1
                total += value if sign > 0 else -value
            totals.append((total, numbers, blank))
        (left, n_left, b_left), (right, n_right, b_right) = totals
        if self.unfilled and ((not n_left and b_left and right != 0) or (not n_right and b_right and left != 0)):
            return None
        return left, right, blanks

    def _instance(self, key, left, right, grid: Grid, previous: Grid | None) -> Instance:
        cells = grid.cells
        prev_cells = previous.cells if previous is not None else {}
        sample = next((c for (r, col), c in cells.items() if (col if self.axis == "col" else r) == key), None)
        inst_label = (col_label if self.axis == "col" else row_label)(self.table, key, sample)

        def operand(term: Term) -> Operand:
            row, col = (term.key, key) if self.axis == "col" else (key, term.key)
            cell = (prev_cells if term.previous else cells).get((row, col))
            value, state = read_cell(cell, self.blank, term.key in self.optional)
            return Operand(term, row, col, cell, value, state, self.table, self.axis)

        ops_left, ops_right = [operand(t) for t in left], [operand(t) for t in right]
        first = next((o.cell for o in ops_left + ops_right if o.cell and not o.term.previous), None)
        return Instance(key, inst_label, ops_left, ops_right, (first or {}).get("location"))


def instance_evidence(inst: Instance, table: dict) -> dict:
    return {
        "text": inst.text(),
        "location": inst.location or cell_location(table, None),
        "value": {
            "instance": inst.key,
            "actual": show(inst.actual),
            "expected": show(inst.expected),
            "difference": show(inst.actual - inst.expected),
            "left": [o.as_evidence() for o in inst.left],
            "right": [o.as_evidence() for o in inst.right],
        },
    }


def blank_note(names: list[str]) -> str:
    if not names:
        return ""
    unique = list(dict.fromkeys(names))
    shown = "、".join(unique[:3]) + ("等" if len(unique) > 3 else "")
    return f"（{len(unique)} 个空白或“—”单元格按 0 计，如 {shown}）"


def relation_outcome(relation: Relation, result: RelationResult, table: dict, what: str):
    """The Outcome of a relation kind from its evaluation."""
    from gkcheck.result import Outcome

    notes = [{"text": f"无法核对：{u}", "location": cell_location(table, None)} for u in result.unchecked]
    note = blank_note(result.blank_zero)
    values = {"count": len(result.failures), "checked": result.checked, "blank_note": note,
              "unchecked": len(result.unchecked), "relation": what}
    if result.failures:
        note = blank_note([b for i in result.failures for b in i.blanks()])
        values["blank_note"] = note
        evidence = [instance_evidence(i, table) for i in result.failures]
        if note:
            evidence.append({"text": f"空白单元格的读法：{note.strip('（）')}"})
        values["first"] = result.failures[0].text()
        values["instances"] = "、".join(i.label for i in result.failures)
        return Outcome.failed(evidence + notes, evidence[0]["location"], **values)
    if result.checked == 0:
        why = "；".join(result.unchecked) or f"{table_title(relation.table)}中没有可核对的{what}"
        return Outcome.not_applicable(why, **values)
    evidence = [{"text": f"已核对 {result.checked} 处{what}，均成立{note}", "location": cell_location(table, None)}]
    return Outcome.passed(evidence + notes, cell_location(table, None), **values)

"""Choosing among the splits of flattened runs by evidence, and saying which evidence.

A run of digits printed without separators often splits in several ways (splits.py).
Evidence is applied in this order, and each cell records the first stage that fixed its
value (its "basis"):

1. digits  – every split the digits and the column count allow agrees on the cell;
2. row     – every split that keeps the row's own totals agrees (T2 总计 = the applicant
             columns, T3 each block's 总计 = its four results);
3. text    – the narrative states a figure for the same quantity (收到申请N件, 办结N件,
             现行有效N件 …) and only the splits that agree with it are kept;
4. table   – T2's column relations (一＋二＝三＋四, （七）总计＝各项之和) hold for one choice
             of splits only.

A cell that no stage fixes stays ambiguous. Text comes before the table's arithmetic so
that the arithmetic stays independent evidence wherever the text decided. A split chosen
because it makes some totals add up cannot confirm those totals: each cell lists the
relations its choice rests on (`used`: "row", "col"), and the arithmetic checks do not
count such an instance as checked, nor fail on a guessed split.
"""

from __future__ import annotations

from itertools import product

from gkcheck.tables.splits import agreed, number

JOINT_MAX = 4096  # combinations of row splits tried against the column relations

RESULT_ROWS = (
    "granted", "partial", "refused.state_secret", "refused.law_prohibited", "refused.three_safety",
    "refused.third_party", "refused.internal_affairs", "refused.process_info", "refused.enforcement_file",
    "refused.query_matter", "unable.not_held", "unable.needs_creation", "unable.unclear",
    "not_processed.petition", "not_processed.repeat", "not_processed.publication",
    "not_processed.mass_repeat", "not_processed.confirm",
)
OTHER_2019 = ("other",)
OTHER_2021 = ("other.no_correction", "other.unpaid_fee", "other.other")
BASIS_ORDER = ("digits", "row", "text", "table")


class Run:
    """One flattened run: the cells it fills and what is known of their values."""

    def __init__(self, tid: str, keys: list[tuple[str, str]], printed: str, splits, checked: bool):
        self.tid, self.keys, self.printed, self.splits, self.checked = tid, keys, printed, splits, checked
        n = len(keys)
        self.values: list[str | None] = [None] * n
        self.basis: list[str | None] = [None] * n
        self.evidence: list[str] = [""] * n
        self.candidates = splits.candidates
        if splits.as_printed:
            self.values = list(splits.digits)
            return
        if checked and not splits.count:
            return  # no split keeps the row's totals: the column model or the row is off
        for i in range(n):
            if splits.digits[i] is not None:
                self._fix(i, splits.digits[i], "digits", "各种拆分在此列一致")
            elif checked and splits.row[i] is not None:
                self._fix(i, splits.row[i], "row", "满足本行合计的拆分在此列一致")

    def _fix(self, i: int, value: str, basis: str, why: str) -> None:
        self.values[i], self.basis[i], self.evidence[i] = value, basis, why

    @property
    def pending(self) -> bool:
        """Whether some cell is not fixed yet."""
        return None in self.values

    def narrow(self, candidates: list, basis: str, why: str) -> None:
        """Keep only `candidates`; fix the cells they agree on."""
        self.candidates = candidates
        for i, v in enumerate(agreed(candidates)):
            if v is not None and self.values[i] is None:
                self._fix(i, v, basis, why)

    def used(self, i: int) -> list[str]:
        """The arithmetic relations the value of cell i was chosen by."""
        basis = self.basis[i]
        if basis in (None, "digits"):
            return []
        out = ["row"] if self.checked else []
        return out + (["col"] if basis == "table" else [])

    def overall(self) -> str | None:
        """The strongest evidence any cell needed (None: separated as printed)."""
        found = [b for b in self.basis if b]
        return max(found, key=BASIS_ORDER.index) if found else None


def apply_text(runs: list[Run], pins: dict) -> list[str]:
    """Stage 3: figures stated in the text, {(tid, row, col): (Decimal, quote, where)}. Returns notes."""
    notes = []
    for run in runs:
        if not run.pending or not run.candidates:
            continue
        stated = [(i, pins[(run.tid, *key)]) for i, key in enumerate(run.keys) if (run.tid, *key) in pins]
        if not stated:
            continue
        keep = [c for c in run.candidates if all(number(c[i]) == pin[0] for i, pin in stated)]
        quotes = "、".join(f"“{quote}”" + (f"（{where}）" if where else "") for _, (_, quote, where) in stated)
        if not keep:
            notes.append(f"正文所述{quotes}与“{run.printed}”的任何拆分都不符，未据此拆分")
            continue
        if len(keep) < len(run.candidates):
            run.narrow(keep, "text", f"正文{quotes}")
    return notes


def apply_table(runs: list[Run]) -> list[str]:
    """Stage 4, T2 only: the column relations, over every combination of the remaining
    splits of the rows they involve (at most JOINT_MAX). Returns notes."""
    rows = {run.keys[0][0]: run for run in runs if run.tid == "T2"}
    if not any(r.pending and r.candidates for r in rows.values()):
        return []
    usable = [rel for rel in _t2_relations(rows)
              if all(_known(rows[k]) for k in rel[0] + rel[1]) and any(rows[k].pending for k in rel[0] + rel[1])]
    if not usable:
        return []
    involved = list(dict.fromkeys(k for rel in usable for k in rel[0] + rel[1] if rows[k].pending))
    size = 1
    for k in involved:
        size *= len(rows[k].candidates)
    if size > JOINT_MAX:
        return [f"T2 各行可能的拆分组合过多（{size} 种），未按本表各列的勾稽关系选择"]
    ncols = len(rows[involved[0]].keys)
    # Each relation, column by column: constant (rows already known) + Σ sign × chosen value = 0.
    equations = []
    for left, right, _ in usable:
        signs = {**{k: 1 for k in left}, **{k: -1 for k in right}}
        const = [sum(sign * int(number(rows[k].values[j])) for k, sign in signs.items() if k not in involved)
                 for j in range(ncols)]
        terms = [(involved.index(k), sign) for k, sign in signs.items() if k in involved]
        equations.append((const, terms))
    vectors = [[[int(number(v)) for v in c] for c in rows[k].candidates] for k in involved]
    surviving = [set() for _ in involved]
    for combo in product(*(range(len(v)) for v in vectors)):
        chosen = [vectors[i][c] for i, c in enumerate(combo)]
        if all(const[j] + sum(sign * chosen[i][j] for i, sign in terms) == 0
               for const, terms in equations for j in range(ncols)):
            for i, c in enumerate(combo):
                surviving[i].add(c)
    names = "、".join(rel[2] for rel in usable)
    if not any(surviving):
        return [f"T2 没有一种拆分组合能使本表各列的{names}成立，这些行按原样记为 ambiguous"]
    for k, keep in zip(involved, surviving, strict=True):
        run = rows[k]
        if len(keep) < len(run.candidates):
            run.narrow([c for i, c in enumerate(run.candidates) if i in keep], "table", f"本表各列的{names}只允许此值")
    return []


def _t2_relations(rows: dict) -> list[tuple[tuple, tuple, str]]:
    """Column relations of T2 whose rows were all read: (left rows, right rows, name)."""
    out = [(("received", "carried_over"), ("total_results", "carried_forward"), "勾稽关系（一＋二＝三＋四）")]
    other = OTHER_2021 if any(k in rows for k in OTHER_2021) else OTHER_2019
    out.append((("total_results",), RESULT_ROWS + other, "办理结果合计（（七）总计＝各项之和）"))
    return [rel for rel in out if all(k in rows for k in rel[0] + rel[1])]


def _known(run: Run) -> bool:
    return not run.pending or bool(run.candidates)

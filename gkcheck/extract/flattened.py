"""Standard tables flattened into text: labels followed by runs of values.

Crawled pages run a table's cells together (`行政规范性文件693665` is 69 / 36 / 65) and
PDF text without ruling lines gives one line per row (`自然人 … 21 0 0 0 0 0 21`).
Labels are found in the catalogue's order; the text after a label up to the next
one holds the row's values. A run splits into the row's columns only where the
digits, whitespace and the row's own totals (T2 总计, T3 block 总计) allow exactly one
split: then its cells carry location.inferred; otherwise every cell of the row is
"ambiguous" (value null, printed = the run), which no arithmetic check uses.
"""

from __future__ import annotations

import re
from functools import cache

from gkcheck.extract.anchors import TABLE_ANCHORS as _ANCHORS
from gkcheck.tables.builder import TABLE_NAMES, TableBuilder
from gkcheck.tables.cells import parse_cell
from gkcheck.tables.labels import entries, match_label, split_numbering
from gkcheck.tables.resolve import Run, apply_table, apply_text
from gkcheck.tables.splits import enumerate_splits
from gkcheck.util import regex

_WINDOW = 600  # characters searched for the next row label
_SPLIT_STEPS = 200_000  # about 2 s of splitting at most; a real table needs a few thousand
_HEADER_BACK = 400  # characters before the first T2 row searched for the column header
_RUN = regex.compile(r"[\d\s.,—–\-－/]*\d[\d\s.,—–\-－/]*(?:[万千亿]?元)?")
_SKIP = regex.compile(r"[^\d—–\-－]{0,80}?(?=[\d—–\-－])")
_T2_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal_service", "other_org",
               "subtotal", "total")
_CN_NUM = "一二三四五六七八九十"


def attach_flattened(report: dict, text: str) -> None:
    """Add the tables found in `text` (the normalised text build_report read) to `report`:
    pipe tables first (extract/pipes.py), then tables flattened into the remaining text."""
    found: dict = {}
    notes: list[str] = []
    if "|" in text:
        from gkcheck.extract.pipes import read_pipe_tables

        found, notes, text = read_pipe_tables(text)
        text = text.replace("|", " ")  # a row flattened into one line: "自然人|商业企业|…|5|0|…"
    if any(a in text for a in _ANCHORS):
        tables, more = _Reader(text).tables()
        for tid, table in tables.items():
            found.setdefault(tid, table)
        notes += more
    if found:
        report.setdefault("tables", {})
        for tid, table in found.items():
            report["tables"].setdefault(tid, table)
    if notes:
        report.setdefault("notes", []).extend(notes)


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.notes: list[str] = []
        self.runs: list = []  # (Run, its cells, row label)
        self._start, self._end = len(text), 0  # the span of the tables read
        self.budget = _SPLIT_STEPS  # work left for splitting runs: bounded per document
        self._seen: set = set()  # tables whose header was read but no values: there, unreadable
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, offset: int) -> dict:
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return {"line": line, "offset": offset - self.starts[line - 1]}

    def tables(self) -> tuple[dict, list[str]]:
        out = {}
        t2_start = self._find_row("T2", "received", 0, len(self.text))
        t1_end = t2_start[0] if t2_start else len(self.text)
        for tid, table in (("T1", self._t1(0, t1_end)), ("T2", self._t2(t2_start)), ("T3", self._t3())):
            if table and (table["cells"] or tid in self._seen):
                out[tid] = table
        self._resolve()
        from gkcheck.tables import harmonise_formats

        self.notes.extend(harmonise_formats(out))
        return out, self.notes

    # ------------------------------------------------------------------------- label search

    def _find_row(self, tid: str, key: str, start: int, end: int):
        pattern = _row_pattern(tid, key)
        m = pattern.search(self.text, start, end) if pattern else None
        return (m.start(), m.end()) if m else None

    def _value_run(self, start: int, end: int):
        """(offset, printed run) of the values after a label, or None."""
        skip = _SKIP.match(self.text, start, end)
        pos = skip.end() if skip else start
        m = _RUN.match(self.text, pos, end)
        if not m or not m.group().strip():
            return None
        return m.start(), m.group().strip()

    # ------------------------------------------------------------------------- T1

    def _t1(self, start: int, end: int) -> dict | None:
        articles = list(re.finditer(r"第二十条\s*第?\s*[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]\s*项", self.text[:end]))
        articles = [a for a in articles if a.start() >= start]
        if not articles:
            return None
        b = TableBuilder("T1", 1, None)
        first = articles[0].start()
        for i, art in enumerate(articles):
            block_end = articles[i + 1].start() if i + 1 < len(articles) else min(end, art.end() + _WINDOW)
            self._t1_block(b, art.group(), art.end(), block_end)
        return self._finish(b, "T1", first)

    def _t1_block(self, b: TableBuilder, article: str, start: int, end: int) -> None:
        labels = []
        for e in entries("T1", "row"):
            hit = self._find_row("T1", e.key, start, end)
            if hit:
                labels.append((hit, e))
        labels.sort(key=lambda x: x[0][0])
        header_end = labels[0][0][0] if labels else end
        columns = _columns_in(self.text[start:header_end], b)
        if columns and labels:
            self._seen.add("T1")
        for i, ((s, e_), entry) in enumerate(labels):
            nxt = labels[i + 1][0][0] if i + 1 < len(labels) else end
            run = self._value_run(e_, nxt)
            if run is None:
                continue
            printed = _label_text(self.text[s:run[0]])
            m = match_label(printed, "T1", "row")
            if m:
                b.matched(m, printed)
            if not columns:
                self.notes.append(f"T1（表二）“{printed}”后的数值没有可识别的列表头，未解析")
                continue
            self._place_run(b, "T1", entry.key, f"{article} / {printed}", columns, run, None)

    # ------------------------------------------------------------------------- T2

    def _t2(self, first) -> dict | None:
        if first is None:
            return None
        # The columns are fixed by the format (a local 小计 column is the one variant); a
        # header flattened into text is too garbled to read column by column.
        head = self.text[max(0, first[0] - _HEADER_BACK):first[0]]
        columns = [k for k in _T2_COLUMNS if k != "subtotal" or re.search(r"小\s*计", head)]
        if not _col_pattern("T2", "natural").search(head):
            self.notes.append("T2（表三）文字中未找到列表头，按统一格式的7列读取")
        b = TableBuilder("T2", 2, None)
        for k in columns:
            b.column(k)
        cols = [(k, _col_printed("T2", k)) for k in columns]
        hits, pos = [], first[0]
        for e in entries("T2", "row"):
            hit = self._find_row("T2", e.key, pos, pos + _WINDOW)
            if hit:
                hits.append((hit, e))
                pos = hit[1]
        end = hits[-1][0][1] if hits else first[1]
        groups = self._group_hits(first[0], end)
        for i, ((s, e_), entry) in enumerate(hits):
            nxt = hits[i + 1][0][0] if i + 1 < len(hits) else min(len(self.text), e_ + 200)
            run = self._value_run(e_, nxt)
            if run is None:
                continue
            printed = _label_text(self.text[s:run[0]])
            m = match_label(printed, "T2", "row")
            printed = " / ".join([*_group_path(entry, groups, s), printed])
            if m:
                b.matched(m, printed)
            self._place_run(b, "T2", entry.key, printed, cols, run, _t2_check(columns), _t2_shape(columns))
        if len(hits) >= 3:
            self._seen.add("T2")
        return self._finish(b, "T2", first[0])

    def _group_hits(self, start: int, end: int) -> dict:
        """Printed T2 row groups (三、本年度办理结果, （三）不予公开 …): key -> [(offset, text)]."""
        out: dict = {}
        for g in entries("T2", "group"):
            if g.key in ("applicant", "legal_person"):
                continue
            pattern = _group_pattern(g.key)
            for m in pattern.finditer(self.text, start, end):
                out.setdefault(g.key, []).append((m.start(), _label_text(m.group())))
        return out

    # ------------------------------------------------------------------------- T3

    def _t3(self) -> dict | None:
        text = self.text
        header = None  # a header without values after it
        for m in re.finditer(r"行政复议", text):
            head = text[m.start(): m.start() + 300]
            digit = re.search(r"\d", head)
            head = head[: digit.start()] if digit else head
            if head.count("结果维持") + head.count("维持") < 3 or "复议后起诉" not in head or "总计" not in head:
                continue
            run = self._value_run(m.start() + len(head), min(len(text), m.start() + len(head) + 120))
            if run is None:
                header = m.start() if header is None else header
                continue
            b = TableBuilder("T3", 3, None)
            cols = [(f"{r}:{c}", f"{rl} / {cl}") for r, rl in _T3_BLOCKS for c, cl in _T3_COLUMNS]
            self._place_run(b, "T3", None, None, cols, run, _t3_check, ("blocks", 5))
            return self._finish(b, "T3", m.start())
        if header is None:
            return None
        self._seen.add("T3")
        self.notes.append("T3（表四，复议诉讼）的表头印出了，但其后没有读到数值（可能各格都是空白），无法读取单元格")
        return self._finish(TableBuilder("T3", 3, None), "T3", header)

    # ------------------------------------------------------------------------- cells

    def _place_run(self, b, tid, row, row_label, cols, run, check, shape=None) -> None:
        """Add the cells a run fills, as ambiguous for now: _resolve gives them their values."""
        offset, printed = run
        splits = enumerate_splits(printed, [_decimal_ok(tid, c) for c, _ in cols], check, shape,
                                  steps=max(self.budget, 1))
        self.budget -= splits.steps
        keys, cells = [], []
        for col, col_label in cols:
            r, c = (col.split(":") if row is None else (row, col))
            before = len(b.cells)
            b.add(r, c, _Span(printed), row_label, col_label, unit=_unit(tid, c))
            cell = b.cells[-1] if len(b.cells) > before else None
            if cell is not None:
                cell["location"] = self.loc(offset)
            keys.append((r, c))
            cells.append(cell)
        self.runs.append((Run(tid, keys, printed, splits, check is not None), cells, row_label))
        self._end = max(self._end, offset + len(printed))

    def _resolve(self) -> None:
        """Give every run's cells their values, by the evidence of gkcheck.tables.resolve."""
        runs = [run for run, *_ in self.runs]
        if any(run.pending for run in runs):
            from gkcheck.extract.stated import stated_figures

            pins = {k: (v, quote, f"第{self.loc(at)['line']}行")
                    for k, (v, quote, at) in stated_figures(self._narrative()).items()}
            self.notes.extend(apply_text(runs, pins))
            self.notes.extend(apply_table(runs))
        inferred: dict = {}
        for run, cells, row_label in self.runs:
            name = f"{run.tid}{TABLE_NAMES[run.tid]}"
            where = f"“{row_label}”" if row_label else "数据行"
            for i, cell in enumerate(cells):
                if cell is not None:
                    _settle(cell, run, i)
            if run.splits.as_printed:
                continue
            if run.pending:
                self.notes.append(_ambiguous_note(name, where, run))
            else:
                inferred.setdefault((name, run.overall(), run.checked), []).append(
                    f"{where}“{run.printed}”→{'/'.join(run.values)}")
        for (name, basis, checked), rows in inferred.items():
            words = _BASIS_WORDS[basis].format(row="、行内合计" if checked else "")
            self.notes.append(f"{name}的数值在文字中连写，以下各行按{words}只有一种拆分，"
                              f"已按推断值读取（location.inferred = true）：{'；'.join(rows)}"
                              + _circular_note(basis))

    def _narrative(self) -> str:
        """The text with the tables read blanked out: where stated figures are looked for."""
        start, end = self._start, max(self._end, self._start)
        return self.text[:start] + " " * (end - start) + self.text[end:]

    def _finish(self, b: TableBuilder, tid: str, offset: int) -> dict:
        self._start = min(self._start, offset)
        table = b.table(None)
        table["location"] = self.loc(offset)
        self.notes.extend(b.notes)
        return table


def _label_text(text: str) -> str:
    from gkcheck.tables.labels import clean_text

    return clean_text(text)


_BASIS_WORDS = {"digits": "列数", "row": "行内合计和列数", "text": "正文所述数字{row}和列数",
                "table": "本表各列的勾稽关系{row}和列数"}


def _settle(cell: dict, run: Run, i: int) -> None:
    """Write what is known of cell i of a run into the cell dict."""
    s = run.splits
    value = run.values[i]
    if value is None:
        cell.update(kind="ambiguous", value=None, unit=None, printed=run.printed)
        cell["split"] = {"run": run.printed, "candidates": s.count, "evidence": _why(run)}
        return
    if value.isdigit():  # the common case, without the general cell parser
        kind, number, unit = "number", int(value), _unit(run.tid, run.keys[i][1])
    else:
        kind, number, unit = parse_cell(value)
        unit = unit or (_unit(run.tid, run.keys[i][1]) if kind == "number" else None)
    cell["printed"], cell["kind"], cell["value"], cell["unit"] = value, kind, number, unit
    if s.as_printed:
        return
    cell["location"]["inferred"] = True
    cell["split"] = {"run": run.printed, "candidates": s.count, "basis": run.basis[i],
                     "used": run.used(i), "evidence": run.evidence[i]}


def _why(run: Run) -> str:
    """Why a run's cells could not all be told."""
    s = run.splits
    if not s.complete:
        return "可能的拆分过多"
    if s.count > 1:
        return f"有{s.count}种拆分都{'满足行内合计' if run.checked else '可能'}"
    return "没有满足列数和行内合计的拆分" if run.checked else "没有与列数相符的拆分"


def _ambiguous_note(name: str, where: str, run: Run) -> str:
    known = sum(1 for v in run.values if v is not None)
    part = f"；其中{known}列各种拆分一致，已读取" if known else ""
    return (f"{name}{where}的数值连在一起（“{run.printed}”），{_why(run)}，正文和本表的合计也不能确定各列的值："
            f"记为 ambiguous，不据此做算术核对{part}")


def _circular_note(basis: str) -> str:
    if basis in ("row", "table"):
        used = "本行合计" + ("和本表各列的勾稽关系" if basis == "table" else "")
        return f"。拆分是按{used}选定的，这些等式在这些行列上成立是拆分的前提，不作为独立核对"
    if basis == "text":
        return "。拆分是按正文所述数字选定的，正文与表格一致不作为独立核对"
    return ""


class _Span:
    """What TableBuilder.add needs of a source cell."""

    def __init__(self, text: str):
        self.text, self.origin = text, None


def _columns_in(header: str, b: TableBuilder) -> list[tuple[str, str]]:
    """T1 block columns in printed order: (key, printed label)."""
    hits = []
    for e in entries("T1", "col"):
        m = _col_pattern("T1", e.key).search(header)
        if m:
            hits.append((m.start(), e.key, m.group()))
    hits.sort()
    out, end = [], -1
    for start, key, printed in hits:
        if start < end:
            continue  # a shorter label inside a longer one (处理决定数量 in 本年处理决定数量)
        while start + len(printed) < len(header) and header[start + len(printed)] in ")）":
            printed += header[start + len(printed)]  # the closing bracket of （单位：万元）
        end = start + len(printed)
        mm = match_label(printed, "T1", "col")
        if mm:
            b.matched(mm, printed)
        out.append((key, printed))
    return out


def _decimal_ok(tid: str, col: str) -> bool:
    return tid == "T1" and col in ("fee_amount", "procurement_amount")


@cache
def _unit(tid: str, col: str) -> str | None:
    if tid != "T1":
        return None
    e = next((e for e in entries("T1", "col") if e.key == col), None)
    return e.unit if e else None


def _t2_check(columns):
    parts = [i for i, k in enumerate(columns) if k not in ("total", "subtotal")]
    total = columns.index("total") if "total" in columns else None
    sub = columns.index("subtotal") if "subtotal" in columns else None
    legal = [i for i, k in enumerate(columns) if k in ("commercial", "research", "nonprofit", "legal_service", "other_org")]
    if total is None:
        return None

    def check(v):
        if sub is not None and v[sub] != sum(v[i] for i in legal):
            return False
        return v[total] == sum(v[i] for i in parts)

    return check


def _t2_shape(columns):
    """The total is the last column, the sum of the applicant columns before it."""
    if not columns or columns[-1] != "total":
        return None
    return ("total", frozenset(i for i, k in enumerate(columns) if k not in ("total", "subtotal")))


def _t3_check(v) -> bool:
    return all(v[b + 4] == v[b] + v[b + 1] + v[b + 2] + v[b + 3] for b in (0, 5, 10))


_T3_BLOCKS = (("review", "行政复议"), ("litigation_direct", "行政诉讼 / 未经复议直接起诉"),
              ("litigation_after_review", "行政诉讼 / 复议后起诉"))
_T3_COLUMNS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
               ("pending", "尚未审结"), ("total", "总计"))


# ----------------------------------------------------------------------------- patterns


def _loose(label: str, limit: int | None = None) -> str:
    """A label's word characters with any punctuation or whitespace between them."""
    chars = re.sub(r"[\W_]+", "", label)
    if limit:
        chars = chars[:limit]
    return r"[\W_]*".join(re.escape(c) for c in chars)


def _numbering(number: str | None) -> str | None:
    if number is None:
        return None
    n = int(number)
    cn = _CN_NUM[n - 1] if n <= 10 else None
    forms = [rf"{n}\s*[.、．,，)）]"]
    if cn:
        forms += [rf"[(（]\s*{cn}\s*[)）]", rf"{cn}\s*[、.．]"]
    return "(?:" + "|".join(forms) + r")\s*"


@cache
def _row_pattern(tid: str, key: str):
    entry = next((e for e in entries(tid, "row") if e.key == key), None)
    if entry is None:
        return None
    labels = sorted({split_numbering(a)[1] for a in _alias_texts(entry)}, key=len, reverse=True)
    numbering = _numbering(entry.number)
    alts = []
    for label in labels:
        core = re.sub(r"[\W_]+", "", label)
        body = _loose(label, 8 if len(core) > 10 else None)
        if len(core) < 4 and tid != "T1":
            if numbering is None:
                continue
            alts.append(numbering + body)  # 总计, 其他: only with their own numbering
        else:
            alts.append((f"(?:{numbering})?" if numbering else "") + body)
    return regex.compile("|".join(f"(?:{a})" for a in alts)) if alts else None


@cache
def _group_pattern(key: str):
    entry = next(e for e in entries("T2", "group") if e.key == key)
    labels = sorted({split_numbering(a)[1] for a in _alias_texts(entry)}, key=len, reverse=True)
    numbering = _numbering(entry.number)
    return regex.compile("|".join(f"(?:{numbering or ''}{_loose(a)})" for a in labels))


def _group_path(entry, groups: dict, offset: int) -> list[str]:
    """The printed groups a row sits under (last printed before it), outermost first."""
    parents = {g.key: g.parent for g in entries("T2", "group")}
    path, key = [], entry.parent
    while key:
        before = [text for pos, text in groups.get(key, []) if pos < offset]
        if before:
            path.insert(0, before[-1])
        key = parents.get(key)
    return path


@cache
def _col_pattern(tid: str, key: str):
    entry = next(e for e in entries(tid, "col") if e.key == key)
    labels = sorted({re.sub(r"[\W_]+", "", a) for a in _alias_texts(entry)}, key=len, reverse=True)
    return regex.compile("|".join(_loose(a) for a in labels if a))


@cache
def _col_printed(tid: str, key: str) -> str:
    entry = next(e for e in entries(tid, "col") if e.key == key)
    path = [entry.printed]
    parent = entry.parent
    groups = {g.key: g for g in entries(tid, "group")}
    while parent in groups:
        path.insert(0, groups[parent].printed)
        parent = groups[parent].parent
    return " / ".join(path)


def _alias_texts(entry) -> list[str]:
    from gkcheck.tables.labels import table_spec

    spec = table_spec(entry.table)
    axis = {"row": "rows", "col": "columns", "group": "groups"}[entry.axis]
    item = next(i for i in spec.get(axis, []) if i["key"] == entry.key)
    out = [item["printed"]]
    for a in item.get("aliases", []):
        out.append(a["label"] if isinstance(a, dict) else a)
    return out

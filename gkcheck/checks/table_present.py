"""The standard tables are in the report, with cells; optionally in the format version
expected for the report year.

The version is the table reader's verdict, table["format"]: "2019" or "2021" when the
printed row and column labels match only that format's (e.g. T1 本年制发件数 / 现行有效件数,
T2 （六） split into three rows, for 2021), "unknown" when they fit both or neither. A table
of unknown version is not judged (noted in the evidence); T3 is the same in both formats.

A table in the other format is reported with the labels that tell the versions apart, not
with labels both formats print (T2's applicant columns are the same in both): for T1 the
rows and columns only that format has (from gkcheck/tables/catalogue.yaml: 本年新制作数量,
上一年项目数量, 政府集中采购 … or 本年制发件数, 现行有效件数 …); for T2 whether （六）其他处理
is one row or split into three.

A table that was printed but whose cells could not be placed (no cells, but unplaced cells
or a location: its labels are not the format's) is not missing: the presence rule is not
applicable then, with the reason and where the table is, never an error "missing".
"""

from __future__ import annotations

from gkcheck.checks.grid import grid_of
from gkcheck.checks.tablecells import (
    TABLES,
    cell_location,
    col_label,
    row_label,
    table_title,
    usable_table,
)
from gkcheck.result import NOT_APPLICABLE, Outcome

PARAMS = {
    "type": "object",
    "required": ["tables"],
    "additionalProperties": False,
    "properties": {
        "tables": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(TABLES)}},
        "expect_format": {"enum": ["2019", "2021"],
                          "description": "each table present must be in this format (judged by table.format)"},
        "missing": {"enum": ["fail", "skip"],
                    "description": "a missing table fails (default), or is left to a presence rule"},
    },
}

FORMAT_NAMES = {"2019": "2019年版格式（国办公开办函〔2019〕60号）", "2021": "2021年版格式（国办公开办函〔2021〕30号）"}


def _specific(table_name: str, axis: str, fmt: str) -> list[str]:
    """Keys of one axis that only the given format prints (catalogue order)."""
    from gkcheck.tables.labels import entries

    only = frozenset({fmt})
    return [e.key for e in entries(table_name, axis) if e.formats == only]


def _own_format_labels(table_name: str, grid, axis: str, fmt: str) -> list[str]:
    """Printed labels of the table that only format `fmt` has: a key of that format alone,
    or a shared key printed in that format's own wording (T1 处理决定数量 / 本年处理决定数量)."""
    from gkcheck.tables.labels import core, entries

    only = frozenset({fmt})
    field, label = ("row_label", row_label) if axis == "row" else ("column_label", col_label)
    present = grid.keys(axis)
    sample = {}
    for cell in grid.table.get("cells", []):
        sample.setdefault(cell[axis], cell)
    out = []
    for e in entries(table_name, axis):
        if e.key not in present:
            continue
        cell = sample.get(e.key)
        if e.formats == only:
            out.append(label(table_name, e.key, cell))
            continue
        printed = ((cell or {}).get(field) or "").split("/")[-1].strip()
        if printed and any(a.core == core(printed) and a.formats == only for a in e.aliases):
            out.append(printed)
    return out


def distinguishing(table_name: str, grid, fmt: str) -> str:
    """What in the table (a Grid) shows it is in format `fmt`, in words."""
    if table_name == "T2":
        rows = set(grid.keys("row"))
        if fmt == "2019" and "other" in rows:
            return "（六）其他处理为一行，2021年版分为逾期不补正、逾期未缴费、其他三行"
        if fmt == "2021" and rows & set(_specific("T2", "row", "2021")):
            return "（六）其他处理分为三行（逾期不补正、逾期未缴费、其他），2019年版为一行"
    parts = []
    cols = _own_format_labels(table_name, grid, "col", fmt)
    rows = _own_format_labels(table_name, grid, "row", fmt)
    if cols:
        parts.append(f"只有该版才有的列：{'、'.join(cols)}")
    if rows:
        parts.append(f"只有该版才有的行：{'、'.join(rows)}")
    return "；".join(parts) or "据印出的行列标签判断"


def unreadable_evidence(table: dict | None, name: str) -> dict | None:
    """Evidence that a table without cells was nevertheless printed (its cells could not be
    placed on the standard rows and columns), or None when nothing of it was seen."""
    if table is None or table.get("cells"):
        return None
    unplaced = table.get("unplaced") or []
    if not unplaced and not table.get("location"):
        return None
    reasons = list(dict.fromkeys(u.get("reason") or "" for u in unplaced))
    sample = "、".join(f"“{u['printed']}”" for u in unplaced[:3] if u.get("printed"))
    what = f"{len(unplaced)}个单元格无法对应到标准行列" if unplaced else "没有单元格能对应到标准行列"
    text = (f"{table_title(name)}印出了，但{what}"
            + (f"（如{sample}：{'；'.join(r for r in reasons[:2] if r)}）" if sample else ""))
    location = (unplaced[0].get("location") if unplaced else None) or table.get("location")
    return {"text": text, "location": dict(location) if location else None}


def compile(params: dict):
    names = params["tables"]
    expected = params.get("expect_format")
    skip_missing = params.get("missing", "fail") == "skip"

    def run(report) -> Outcome:
        missing, present, wrong, unknown, unreadable = [], [], [], [], []
        for name in names:
            table, why = usable_table(report, name)
            if table is None:
                seen = unreadable_evidence(report.table(name), name)
                if seen:
                    unreadable.append(seen)
                else:
                    missing.append((name, why))
                continue
            present.append({"text": f"{table_title(name)}：{len(table['cells'])} 个单元格",
                            "location": cell_location(table, None)})
            if expected:
                fmt = table.get("format") or "unknown"
                if fmt == "unknown":
                    unknown.append({"text": f"{table_title(name)}的版式未能识别，不作判断",
                                    "location": cell_location(table, None)})
                elif fmt != expected:
                    wrong.append({"text": f"{table_title(name)}按{FORMAT_NAMES[fmt]}填报"
                                          f"（{distinguishing(name, grid_of(report, name), fmt)}），"
                                          f"{report.year} 年度应使用{FORMAT_NAMES[expected]}",
                                  "value": fmt, "location": cell_location(table, None)})
        miss_text = "、".join(table_title(n) for n, _ in missing)
        values = {"missing": miss_text, "wrong": "；".join(w["text"] for w in wrong),
                  "expected": FORMAT_NAMES.get(expected, "")}
        failing = ([] if skip_missing else [{"text": why} for _, why in missing]) + wrong
        if failing:
            return Outcome.failed(failing + unknown + unreadable, (wrong[0]["location"] if wrong else None), **values)
        if expected and not (len(present) - len(unknown)):
            reason = "没有可判断版式的表格" + (f"（{miss_text}缺失）" if missing else "")
            reason += "".join(f"；{u['text']}" for u in unreadable)
            return Outcome.not_applicable(reason, **values)
        if unreadable and not expected:
            # Visibly there, not readable: whether the tables are complete cannot be judged.
            reason = "；".join(u["text"] for u in unreadable) + "，无法判断表格是否齐全"
            return Outcome(NOT_APPLICABLE, present + unreadable, unreadable[0]["location"], values, reason)
        return Outcome.passed(present + unknown + unreadable, None, **values)

    return run

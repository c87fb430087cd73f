"""Assembly: place every grid of a document, merge parts of one standard table, notes."""

from __future__ import annotations

from gkcheck.tables.builder import TABLE_NAMES
from gkcheck.tables.place import place


def collect_tables(grids) -> tuple[dict, list[str]]:
    """Place every grid of a document and assemble the report's `tables` and notes.

    `grids` yields dicts with keys grid, table_index and optionally page, origins, title and
    quiet (no note for a grid that is no standard table: pipe blocks found in prose).
    A standard table split over several source tables (one per 第二十条 block, or across
    pages) is merged; a cell that two parts both give goes to unplaced.
    """
    tables: dict = {}
    notes: list[str] = []
    parts: dict = {}
    for item in grids:
        p = place(item["grid"], table_index=item["table_index"], page=item.get("page"),
                  origins=item.get("origins"), title=item.get("title"))
        notes.extend(p.notes)
        if p.table_id is None:
            if item.get("quiet"):
                continue
            notes.append(f"表格{item['table_index']}不是可识别的标准表格（表二/表三/表四），未解析其数值")
            continue
        parts.setdefault(p.table_id, []).append(item["table_index"])
        if p.table_id in tables:
            _merge(tables[p.table_id], p.table)
        else:
            tables[p.table_id] = p.table
    for tid, indexes in parts.items():
        if len(indexes) > 1:
            joined = "、".join(f"表格{i}" for i in indexes)
            notes.append(f"{joined}均被识别为{tid}{TABLE_NAMES[tid]}，已合并为一张表")
    notes.extend(harmonise_formats(tables))
    for tid, table in sorted(tables.items()):
        blanks = sum(1 for c in table["cells"] if c["kind"] == "blank")
        if blanks:
            notes.append(f"{tid}{TABLE_NAMES[tid]}有{blanks}个空白单元格，按空白（blank）保留，未当作0")
    return tables, notes


def _merge(into: dict, part: dict) -> None:
    have = {(c["row"], c["col"]) for c in into["cells"]}
    for cell in part["cells"]:
        if (cell["row"], cell["col"]) in have:
            into["unplaced"].append({
                "printed": cell["printed"], "row_label": cell["row_label"],
                "column_label": cell["column_label"], "location": cell["location"],
                "reason": f"重复：{cell['row']} × {cell['col']} 已在另一表格中出现",
            })
            continue
        have.add((cell["row"], cell["col"]))
        into["cells"].append(cell)
    into["unplaced"].extend(part["unplaced"])
    into["columns"].extend(k for k in part["columns"] if k not in into["columns"])
    formats = {into["format"], part["format"]} - {"unknown"}
    into["format"] = formats.pop() if len(formats) == 1 else "unknown"


def harmonise_formats(tables: dict) -> list[str]:
    """T3 prints the same labels in both formats: it takes the format T1 and T2 agree on.
    Returns notes about disagreements."""
    decided = {tid: tables[tid]["format"] for tid in ("T1", "T2")
               if tid in tables and tables[tid]["format"] != "unknown"}
    found = set(decided.values())
    if len(found) > 1:
        return [f"T1 标签属于{decided['T1']}格式，T2 标签属于{decided['T2']}格式，格式版本不一致"]
    if found and "T3" in tables and tables["T3"]["format"] == "unknown":
        tables["T3"]["format"] = found.pop()
    return []


def overlay(text_tables: dict, grid_tables: dict) -> dict:
    """The tables of a document read both from its text and from its table grids: a grid's
    table wins, unless it has no cells (printed but unreadable) and the text gave cells."""
    out = dict(text_tables)
    for tid, table in grid_tables.items():
        if table.get("cells") or not (out.get(tid) or {}).get("cells"):
            out[tid] = table
    return out

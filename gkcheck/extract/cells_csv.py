"""`gkcheck extract --format cells`: one CSV row per table cell, for checking by eye or in a
spreadsheet (UTF-8 with BOM, so that Excel reads the Chinese labels; text that would run as a
formula is made inert)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from gkcheck.util.spreadsheet import inert

HEADER = ("source", "table", "row", "column", "row_label", "column_label", "printed", "value", "provenance")


def cells_csv(report: dict) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    source = (report.get("source") or {}).get("path") or ""
    for tid in ("T1", "T2", "T3"):
        table = (report.get("tables") or {}).get(tid)
        for cell in (table or {}).get("cells", []):
            writer.writerow([inert(v) for v in (source, tid, cell["row"], cell["col"], cell.get("row_label") or "",
                                                cell.get("column_label") or "", cell.get("printed") or "",
                                                show_value(cell.get("value")), provenance(cell.get("location"), cell.get("split")))])
    return out.getvalue()


def show_value(value) -> str:
    """The number as printed in plain notation; empty for no value."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def provenance(loc: dict | None, split: dict | None = None) -> str:
    """"p3 t2 r5 c4" for a cell of a document table; "line 120" (plus the offset in the
    line) for text; "inferred" when the value came from splitting run-together digits, with
    what chose the split ("inferred by table"), or "ambiguous" when nothing did."""
    if not loc:
        return ""
    parts = [f"{prefix}{loc[key]}" for key, prefix in
             (("page", "p"), ("table", "t"), ("row", "r"), ("column", "c")) if key in loc]
    if "line" in loc:
        parts.append(f"line {loc['line']}")
        if "offset" in loc:
            parts.append(f"off {loc['offset']}")
    if loc.get("inferred"):
        parts.append("inferred" + (f" by {split['basis']}" if split and split.get("basis") else ""))
    elif split and not split.get("basis"):
        parts.append(f"ambiguous ({split.get('candidates', 0)} splits)")
    return " ".join(parts)

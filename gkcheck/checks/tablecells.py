"""Shared by the table kinds: reading a cell under a blank policy, labels, locations.
The linear relations of table_sum and cross_year are in relation.py.

Not a kind itself (it is not in KINDS). Imports nothing heavy: the label file is read
on first use.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from gkcheck.chinese.numbers import show  # noqa: F401  (re-exported: the table kinds use it from here)
from gkcheck.report.model import number
from gkcheck.util import regex
from gkcheck.util.memo import text_cache

TABLES = ("T1", "T2", "T3")
ZERO = Decimal(0)

# ----------------------------------------------------------------------------- labels


@cache
def _labels() -> dict:
    """table_labels.yaml; should it not be installed, the printed labels of the catalogue."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(Path(__file__).with_name("table_labels.yaml"), encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)["tables"]
    except OSError:
        from gkcheck.tables.labels import load_catalogue

        return {name: {"title": spec.get("title", name),
                       "rows": {e["key"]: e["printed"] for e in spec.get("rows", [])},
                       "cols": {e["key"]: e["printed"] for e in spec.get("columns", [])}}
                for name, spec in load_catalogue()["tables"].items()}


@cache
def known_keys(table: str, axis: str) -> frozenset:
    """The canonical keys of a table's rows or columns ("row" / "col"): what the national formats
    print, as opposed to whatever keys a report's own table uses."""
    return frozenset(_labels().get(table, {}).get("rows" if axis == "row" else "cols", {}))


def table_title(name: str) -> str:
    return f"{name}（{_labels().get(name, {}).get('title', name)}）"


_SPACE = regex.compile(r"\s+")
_PATH = regex.compile(r"\s+/\s+")
_REMARK = regex.compile(r"[（(][^（()）]*[，,][^（()）]*[)）]$")
_NUMBERING = regex.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.])\s*")
_GENERIC = {"其他", "合计", "小计", "总计"}


@text_cache(4096, texts=(2, 3))  # the same few dozen labels are asked for thousands of times per report
def short_label(table: str, axis: str, key: str, printed: str | None = None) -> str:
    """The label shown in evidence: the printed one when it says enough, else ours."""
    ours = _labels().get(table, {}).get("rows" if axis == "row" else "cols", {}).get(key, key)
    if not printed:
        return ours
    text = _SPACE.sub("", _PATH.split(printed.strip())[-1])  # "申请人情况 / 法人或其他组织 / 商业企业"
    text = _REMARK.sub("", text) or text
    if _NUMBERING.sub("", text) in _GENERIC:
        return ours  # "3.其他" under （六）, "其他" under 法人或其他组织: not enough on their own
    return text


def row_label(table: str, key: str, cell: dict | None = None) -> str:
    return short_label(table, "row", key, (cell or {}).get("row_label"))


def col_label(table: str, key: str, cell: dict | None = None) -> str:
    return short_label(table, "col", key, (cell or {}).get("column_label"))


# ----------------------------------------------------------------------------- tables


def usable_table(report, name: str) -> tuple[dict | None, str | None]:
    """(table, None) when the table has cells, else (None, why not)."""
    table = report.table(name)
    if table is None:
        return None, f"报告中没有{table_title(name)}"
    if not table.get("cells"):
        return None, f"{table_title(name)}没有可读取的单元格"
    return table, None


def table_format(table: dict) -> str:
    return table.get("format") or "unknown"


def cell_location(table: dict, cell: dict | None) -> dict | None:
    loc = (cell or {}).get("location") or table.get("location")
    return dict(loc) if loc else None


# ----------------------------------------------------------------------------- cells

# How a cell reads under a blank policy: (value, state).
#   number        the cell's value
#   blank_zero    blank or dash read as 0 (policy "zero"); findings say so
#   absent_zero   no such cell, and the rule lists the key as optional
#   missing       no such cell / blank under policy "missing": not checkable
#   ambiguous     a flattened split that is not unique: not checkable, never a failure
#   guessed       a number from a flattened split that evidence chose (cell["split"]: the
#                 row's totals, the text, the table's column relations): checkable, but an
#                 instance never fails on it, nor confirms the relations the choice used
#   text          words where a number belongs: not checkable here (cell_values reports it)

CHECKABLE = {"number", "blank_zero", "absent_zero", "guessed"}


def read_cell(cell: dict | None, blank: str = "zero", optional: bool = False) -> tuple[Decimal | None, str]:
    if cell is None:
        return (ZERO, "absent_zero") if optional else (None, "missing")
    kind = cell.get("kind")
    if kind == "ambiguous":
        return None, "ambiguous"
    if kind in ("blank", "dash"):
        return (ZERO, "blank_zero") if blank == "zero" else (None, "missing")
    if kind == "text":
        return None, "text"
    value = number(cell.get("value"))
    if value is None:
        return None, "missing"
    split = cell.get("split")
    if split and split.get("basis") not in (None, "digits"):
        return value, "guessed"
    return value, "number"

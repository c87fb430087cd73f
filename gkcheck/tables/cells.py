"""Cell semantics: what a printed table cell means.

A report prints zero as "0", as nothing, as a dash or as 无; amounts carry units
("251000元", "96171.6万元"). The model keeps these apart (kind) so that each rule can
say how it treats a blank instead of the extractor guessing.
"""

from __future__ import annotations

from collections import namedtuple
from decimal import Decimal, InvalidOperation

from gkcheck.tables.labels import fold, rx
from gkcheck.util.memo import text_cache

# Characters that print as "nothing here" in Chinese tables.
_DASH_CHARS = set("—–-‐‑‒―−─━/／\\╱～~")
_DASH_WORDS = {"无"}
# Blank: whitespace of any kind, including what clean_text does not fold.
_INVISIBLE = r"[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+"

_NUMBER = r"(?P<sign>[+\-−])?\s*(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
_NUMBER_RE = rf"^{_NUMBER}$"
_UNITS = ("万元", "亿元", "千元", "元", "件", "个", "项", "条", "次", "人", "家", "户", "份", "%")
_WITH_UNIT = rf"^{_NUMBER}\s*[(（]?\s*(?P<unit>{'|'.join(_UNITS)})\s*[)）]?$"
_CURRENCY_PREFIX = rf"^[¥￥]\s*{_NUMBER}$"


# kind: "number", "blank", "dash" or "text" (see the report schema)
CellValue = namedtuple("CellValue", "kind value unit")


def parse_number(text: str | None) -> Decimal | None:
    """The number a bare numeric string means ("1,234", "１２３", "-8", "96171.6"), else None."""
    if text is None:
        return None
    m = rx(_NUMBER_RE).match(rx(_INVISIBLE).sub("", fold(text)))
    return _decimal(m) if m else None


def _decimal(m) -> Decimal | None:
    digits = m.group("int").replace(",", "")
    if m.group("frac"):
        digits += "." + m.group("frac")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern only admits digits
        return None
    return -value if m.group("sign") in ("-", "−") else value


def to_json_number(value: Decimal) -> int | float:
    """int when integral (counts), else float: the report is JSON, and the printed
    text stays alongside for anyone who needs the exact decimal."""
    return int(value) if value == value.to_integral_value() else float(value)


@text_cache(16384)
def parse_cell(text: str | None) -> CellValue:
    """Printed cell text → (kind, value, unit)."""
    compact = rx(_INVISIBLE).sub("", fold(text or ""))
    if not compact:
        return CellValue("blank", None, None)
    if compact in _DASH_WORDS or set(compact) <= _DASH_CHARS:
        return CellValue("dash", None, None)
    m = rx(_NUMBER_RE).match(compact)
    if m:
        return CellValue("number", to_json_number(_decimal(m)), None)
    m = rx(_WITH_UNIT).match(compact)
    if m:
        return CellValue("number", to_json_number(_decimal(m)), m.group("unit"))
    m = rx(_CURRENCY_PREFIX).match(compact)
    if m:
        return CellValue("number", to_json_number(_decimal(m)), "元")
    return CellValue("text", None, None)


def is_data(text: str | None) -> bool:
    """True for a non-blank cell that reads as a value (number, number with unit, dash)."""
    return parse_cell(text).kind in ("number", "dash")

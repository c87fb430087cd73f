"""Counts and amounts as written in report prose: 1,234 / 12.5 / 1.2万 / 三千 / 一百二十 / 两万三千.

Full-width digits are the caller's to fold (chinese.normalize.fold_width or NFKC) before
matching; this module turns the matched text into an int, or a Decimal when it has decimals
(decimal is imported then: a cold check of whole counts does not pay for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gkcheck.util import regex

if TYPE_CHECKING:
    from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_LARGE)

_ARABIC = regex.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)$")  # ASCII only: cheap to compile on a cold start


def parse_number(text: str) -> int | Decimal | None:
    """The value of a number as printed (Arabic with an optional 万/千/亿, or Chinese numerals, which
    must hold a digit or 十: "万" alone is not one); None when it is not a well-formed number."""
    text = text.strip()
    scale = {"千": 1000, **_LARGE}.get(text[-1:], 1) if text[:1].isdigit() else 1
    m = _ARABIC.match(text[:-1] if scale != 1 else text)
    if m:
        digits = m.group(1).replace(",", "")
        if "." not in digits:
            return int(digits) * scale
        value = decimal(digits) * scale
        return int(value) if value == value.to_integral_value() else value  # 1.2万 is 12000
    return _chinese(text)


def decimal(text: str) -> Decimal:
    """A Decimal of a printed number ("33.3"); decimal is imported on first use."""
    from decimal import Decimal

    return Decimal(text)


def _chinese(text: str) -> int | None:
    if not text or any(c not in CN_CHARS for c in text) or not any(c in _DIGITS or c == "十" for c in text):
        return None
    if not any(c in _SMALL or c in _LARGE for c in text):  # digit by digit: 二〇二二
        return int("".join(str(_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in _DIGITS:
            if digit is not None and _DIGITS[c] != 0:
                return None  # two digits in a row (三四百) is an estimate, not a number
            digit = _DIGITS[c] or None
        elif c in _SMALL:
            section += (digit if digit is not None else 1) * _SMALL[c]
            digit = None
        else:
            section += digit or 0
            total = (total + section) * _LARGE[c] if c == "亿" else total + section * _LARGE[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def show(value: int | Decimal) -> str:
    """A number as printed: no exponent, no trailing zeros after the point."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

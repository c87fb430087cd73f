"""A read-only view of a structured report, built once per report and shared by all rules.

The report itself stays a plain dict (what the JSON Schema describes); this view adds the
derived things every check needs: flattened sections with their full text, parsed dates,
and named facts with the place they were read from.
"""

from __future__ import annotations

import datetime as _dt
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal


class SectionView(NamedTuple):
    path: str            # "一、… > (一)…" as printed, for locations
    number: str | None
    heading: str
    text: str            # own text, without subsections
    full_text: str       # heading, own text and all subsections
    depth: int
    line: int | None     # line of the heading in the source, when known
    text_line: int | None  # line where `text` starts
    index: int           # position in document order
    parent: int | None   # index of the parent section


def _date(value) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        return None


class Report:
    def __init__(self, data: dict, source: str = "", previous: "Report | None" = None):
        self.data = data
        self.source = source
        self.previous = previous
        self._cache: dict = {}

    def __repr__(self) -> str:
        return f"Report({self.source!r}, year={self.data.get('year')!r})"

    # --- basic facts -------------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def agency(self) -> dict:
        return self.data.get("agency") or {}

    @property
    def published(self) -> _dt.date | None:
        return _date(self.data.get("published"))

    @property
    def signed(self) -> _dt.date | None:
        return _date(self.data.get("signed"))

    @property
    def period(self) -> dict | None:
        return self.data.get("period")

    @property
    def form(self) -> str:
        return (self.data.get("source") or {}).get("form") or "yaml"

    @cached_property
    def title_year(self) -> int | None:
        from gkcheck.chinese.dates import year_of_title

        title = self.data.get("title")
        return year_of_title(title) if title else None

    def facts(self) -> dict:
        """Named values for expressions and consistency checks (None when unknown)."""
        if "facts" not in self._cache:
            period = self.period or {}
            start, end = _date(period.get("start")), _date(period.get("end"))
            self._cache["facts"] = {
                "year": self.year,
                "published": self.published,
                "signed": self.signed,
                "period_start": start,
                "period_end": end,
                # a cut-off date alone (统计数据截止时间为…) names the year by its end
                "period_year": (start.year if start and end and start.year == end.year
                                else end.year if end and start is None and not period.get("defect") else None),
                "title_year": self.title_year,
                "agency_name": self.agency.get("name"),
                "agency_kind": self.agency.get("kind"),
                "agency_level": self.agency.get("level"),
                "province": self.agency.get("province"),
            }
        return self._cache["facts"]

    def fact_location(self, name: str) -> dict | None:
        """Where a fact was read, for evidence."""
        locations = self.data.get("locations") or {}
        if name.startswith("period"):
            return (self.period or {}).get("location")
        if name == "title_year":
            return locations.get("title") or {"section": "标题"}
        if name == "published":
            return locations.get("published") or {"section": "发布日期"}
        if name == "signed":
            return locations.get("signed") or {"section": "落款"}
        return None

    def as_printed(self, quote: str, line: int | None = None) -> str:
        """A quote from the text as read, as the report printed it (traditional script is read in
        simplified characters, see chinese/script.py)."""
        printed = self.data.get("printed")
        if not printed or not quote:
            return quote
        from gkcheck.chinese.script import as_printed, to_simplified

        if "read" not in self._cache:
            self._cache["read"] = to_simplified(printed)
            self._cache["line_starts"] = [0] + [i + 1 for i, c in enumerate(printed) if c == "\n"]
        starts = self._cache["line_starts"]
        near = starts[line - 1] if line and 0 < line <= len(starts) else 0
        return as_printed(quote, printed, self._cache["read"], near)

    # --- sections ----------------------------------------------------------------
    @cached_property
    def sections(self) -> list[SectionView]:
        out: list[SectionView] = []
        ends: list[int] = []  # where each section's subtree ends in `out` (document order)

        def walk(items, depth, parent_path, parent_idx):
            for sec in items or []:
                number = sec.get("number")
                heading = sec.get("heading", "")
                label = heading if not number or heading.startswith(number) else f"{number}{heading}"
                path = f"{parent_path} > {label}" if parent_path else label
                loc = sec.get("location") or {}
                idx = len(out)
                out.append(None)  # placeholder, filled after children
                ends.append(0)
                walk(sec.get("sections"), depth + 1, path, idx)
                ends[idx] = len(out)
                children_text = "\n".join(o.full_text for o in out[idx + 1:] if o and o.parent == idx)
                own = sec.get("text", "") or ""
                full = "\n".join(t for t in (label, own, children_text) if t)
                line = loc.get("line")
                out[idx] = SectionView(path, number, heading, own, full, depth, line,
                                       loc.get("text_line", (line + 1) if line else None), idx, parent_idx)

        walk(self.data.get("sections"), 0, "", None)
        self._cache["section_ends"] = ends
        return out

    def descendants(self, index: int) -> list[SectionView]:
        """The sections below this one, in document order: the run after it in `sections`."""
        sections = self.sections
        return sections[index + 1: self._cache["section_ends"][index]]

    @cached_property
    def full_text(self) -> str:
        return "\n".join(s.full_text for s in self.sections if s.parent is None)

    # --- tables -------------------------------------------------------------------
    def table(self, name: str) -> dict | None:
        return (self.data.get("tables") or {}).get(name)


_Decimal = None  # decimal is imported on first use: narrative-only reports never need it


def number(value) -> "Decimal | None":
    """A cell value as an exact Decimal (JSON floats go through their repr)."""
    global _Decimal
    if value is None or isinstance(value, bool):
        return None
    if _Decimal is None:
        from decimal import Decimal as _Decimal
    if isinstance(value, _Decimal):
        return value
    return _Decimal(str(value))

"""Waivers: approved, time-limited exceptions for a rule on some reports.

A waived finding gets status "waived" and a "waiver" object and does not fail the run. A
matching waiver past its expiry date leaves the finding failing and fails the run. Waivers
that match nothing are reported, so stale ones get cleaned up.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from gkcheck.errors import UsageError

TODAY_ENV = "GKCHECK_TODAY"


def today() -> dt.date:
    """datetime.date.today(), or GKCHECK_TODAY=YYYY-MM-DD (for tests and reproducible runs)."""
    value = os.environ.get(TODAY_ENV)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"环境变量 {TODAY_ENV}={value!r} 不是 YYYY-MM-DD 格式的日期") from None


@dataclass
class Waiver:
    data: dict        # as written: rule, report and/or agency (+ year), reason, approver, expires
    origin: str       # "waivers.yaml 第3行", for messages
    base: str         # directory that the report glob is relative to
    index: int = 0    # its place in the list (the document names unused waivers by it)
    used: int = 0

    @property
    def expires(self) -> dt.date:
        return dt.date.fromisoformat(self.data["expires"])

    def expired(self, on: dt.date) -> bool:
        return on > self.expires  # the expiry date itself is still covered

    def matches(self, entry: dict, result: dict) -> bool:
        if not fnmatch.fnmatchcase(result["rule"], self.data["rule"]):
            return False
        if "report" in self.data and not _path_matches(entry["source"], self.data["report"], self.base):
            return False
        info = entry.get("report") or {}
        if "agency" in self.data and (info.get("agency") or {}).get("name") != self.data["agency"]:
            return False
        # the year narrows a report glob as much as an agency
        if "year" in self.data and info.get("year") != self.data["year"]:
            return False
        return True

    def to_json(self, on: dt.date) -> dict:
        return {**self.data, "source": self.origin, "expired": self.expired(on)}

    def label(self) -> str:
        target = self.data.get("report") or self.data["agency"]
        if "year" in self.data:
            target += f" {self.data['year']}"
        return f"{self.data['rule']} @ {target}（{self.origin}）"


def _path_matches(source: str, pattern: str, base: str) -> bool:
    src = Path(source)
    candidates = {src.as_posix(), Path(os.path.normpath(source)).as_posix(), Path(os.path.abspath(source)).as_posix()}
    try:
        candidates.add(Path(os.path.relpath(os.path.abspath(source), os.path.abspath(base))).as_posix())
    except ValueError:
        pass
    pattern = Path(pattern).as_posix()
    return any(fnmatch.fnmatchcase(c, pattern) for c in candidates)


def _check_dates(items: list, name: str, where) -> None:
    for i, item in enumerate(items):
        try:
            dt.date.fromisoformat(item["expires"])
        except ValueError:
            raise UsageError(f"expires 不是有效日期: {item['expires']}", file=name, where=where(i)) from None


def from_config(cfg) -> list[Waiver]:
    """The waivers the configuration (or --waivers) names: a file path, or a list written inline."""
    from gkcheck.policy.config import line_of

    spec = cfg["waivers"]
    if spec is None:
        return []
    if isinstance(spec, str):
        return load_file(spec)
    items = spec

    _check_dates(items, cfg.path, lambda i: cfg.where("waivers", i, "expires")["where"])
    return [Waiver(item, f"{cfg.path} 第{line_of(cfg.text, cfg.kind, ['waivers', i]) or '?'}行", cfg.base, i)
            for i, item in enumerate(items)]


def load_file(path: str) -> list[Waiver]:
    from gkcheck.policy.config import _where, line_of, read_data, validate

    p = Path(path)
    if not p.is_file():
        raise UsageError("豁免文件不存在", file=path)
    kind = "yaml"
    data, text = read_data(p, kind)
    validate(data, path, text, kind, definition="waiver_file")
    items, prefix = (data["waivers"], ["waivers"]) if isinstance(data, dict) else (data, [])
    _check_dates(items, path, lambda i: _where([*prefix, i, "expires"], line_of(text, kind, [*prefix, i, "expires"])))
    base = os.path.dirname(path) or "."
    return [Waiver(item, f"{path} 第{line_of(text, kind, [*prefix, i]) or '?'}行", base, i)
            for i, item in enumerate(items)]


def apply(entries: list[dict], waivers: list[Waiver], on: dt.date) -> dict:
    """Mark waived findings; return "expired" (the findings whose waiver has expired) for the
    document and "used": the indexes of the waivers that matched these entries."""
    expired_hits, used = [], set()
    for entry in entries:
        for res in entry.get("results") or []:
            if res["status"] != "fail":
                continue
            hits = [w for w in waivers if w.matches(entry, res)]
            if not hits:
                continue
            valid = [w for w in hits if not w.expired(on)]
            chosen = (valid or hits)[0]
            chosen.used += 1
            used.add(chosen.index)
            res["waiver"] = chosen.to_json(on)
            if valid:
                res["status"] = "waived"
            else:
                res["message"] += f"（豁免已于 {chosen.data['expires']} 过期：{chosen.origin}）"
                expired_hits.append({"report": entry["source"], "rule": res["rule"], "waiver": res["waiver"]})
    return {"expired": expired_hits, "used": sorted(used)}

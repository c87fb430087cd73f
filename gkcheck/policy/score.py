"""Scores: a scorecard (YAML data) turns a report's findings into points, after the policy.

A scorecard has categories with points; each failed rule deducts the points its group gives for
its (effective) severity, up to the group's cap and the category's points. Waived and baselined
findings deduct nothing, as they count for nothing in the verdict. A category none of whose rules
applied to the report (all not applicable, or disabled) drops out of the maximum, and the total
is the points earned as a share of the points that could be earned, out of 100.

Per report this is a walk over its results with one dict look-up each (the group of a rule id
is found once per run): microseconds, not milliseconds.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from gkcheck.errors import UsageError
from gkcheck.util.digest import sha256_hex
from gkcheck.util.files import read_text

DEFAULT_NAME = "default_scorecard.yaml"
WAIVED, BASELINE = "waived", "baseline"


def default_path() -> str:
    return str(Path(__file__).with_name(DEFAULT_NAME))


class Group:
    __slots__ = ("id", "name", "category", "deduct", "cap", "patterns", "basis", "why")

    def __init__(self, spec: dict, category: int):
        self.id, self.name, self.category = spec.get("id", "default"), spec.get("name", "其他规则"), category
        self.deduct, self.cap = spec["deduct"], spec.get("cap")
        self.patterns = spec.get("rules", [])
        self.basis, self.why = spec.get("basis", ""), spec.get("why", "")

    def matches(self, rule_id: str) -> bool:
        return any(fnmatch.fnmatchcase(rule_id, p) for p in self.patterns)


class Scorecard:
    """A compiled scorecard: plain data, so a batch can hand it to its worker processes."""

    def __init__(self, data: dict, source: str, sha256: str):
        self.data, self.source, self.sha256 = data, source, sha256
        self.id, self.title, self.version = data["id"], data["title"], data.get("version")
        self.categories = [(c["id"], c["name"], c["points"]) for c in data["categories"]]
        self.groups = [Group(g, i) for i, c in enumerate(data["categories"]) for g in c["groups"]]
        index = {c[0]: i for i, c in enumerate(self.categories)}
        self.default = Group(data["default"], index[data["default"]["category"]])
        self.full = sum(c[2] for c in self.categories)
        self._of: dict[str, Group] = {}

    def group_of(self, rule_id: str) -> Group:
        group = self._of.get(rule_id)
        if group is None:
            group = self._of[rule_id] = next((g for g in self.groups if g.matches(rule_id)), self.default)
        return group

    def record(self) -> dict:
        """What the run record says of the scorecard used."""
        return {"id": self.id, "version": self.version, "file": self.source, "sha256": self.sha256}

    def score(self, entry: dict) -> dict | None:
        """The report's score (None for a report that could not be checked)."""
        if entry.get("verdict") == "error":
            return None
        n = len(self.categories)
        applicable = [False] * n
        lost = [0] * n
        deductions: list[list] = [[] for _ in range(n)]
        capped: dict[int, float] = {}  # id(group) → points its failures deducted so far
        spared = []
        for res in entry.get("results") or ():
            status = res["status"]
            if status == "not_applicable":
                continue
            group = self.group_of(res["rule"])
            c = group.category
            applicable[c] = True
            if status == "pass":
                continue
            if status == WAIVED or res.get(BASELINE):  # counts for nothing in the verdict either
                spared.append({"rule": res["rule"], "reason": WAIVED if status == WAIVED else BASELINE})
                continue
            if status != "fail":
                continue
            points = group.deduct.get(res["severity"], 0)
            if group.cap is not None:
                used = capped.get(id(group), 0)
                points = min(points, group.cap - used)
                capped[id(group)] = used + points
            if points <= 0:
                continue
            lost[c] += points
            deductions[c].append({"rule": res["rule"], "title": res.get("title"), "severity": res["severity"],
                                  "points": points, "group": group.name})
        categories, earned, maximum = [], 0, 0
        for i, (cid, name, points) in enumerate(self.categories):
            if not applicable[i]:
                categories.append({"id": cid, "name": name, "points": points, "score": None,
                                   "applicable": False, "deductions": []})
                continue
            got = max(0, points - lost[i])
            earned += got
            maximum += points
            categories.append({"id": cid, "name": name, "points": points, "score": _num(got),
                               "applicable": True, "deductions": deductions[i]})
        total = round(100 * earned / maximum, 1) if maximum else None
        return {"scorecard": self.id, "total": total, "earned": _num(earned), "max": _num(maximum),
                "full": _num(self.full), "categories": categories, "not_deducted": spared,
                "note": _note(categories, maximum, self.full)}


def _num(value):
    """Points as written: 5 stays 5, 2.5 stays 2.5 (and 7.000000001 from float sums is rounded)."""
    value = round(value, 4)
    return int(value) if float(value).is_integer() else value


def _note(categories: list[dict], maximum, full) -> str:
    out = [f"{c['name']}（{_num(c['points'])} 分）" for c in categories if not c["applicable"]]
    if not out:
        return f"满分 {_num(full)}"
    if not maximum:
        return "没有适用的规则，不评分"
    return f"{'、'.join(out)}没有适用的规则，不计入满分；得分按 {_num(maximum)} 分折合百分制"


# -- loading ------------------------------------------------------------------------------------------

def _schema_text() -> str:
    return read_text(__file__, "scorecard_schema.json")


def load(path: str | None = None) -> Scorecard:
    """The scorecard at `path` (None: the one that ships with gkcheck), validated: errors name
    the file, the key and the line. A file validated before is read back from the cache."""
    from gkcheck.util.cache import ContentCache, digest

    p = Path(path) if path else Path(default_path())
    name = str(path) if path else DEFAULT_NAME
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UsageError("评分表文件不存在", file=name) from None
    except OSError as exc:
        raise UsageError(f"无法读取评分表: {exc.strerror}", file=name) from None
    key = digest(b"scorecard\0" + _schema_text().encode() + b"\0" + raw)
    cache = ContentCache()
    data = cache.data(key)
    if not isinstance(data, dict):
        from gkcheck.policy.config import read_data

        data, text = read_data(p, "yaml")
        validate(data, name, text)
        cache.add(key, data)
    return Scorecard(data, name, sha256_hex(raw))


def validate(data, name: str, text: str) -> None:
    import json

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    from gkcheck.policy.config import _where, line_of, schema_message

    error = best_match(Draft202012Validator(json.loads(_schema_text())).iter_errors(data))
    if error is not None:
        path = list(error.absolute_path)
        raise UsageError(f"评分表不符合要求: {schema_message(error)}", file=name,
                         where=_where(path, line_of(text, "yaml", path)))
    seen: set = set()
    for i, cat in enumerate(data["categories"]):
        for j, group in enumerate([cat, *cat["groups"]]):
            kind = "类别" if j == 0 else "组"
            if (kind, group["id"]) in seen:
                path = ["categories", i] if j == 0 else ["categories", i, "groups", j - 1]
                raise UsageError(f"{kind}编号 {group['id']} 重复", file=name,
                                 where=_where(path + ["id"], line_of(text, "yaml", path + ["id"])))
            seen.add((kind, group["id"]))
    if ("类别", data["default"]["category"]) not in seen:
        path = ["default", "category"]
        raise UsageError(f"default.category 不是已定义的类别：{data['default']['category']}", file=name,
                         where=_where(path, line_of(text, "yaml", path)))

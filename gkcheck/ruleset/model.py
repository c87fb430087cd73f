"""Compiled rules and packs, and the question of whether a rule applies to a report."""

from __future__ import annotations

from typing import Callable, NamedTuple

KIND_LABELS = {"government": "人民政府", "department": "政府部门", "other": "其他机关"}
LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级",
                "township": "乡镇级"}


class Rule(NamedTuple):  # NamedTuples: cheap to define on a cold start; copy with _replace()
    id: str
    title: str
    severity: str
    basis: list[dict]
    applies: dict
    kind: str
    params: dict
    run: Callable
    message: dict
    pack: str
    file: str
    line: int | None = None
    description: str = ""
    title_en: str = ""
    pass_message: dict | None = None
    own_applies: dict | None = None  # the rule's own conditions, without its pack's (for --profile)

    def basis_for(self, year: int) -> list[dict]:
        """The bases cited for a report of this year (a basis may be limited to some years)."""
        chosen = [b for b in self.basis if _in_years(b.get("years"), year)]
        return chosen or self.basis


def _in_years(years: dict | None, year: int) -> bool:
    return not years or (years.get("from", year) <= year <= years.get("to", year))


def basis_text(b: dict) -> str:
    text = b["instrument"] + "".join(b.get(k) or "" for k in ("article", "item"))
    return text if b.get("confirmed", True) else f"{text}（依据待核实）"


class Pack(NamedTuple):
    id: str
    title: str
    applies: dict
    file: str
    description: str
    rules: list[Rule]


def applicability(applies: dict, report) -> str | None:
    """None when the rule applies, else the reason it does not (in Chinese)."""
    years = applies.get("years") or {}
    y = report.year
    if not _in_years(years, y):
        span = f"{years.get('from', '')}–{years.get('to', '')}"
        return f"仅适用于 {span} 年度报告（本报告 {y} 年度）"
    agency = report.agency
    for key, labels, hint in (("agency_kind", KIND_LABELS, "--agency-kind"),
                              ("agency_level", LEVEL_LABELS, "--agency-level")):
        wanted = applies.get(key)
        if not wanted:
            continue
        actual = agency.get(key.split("_")[1])
        names = "、".join(labels[w] for w in wanted)
        if actual is None:
            return f"仅适用于{names}，本报告机关的{'类型' if key == 'agency_kind' else '层级'}未能识别（可用 {hint} 指定）"
        if actual not in wanted:
            return f"仅适用于{names}（本报告：{labels[actual]}）"
    provinces = applies.get("province")
    if provinces and agency.get("province") not in provinces:
        return f"仅适用于{'、'.join(provinces)}（本报告：{agency.get('province') or '省份未知'}）"
    forms = applies.get("forms")
    if forms and report.form not in forms:
        return f"仅适用于 {'/'.join(forms)} 格式的输入"
    return None


class RuleSet:
    def __init__(self, packs: list[Pack]):
        self.packs = packs
        self._basis: dict = {}

    def basis(self, rule: Rule, year: int) -> tuple[list[dict], str]:
        """The bases a rule cites for a report year, and their text; worked out once per
        rule and year (a batch asks thousands of times). Keyed by id: this RuleSet holds the rule."""
        key = (id(rule), year)
        if key not in self._basis:
            chosen = rule.basis_for(year)
            self._basis[key] = (chosen, "；".join(basis_text(b) for b in chosen))
        return self._basis[key]

    @property
    def rules(self) -> list[Rule]:
        return [r for p in self.packs for r in p.rules]

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def check_profile(self, profile) -> None:
        """UsageError unless every pack named with --profile exists."""
        known = {p.id for p in self.packs}
        unknown = [p for p in profile or () if p not in known]
        if unknown:
            from gkcheck.errors import UsageError

            raise UsageError(f"没有名为 {'、'.join(unknown)} 的规则包（可用：{'、'.join(sorted(known))}）")

    def packs_for(self, report, profile: list[str] | None = None) -> list[Pack]:
        """Packs chosen by report year (and kind, province), or by name with --profile."""
        if profile:
            self.check_profile(profile)
            return [p for p in self.packs if p.id in profile]
        return [p for p in self.packs if applicability(p.applies, report) is None]

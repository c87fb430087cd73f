"""Exit policy: which findings fail a run.

Shared by `gkcheck check` and `gkcheck audit`: build the audit document, then
`sys.exit(exit_code(doc, fail_on))`.
"""

from __future__ import annotations

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
RANK = {"info": 0, "warning": 1, "error": 2}


def counts(result: dict, fail_on: str) -> bool:
    """A failing finding that is not waived or baselined and is at or above the fail_on level."""
    if fail_on == "never" or result.get("status") != "fail" or result.get("baseline"):
        return False
    return RANK.get(result.get("severity"), 2) >= RANK[fail_on]


def expired_waiver(result: dict) -> bool:
    return result.get("status") == "fail" and bool((result.get("waiver") or {}).get("expired"))


def exit_code(doc: dict, fail_on: str = "error") -> int:
    """2 when a report could not be read; else 1 when a counted finding or an expired waiver
    fails (unless fail_on is "never"); else 0."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {FAIL_ON}, not {fail_on!r}")
    reports = doc.get("reports") or []
    if any(r.get("verdict") == "error" for r in reports):
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_PASS
    for r in reports:
        for res in r.get("results") or []:
            if counts(res, fail_on) or expired_waiver(res):
                return EXIT_FAIL
    return EXIT_PASS


def refresh_verdict(entry: dict) -> None:
    """After waivers: a report fails when an error-level finding still has status fail."""
    if entry.get("verdict") == "error":
        return
    failed = any(r["status"] == "fail" and r["severity"] == "error" for r in entry.get("results") or [])
    entry["verdict"] = "fail" if failed else "pass"


class Run:
    """The settings of one `check` (or `audit`) applied around the engine: rules disabled or
    re-levelled before it runs, baseline and waivers after. Bad settings fail before any work."""

    def __init__(self, cfg, ruleset, baseline: bool = True, waivers: bool = True):
        from gkcheck.config import adjust_ruleset, rule_settings

        self.cfg, self.original = cfg, ruleset
        self.disabled, self.levels = rule_settings(ruleset, cfg)
        self.ruleset = adjust_ruleset(ruleset, self.disabled, self.levels)
        self.baseline = self.waivers = None
        if baseline and cfg["baseline"]:
            from gkcheck.baseline import load

            self.baseline = load(cfg["baseline"])
        if waivers and cfg["waivers"] is not None:
            from gkcheck.waivers import from_config, today

            self.waivers, self.today = from_config(cfg), today()

    def finish(self, entries: list[dict]) -> dict:
        """The audit document, with "disabled", "baseline", "waiver" marks and their summaries."""
        import os

        from gkcheck.config import annotate
        from gkcheck.output import document

        annotate(entries, self.original, self.disabled, self.levels)
        extras = {}
        if self.baseline is not None:  # before waivers: fingerprints use the original message
            from gkcheck import baseline

            extras["fixed"] = baseline.apply(entries, self.baseline, os.path.dirname(self.cfg["baseline"]) or ".")
        if self.waivers is not None:
            from gkcheck import waivers

            found = waivers.apply(entries, self.waivers, self.today)
            extras["unused_waivers"], extras["expired_waivers"] = found["unused"], found["expired"]
        for entry in entries:
            refresh_verdict(entry)
        doc = document(entries)
        doc.update(extras)
        return doc


def warnings(doc: dict) -> list[str]:
    """One-line warnings for stderr, whatever the output format."""
    out = [f"豁免已过期：{h['rule']} @ {h['report']}（{h['waiver']['source']}，{h['waiver']['expires']} 到期）"
           for h in doc.get("expired_waivers") or []]
    out += [f"豁免未匹配任何问题：{w['rule']}（{w['source']}）" for w in doc.get("unused_waivers") or []]
    return out

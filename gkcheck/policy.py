"""Exit policy: which findings fail a report, and a run.

This module is the single source of a report's verdict once the settings are applied:
`settle(entry, fail_on)` writes it into the entry, `exit_code(doc, fail_on)` derives the exit
status from the same function, so what is printed and how the process exits never disagree.

`gkcheck check` uses Run (rules disabled or re-levelled, baseline, waivers, fail_on) and then
`sys.exit(exit_code(doc, fail_on))`. A caller that streams entries (`gkcheck audit`) calls
`settle(entry, fail_on)` on each entry before it is rendered or counted, and takes the exit
status from the verdict counts with `exit_code_of_summary(summary)`.
"""

from __future__ import annotations

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_FAIL_ON = "error"
RANK = {"info": 0, "warning": 1, "error": 2}


def _check_fail_on(fail_on: str) -> str:
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {FAIL_ON}, not {fail_on!r}")
    return fail_on


def counts(result: dict, fail_on: str) -> bool:
    """A failing finding that is not waived or baselined and is at or above the fail_on level."""
    if fail_on == "never" or result.get("status") != "fail" or result.get("baseline"):
        return False
    return RANK.get(result.get("severity"), 2) >= RANK[fail_on]


def expired_waiver(result: dict) -> bool:
    return result.get("status") == "fail" and bool((result.get("waiver") or {}).get("expired"))


def counted(result: dict, fail_on: str) -> bool:
    """Whether this finding makes its report fail: a counted finding, or one whose waiver has
    expired (whatever its level), unless fail_on is "never"."""
    return fail_on != "never" and (counts(result, fail_on) or expired_waiver(result))


def verdict(entry: dict, fail_on: str = DEFAULT_FAIL_ON) -> str:
    """"error" for an unreadable report; else "fail" iff a finding is counted; else "pass"."""
    _check_fail_on(fail_on)
    if entry.get("verdict") == "error":
        return "error"
    return "fail" if any(counted(r, fail_on) for r in entry.get("results") or []) else "pass"


def settle(entry: dict, fail_on: str = DEFAULT_FAIL_ON) -> dict:
    """Write the policy's verdict into the entry (after waivers and the baseline are applied)."""
    entry["verdict"] = verdict(entry, fail_on)
    return entry


def refresh_verdict(entry: dict, fail_on: str = DEFAULT_FAIL_ON) -> None:
    """Kept for callers of the earlier name: settle(entry, fail_on)."""
    settle(entry, fail_on)


def exit_code_of_summary(summary: dict) -> int:
    """2 when a report could not be read, else 1 when a report fails, else 0 (for verdicts that
    were settled with settle())."""
    if summary.get("error"):
        return EXIT_ERROR
    return EXIT_FAIL if summary.get("fail") else EXIT_PASS


def exit_code(doc: dict, fail_on: str | None = None) -> int:
    """The exit status from the reports' verdicts under fail_on (default: the document's
    "fail_on", else "error"): 2 when a report could not be read; else 1 when a report fails
    (a counted finding, or a finding whose waiver expired, unless fail_on is "never"); else 0."""
    fail_on = _check_fail_on(fail_on or doc.get("fail_on") or DEFAULT_FAIL_ON)
    summary = {"error": 0, "fail": 0}
    for entry in doc.get("reports") or []:
        v = verdict(entry, fail_on)
        if v in summary:
            summary[v] += 1
    return exit_code_of_summary(summary)


class Run:
    """The settings of one `check` (or `audit`) applied around the engine: rules disabled or
    re-levelled before it runs, baseline, waivers and fail_on after. Bad settings fail before
    any work."""

    def __init__(self, cfg, ruleset, baseline: bool = True, waivers: bool = True):
        from gkcheck.config import adjust_ruleset, rule_settings

        self.cfg, self.original = cfg, ruleset
        self.fail_on = _check_fail_on(cfg["fail_on"] or DEFAULT_FAIL_ON)
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
        """The audit document: "disabled", "baseline", "waiver" marks and their summaries, each
        entry's verdict settled under fail_on, the summary counted from those verdicts."""
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
            settle(entry, self.fail_on)
        doc = document(entries)  # the summary counts the settled verdicts
        doc["fail_on"] = self.fail_on
        doc.update(extras)
        return doc


def warnings(doc: dict) -> list[str]:
    """One-line warnings for stderr, whatever the output format."""
    out = [f"豁免已过期：{h['rule']} @ {h['report']}（{h['waiver']['source']}，{h['waiver']['expires']} 到期）"
           for h in doc.get("expired_waivers") or []]
    out += [f"豁免未匹配任何问题：{w['rule']}（{w['source']}）" for w in doc.get("unused_waivers") or []]
    return out

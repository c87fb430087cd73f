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


class Policy:
    """What happens to each report entry after the engine, as plain data (a batch sends it to
    its worker processes): disabled rules and changed severities are recorded, baseline and
    waivers marked, the verdict settled under fail_on. `apply` works on one entry at a time and
    returns what the document reports for the run as a whole; `extras` sums those up."""

    def __init__(self, fail_on: str = DEFAULT_FAIL_ON, disabled: dict | None = None, levels: dict | None = None,
                 pack_rules: dict | None = None, baseline: dict | None = None, baseline_dir: str = ".",
                 waivers: list | None = None, today=None, scorecard=None, record: dict | None = None):
        self.fail_on = _check_fail_on(fail_on)
        self.scorecard = scorecard  # gkcheck.policy.score.Scorecard, or None: no score
        self.record = record        # the run record (gkcheck.policy.record), for the document
        self.disabled, self.levels, self.pack_rules = disabled or {}, levels or {}, pack_rules or {}
        self.baseline, self.baseline_dir = baseline, baseline_dir
        self.waivers, self.today = waivers, today

    def apply(self, entry: dict) -> dict:
        from gkcheck.policy.config import annotate

        marks: dict = {}  # only what is there: a batch keeps the marks of every report
        annotate([entry], self.pack_rules, self.disabled, self.levels)
        if self.baseline is not None:  # before waivers: fingerprints use the original message
            from gkcheck.policy import baseline

            marks["fixed"] = baseline.apply([entry], self.baseline, self.baseline_dir)
        if self.waivers is not None:
            from gkcheck.policy import waivers

            found = waivers.apply([entry], self.waivers, self.today)
            marks["expired"], marks["used"] = found["expired"], found["used"]
        settle(entry, self.fail_on)
        if self.scorecard is not None:  # after waivers and the baseline: they spare points as verdicts
            entry["score"] = self.scorecard.score(entry)
        return {k: v for k, v in marks.items() if v}

    def extras(self, marks: list[dict], complete: bool = True) -> dict:
        """The run-wide fields of the document from the marks of every entry. An incomplete run
        (interrupted) cannot tell which waivers match nothing, so it does not say."""
        extras: dict = {"fail_on": self.fail_on}
        if self.baseline is not None:
            # in the baseline's order, once each (also when a report is named twice)
            fixed = {(f["report"], f["rule"], f["fingerprint"]): f for m in marks for f in m.get("fixed", [])}
            extras["fixed"] = [fixed[k] for k in ((f["report"], f["rule"], f["fingerprint"])
                                                  for f in self.baseline["findings"]) if k in fixed]
        if self.waivers is not None:
            used = {i for m in marks for i in m.get("used", [])}
            if complete:
                extras["unused_waivers"] = [w.to_json(self.today) for i, w in enumerate(self.waivers)
                                            if i not in used]
            extras["expired_waivers"] = [h for m in marks for h in m.get("expired", [])]
        if self.record is not None:
            extras["run"] = self.record
        return extras


class Run:
    """The settings of one `check` (or `audit`) applied around the engine: rules disabled or
    re-levelled before it runs (self.ruleset), the Policy after. Bad settings fail before any work."""

    def __init__(self, cfg, ruleset, baseline: bool = True, waivers: bool = True, command: str = "check",
                 overrides: dict | None = None):
        import os

        from gkcheck.policy import record, score
        from gkcheck.policy.config import adjust_ruleset, rule_settings

        self.cfg = cfg
        self.fail_on = _check_fail_on(cfg["fail_on"] or DEFAULT_FAIL_ON)
        disabled, levels = rule_settings(ruleset, cfg)
        self.ruleset = adjust_ruleset(ruleset, disabled, levels)
        policy = {"fail_on": self.fail_on, "disabled": disabled, "levels": levels,
                  "pack_rules": {p.id: [r.id for r in p.rules] for p in ruleset.packs}}
        if baseline and cfg["baseline"]:
            from gkcheck.policy.baseline import load

            policy.update(baseline=load(cfg["baseline"]), baseline_dir=os.path.dirname(cfg["baseline"]) or ".")
        if waivers and cfg["waivers"] is not None:
            from gkcheck.policy.waivers import from_config, today

            policy.update(waivers=from_config(cfg), today=today())
        policy["scorecard"] = score.load(cfg["scorecard"])
        policy["record"] = record.make(command, cfg, ruleset, policy, overrides)
        self.policy = Policy(**policy)

    def finish(self, entries: list[dict]) -> dict:
        """The audit document: each entry settled by the policy, the summary counted from those
        verdicts, and the run-wide baseline and waiver fields."""
        from gkcheck.engine import document

        marks = [self.policy.apply(entry) for entry in entries]
        doc = document(entries)
        doc.update(self.policy.extras(marks))
        return doc


def warnings(doc: dict) -> list[str]:
    """One-line warnings for stderr, whatever the output format."""
    out = [f"豁免已过期：{h['rule']} @ {h['report']}（{h['waiver']['source']}，{h['waiver']['expires']} 到期）"
           for h in doc.get("expired_waivers") or []]
    out += [f"豁免未匹配任何问题：{w['rule']}（{w['source']}）" for w in doc.get("unused_waivers") or []]
    return out

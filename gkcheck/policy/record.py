"""The run record: what a result depended on, so that `gkcheck verify` can re-run it.

The document says which gkcheck, which rule packs and scorecard (by the sha256 of their files),
which settings changed the outcome (profile, rule directories, disabled rules, severities,
waivers, baseline, fail_on, facts given on the command line, the date waivers were judged on),
and when it ran. Each report entry carries the sha256 of its input bytes (set where the file
is read). SOURCE_DATE_EPOCH, when set, fixes the time (reproducible output, tests).
"""

from __future__ import annotations

import datetime as dt
import os

from gkcheck.util.digest import file_sha256

FORMAT = 1


def now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit() \
        else dt.datetime.now(dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def packs(ruleset) -> list[dict]:
    return [{"pack": p.id, "file": p.file, "sha256": file_sha256(p.file)} for p in ruleset.packs]


def _file(path) -> dict | None:
    if not path:
        return None
    return {"file": path, "sha256": file_sha256(path)} if os.path.isfile(path) else {"file": path}


def make(command: str, cfg, ruleset, policy: dict, overrides: dict | None = None) -> dict:
    """The record of a run with these settings (policy: the arguments of gkcheck.policy.Policy)."""
    from gkcheck import __version__

    waivers = cfg["waivers"]
    if isinstance(waivers, list):  # written inline in the configuration file
        waivers = {"inline": waivers}
    else:
        waivers = _file(waivers)
    options = {
        "profile": list(cfg["profile"] or []),
        "rules_dirs": list(cfg["rules_dirs"] or []),
        "fail_on": policy["fail_on"],
        "disabled": policy["disabled"],
        "severity": policy["levels"],
        "waivers": waivers,
        "baseline": _file(cfg["baseline"]) if "baseline" in policy else None,
        "overrides": {k: v for k, v in (overrides or {}).items() if v is not None},
    }
    if "today" in policy:
        options["today"] = policy["today"].isoformat()
    scorecard = policy.get("scorecard")
    return {"gkcheck_run": FORMAT, "command": command, "time": now(), "version": __version__,
            "config": _file(cfg.path), "rule_packs": packs(ruleset),
            "scorecard": scorecard.record() if scorecard is not None else None, "options": options}

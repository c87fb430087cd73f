"""What a check returns (Outcome: status, evidence, values for the message), and the identity
of a finding (its fingerprint), which baselines and SARIF both key on."""

from __future__ import annotations

from gkcheck.util import regex

_SPACE = regex.compile(r"\s+")

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "not_applicable"


class Outcome:
    __slots__ = ("status", "evidence", "location", "values", "reason")

    def __init__(self, status: str, evidence: list | None = None, location: dict | None = None,
                 values: dict | None = None, reason: str | None = None):
        self.status = status
        self.evidence = evidence if evidence is not None else []  # [{"text"|"value": …, "location": {…}}]
        self.location = location
        self.values = values if values is not None else {}       # placeholders for the message template
        self.reason = reason                                       # why not applicable

    def __repr__(self) -> str:
        return f"Outcome({self.status!r}, evidence={self.evidence!r}, reason={self.reason!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Outcome) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    @classmethod
    def passed(cls, evidence=None, location=None, **values) -> "Outcome":
        return cls(PASS, evidence or [], location, values)

    @classmethod
    def failed(cls, evidence=None, location=None, **values) -> "Outcome":
        return cls(FAIL, evidence or [], location, values)

    @classmethod
    def not_applicable(cls, reason: str, **values) -> "Outcome":
        return cls(NOT_APPLICABLE, [], None, values, reason)


def _norm(value) -> str:
    import unicodedata  # lazily, with hashlib: the engine imports this module on every cold start

    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def fingerprint(result: dict) -> str:
    """sha256 of the rule id and the normalised evidence texts/values (the message if no evidence).
    Line numbers are not part of it: a finding keeps its identity when text above it moves."""
    import hashlib

    parts = [result["rule"]]
    for item in result.get("evidence") or []:
        if isinstance(item, dict):
            parts += [_norm(item.get(k)) for k in ("text", "value") if item.get(k) is not None]
        else:
            parts.append(_norm(item))
    if len(parts) == 1:
        parts.append(_norm(result.get("message", "")))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

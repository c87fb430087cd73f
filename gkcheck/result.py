"""What a check returns: its status, the evidence it saw, and values for the message."""

from __future__ import annotations

from dataclasses import dataclass, field

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "not_applicable"


@dataclass
class Outcome:
    status: str
    evidence: list = field(default_factory=list)   # [{"text"|"value": …, "location": {…}}]
    location: dict | None = None
    values: dict = field(default_factory=dict)     # placeholders for the message template
    reason: str | None = None                      # why not applicable

    @classmethod
    def passed(cls, evidence=None, location=None, **values) -> "Outcome":
        return cls(PASS, evidence or [], location, values)

    @classmethod
    def failed(cls, evidence=None, location=None, **values) -> "Outcome":
        return cls(FAIL, evidence or [], location, values)

    @classmethod
    def not_applicable(cls, reason: str, **values) -> "Outcome":
        return cls(NOT_APPLICABLE, [], None, values, reason)

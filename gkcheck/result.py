"""What a check returns: its status, the evidence it saw, and values for the message."""

from __future__ import annotations

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

"""Errors that reach the user as one line: the file, what is wrong, and where."""

from __future__ import annotations


class GkError(Exception):
    """Base class; str() is the one-line message shown to the user."""

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        self.message = message
        self.file = file
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(GkError):
    """A report that cannot be read or is not a report (exit 2)."""


class RuleError(GkError):
    """A rule file that is invalid (exit 2)."""


class UsageError(GkError):
    """A command-line or configuration mistake (exit 2)."""


class ParamError(ValueError):
    """A check parameter that is wrong in a way its schema cannot say (raised by compile())."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)

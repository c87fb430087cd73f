"""The library entry points the CLI (and batch workers) use: read a file, audit it."""

from __future__ import annotations

from gkcheck.errors import GkError, InputError
from gkcheck.report.model import Report

NO_YEAR = "无法确定报告年度（标题、导语中的报告名称、统计期限和正文首句中都没有），请用 --year 指定"
OVERRIDE_KEYS = ("year", "published", "agency_name", "agency_kind", "agency_level", "province")


def apply_overrides(data: dict, overrides: dict | None) -> dict:
    """Command-line facts win over what was extracted (e.g. --published for a page without a date)."""
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        unknown = data.get("unknown")
        if unknown:  # what the user supplied is no longer unknown
            unknown.pop("agency" if key == "agency_name" else key, None)
        if key.startswith("agency_") or key == "province":
            field = "name" if key == "agency_name" else key.replace("agency_", "")
            data.setdefault("agency", {})[field] = value
        else:
            data[key] = value
    return data


def read(path: str, overrides: dict | None = None) -> Report:
    return read_digest(path, overrides)[0]


def read_digest(path: str, overrides: dict | None = None) -> tuple[Report, str]:
    """The report, and the sha256 of the bytes it was read from (for the run record)."""
    from gkcheck.extract import read_bytes, read_report
    from gkcheck.util.digest import sha256_hex

    raw = read_bytes(path)
    data = apply_overrides(read_report(path, raw), overrides)
    if not data.get("year"):
        raise InputError(NO_YEAR, file=path)
    return Report(data, source=path), sha256_hex(raw)


def mark_digests(entry: dict, sha: str | None, previous_sha: str | None = None) -> dict:
    """Write the input's sha256 into its entry (and the previous-year report's, if any)."""
    entry["sha256"] = sha
    prev = (entry.get("report") or {}).get("previous")
    if prev is not None and previous_sha is not None:
        prev["sha256"] = previous_sha
    return entry


def check_file(path: str, ruleset, overrides: dict | None = None, profile=None, previous: str | None = None) -> dict:
    """One report's entry of the audit document; an unreadable input becomes verdict error."""
    from gkcheck.engine import audit, error_entry

    sha = prev_sha = None
    try:
        report, sha = read_digest(path, overrides)
        if previous:
            report.previous, prev_sha = read_digest(previous)
        return mark_digests(audit(report, ruleset, profile), sha, prev_sha)
    except GkError as exc:
        return mark_digests(error_entry(path, str(exc)), sha or file_digest(path))
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # one report's fault never stops the others, nor shows a traceback
        return mark_digests(error_entry(path, f"{path}: 内部错误（请报告此问题）：{type(exc).__name__}: {exc}"),
                            sha or file_digest(path))


def file_digest(path: str, many: bool = False) -> str | None:
    """sha256 of a file's bytes, None when it cannot be read (an entry in error says why) or is
    not a regular file: a pipe was read once already, and opening it again would wait forever."""
    from gkcheck.util.digest import file_sha256
    from gkcheck.util.files import is_regular_file

    if not is_regular_file(path):
        return None
    try:
        return file_sha256(path, many)
    except (OSError, ValueError):
        return None

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
    from gkcheck.extract import read_report

    data = apply_overrides(read_report(path), overrides)
    if not data.get("year"):
        raise InputError(NO_YEAR, file=path)
    return Report(data, source=path)


def check_file(path: str, ruleset, overrides: dict | None = None, profile=None, previous: str | None = None) -> dict:
    """One report's entry of the audit document; an unreadable input becomes verdict error."""
    from gkcheck.engine import audit, error_entry

    try:
        report = read(path, overrides)
        if previous:
            report.previous = read(previous)
        return audit(report, ruleset, profile)
    except GkError as exc:
        return error_entry(path, str(exc))
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # one report's fault never stops the others, nor shows a traceback
        return error_entry(path, f"{path}: 内部错误（请报告此问题）：{type(exc).__name__}: {exc}")

"""Baselines: record today's findings so that only new ones fail a run.

A finding is identified by its report (path relative to the baseline file), its rule and a
fingerprint of its evidence, never by line numbers: editing text above a known problem must
not make it "new".
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gkcheck.errors import UsageError
from gkcheck.result import fingerprint

FORMAT_VERSION = 1


def report_key(source: str, base_dir: str) -> str:
    """The report path relative to the baseline file's directory, with forward slashes."""
    try:
        rel = os.path.relpath(os.path.abspath(source), os.path.abspath(base_dir))
    except ValueError:  # another drive
        rel = os.path.abspath(source)
    return Path(rel).as_posix()


def create(entries: list[dict], base_dir: str, created: str) -> dict:
    from gkcheck import __version__

    findings = []
    for entry in entries:
        for res in entry.get("results") or []:
            if res["status"] == "fail":
                findings.append({"report": report_key(entry["source"], base_dir), "rule": res["rule"],
                                 "fingerprint": fingerprint(res), "severity": res["severity"],
                                 "message": res["message"]})
    findings.sort(key=lambda f: (f["report"], f["rule"], f["fingerprint"]))
    return {"gkcheck_baseline": FORMAT_VERSION, "tool": {"name": "gkcheck", "version": __version__},
            "created": created, "findings": findings}


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise UsageError("基线文件不存在（用 gkcheck baseline create 生成）", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取基线文件: {exc}", file=path) from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"基线文件 JSON 格式错误: {exc.msg}", file=path, where=f"第{exc.lineno}行") from None
    except RecursionError:
        raise UsageError("基线文件 JSON 嵌套过深", file=path) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise UsageError("基线文件中有位数过多的整数", file=path) from None
    # type() and not ==: True == 1 and 1.0 == 1, but neither is format version 1
    if not isinstance(doc, dict) or type(doc.get("gkcheck_baseline")) is not int \
            or doc["gkcheck_baseline"] != FORMAT_VERSION or not isinstance(doc.get("findings"), list):
        raise UsageError(f"不是 gkcheck 基线文件（应有 gkcheck_baseline: {FORMAT_VERSION} 和 findings 列表）",
                         file=path)
    for i, f in enumerate(doc["findings"]):
        if not isinstance(f, dict) or not all(isinstance(f.get(k), str) for k in ("report", "rule", "fingerprint")):
            raise UsageError("基线条目须有 report、rule、fingerprint", file=path, where=f"findings[{i}]")
    return doc


def apply(entries: list[dict], baseline: dict, base_dir: str) -> list[dict]:
    """Mark known findings with "baseline": true; return the baseline findings that are gone."""
    known = {(f["report"], f["rule"], f["fingerprint"]) for f in baseline["findings"]}
    seen, checked = set(), set()
    for entry in entries:
        if entry.get("verdict") == "error":
            continue  # an unreadable report says nothing about what was fixed
        key = report_key(entry["source"], base_dir)
        checked.add(key)
        for res in entry.get("results") or []:
            if res["status"] != "fail":
                continue
            ident = (key, res["rule"], fingerprint(res))
            if ident in known:
                res["baseline"] = True
                seen.add(ident)
    return [dict(f) for f in baseline["findings"]
            if f["report"] in checked and (f["report"], f["rule"], f["fingerprint"]) not in seen]

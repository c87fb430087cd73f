"""The worker side of gkcheck.batch: per-process state and the two phase functions.

Every function here catches what one file can throw, so a bad file is an error entry and the
pool never sees an exception. The spool is append-only files per worker process; a report
extracted in phase 1 (a JSON report is read again from its file instead) or a rendered piece of
output is kept there and passed on as its slot (file name, offset, length), valid for every
process of the run.
"""

from __future__ import annotations

import marshal
import pickle
import signal
import time

from gkcheck.batch.spool import PIECES_ROTATE_AT, Spool
from gkcheck.util.digest import sha256_bytes
from gkcheck.util.files import is_regular_file

_STATE: dict = {}


def init_worker(config: dict, ruleset=None, ignore_sigint: bool = True, progress=None) -> None:
    """Set up a worker process: compile the rule packs once (unless given: a forked worker has the
    parent's), the input limits, the spool files (Ctrl-C is the parent's job). `progress`: the
    array the parent watches the task on hand by (workers.py)."""
    if ignore_sigint:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    close_worker()
    _STATE.update(config)
    _STATE["progress"] = progress
    if config.get("limits") is not None:
        from gkcheck.util.limits import configure

        configure(config["limits"])
    if ruleset is None:
        from gkcheck.ruleset import load_ruleset

        try:
            ruleset = load_ruleset(list(config["rules_dirs"]))
            policy = config.get("policy")
            if policy is not None:
                from gkcheck.policy.config import adjust_ruleset

                ruleset = adjust_ruleset(ruleset, policy.disabled, policy.levels)
        except Exception as exc:  # the parent loaded them already; never loop on a failing initializer
            _STATE["ruleset_error"] = f"规则无法载入：{exc}"
    _STATE["ruleset"] = ruleset
    _STATE["format"] = format_module(config["fmt"])
    _STATE["spool"] = Spool(config["spool_dir"])
    _STATE["pieces"] = Spool(config["spool_dir"], "pieces", rotate_at=PIECES_ROTATE_AT)
    _STATE["guesses"] = Spool(config["spool_dir"], "guesses", rotate_at=PIECES_ROTATE_AT)


# Formats that can be written a report at a time: piece(entry) in the worker, Writer in the parent.
STREAMING = {"text": "gkcheck.output.summary", "json": "gkcheck.batch.json_stream", "csv": "gkcheck.output.csv_format",
             "html": "gkcheck.output.html", "xlsx": "gkcheck.output.xlsx", "docx": "gkcheck.output.notice"}


def close_worker() -> None:
    """Close the spool files and forget the state (an in-process run ends here)."""
    for spool in (_STATE.get("spool"), _STATE.get("pieces"), _STATE.get("guesses")):
        if spool is not None:
            spool.close()
    _STATE.clear()


def format_module(fmt: str):
    from importlib import import_module

    return import_module(STREAMING[fmt])


def _failure(path: str, exc: Exception) -> str:
    from gkcheck.errors import GkError

    if isinstance(exc, GkError):
        return str(exc)
    return f"{path}: 内部错误：{type(exc).__name__}: {exc}"


def read_one(task: tuple) -> tuple:
    """Phase 1: (index, path, guess) → (index, (agency key, year) | None, agency name,
    spool slot | error, guessed | None, times).

    With `guess`, the report is also audited as if the batch held no report of its agency's year
    before (most batches are one year's reports): guessed = (piece slot, summary, policy marks),
    which the parent takes when pairing finds no predecessor, sparing phase 2's second reading."""
    from gkcheck.api import NO_YEAR, apply_overrides
    from gkcheck.chinese.normalize import agency_key
    from gkcheck.errors import InputError
    from gkcheck.extract import detect_form, read_bytes, read_report

    index, path, guess = task
    t0 = time.perf_counter()
    t1 = t2 = t0
    data = digest = None
    try:
        raw = read_bytes(path)
        t1 = time.perf_counter()
        data = apply_overrides(read_report(path, raw), _STATE.get("overrides"))
        if not data.get("year"):
            raise InputError(NO_YEAR, file=path)
        t2 = time.perf_counter()
        is_json = detect_form(raw, path) == "json" and is_regular_file(path)  # phase 2 can read it again
        digest = sha256_bytes(raw, many=True)  # OpenSSL: 5× the built-in module
        slot = _spool_write(data, digest, is_json)
        name = (data.get("agency") or {}).get("name")
        key = agency_key(name)
        result = (index, (key, int(data["year"])) if key else None, name, slot)
    except Exception as exc:  # one bad file never stops the batch
        result = (index, None, None, _failure(path, exc))
        guess = False
    times = {"read": t1 - t0, "extract": t2 - t1, "spool": time.perf_counter() - t2}
    guessed = None
    if guess and "ruleset_error" not in _STATE:
        # spooled above before the Report is made: what the checks do to `data` stays here
        from gkcheck.report.model import Report

        try:
            report = Report(data, source=path)
        except Exception:  # phase 2 makes its error entry
            report = None
        if report is not None:
            _checking()
            guessed = _audit(index, path, report, digest.hex(), None, None, "guesses", times)
    return result + (guessed, times)


def _checking() -> None:
    """Tell the parent the task has gone from reading to checking: the check gets its own time
    limit, and a timeout or crash from here on is the check's."""
    progress = _STATE.get("progress")
    if progress is not None:
        progress[1], progress[2] = time.monotonic(), 1.0


def audit_one(task: tuple) -> tuple:
    """Phase 2: (index, path, slot | error, previous slot, previous path)
    → (index, piece slot, summary, policy marks, times)."""
    from gkcheck.report.model import Report

    index, path, slot, prev_slot, prev_path = task
    t0 = time.perf_counter()
    error = slot if isinstance(slot, str) else _STATE.get("ruleset_error")
    report = sha = prev_sha = None
    if error is None:
        try:
            data, sha = _spool_read(slot, path)
            report = Report(data, source=path)
            if prev_slot is not None:
                data, prev_sha = _spool_read(prev_slot, prev_path)
                report.previous = Report(data, source=prev_path)
        except Exception as exc:
            error = _failure(path, exc)
    times = {"spool": time.perf_counter() - t0}
    return (index, *_audit(index, path, report, sha, prev_sha, error, "pieces", times), times)


def _audit(index: int, path: str, report, sha: str | None, prev_sha: str | None, error: str | None,
           spool: str, times: dict) -> tuple:
    """Audit the report (or make the entry of `error`), apply the policy, render the entry and
    spool its piece: (piece slot, summary, policy marks); adds "check" and "render" to `times`."""
    from gkcheck.api import file_digest, mark_digests
    from gkcheck.engine import audit, error_entry

    t1 = time.perf_counter()
    if error is not None:
        entry = error_entry(path, error)
    else:
        try:
            entry = mark_digests(audit(report, _STATE["ruleset"], _STATE.get("profile") or None), sha, prev_sha)
        except Exception as exc:
            entry = error_entry(path, _failure(path, exc))
    if entry["verdict"] == "error":  # the bytes of an input that could not be checked, when readable
        mark_digests(entry, sha or file_digest(path))
    policy, marks = _STATE.get("policy"), None
    if policy is not None:
        try:
            marks = policy.apply(entry)
        except Exception as exc:
            entry = error_entry(path, _failure(path, exc))
    t2 = time.perf_counter()
    try:
        piece, summary = _render(entry, index)
    except Exception as exc:  # a report the format cannot render is still one entry, not a crash
        piece, summary = _render(error_entry(path, _failure(path, exc)), index)
    # The piece goes back by the spool, not the pipe: the parent copies its bytes to the output
    # without unpickling, decoding and encoding them again (the parent's CPU is the scarce one).
    # a lone surrogate from a JSON report ("\ud800") cannot be UTF-8: shown as "?" (JSON escapes it)
    slot = _STATE[spool].write(piece if type(piece) is bytes else piece.encode("utf-8", "replace"))
    times["check"], times["render"] = t2 - t1, time.perf_counter() - t2
    return slot, summary, marks


def _render(entry: dict, index: int) -> tuple[str | bytes, dict]:
    from gkcheck.output.summary import digest

    return _STATE["format"].piece(entry, index=index, **_STATE["fmt_options"]), digest(entry, index)




def _spool_write(data: dict, digest: bytes, is_json: bool = False) -> tuple | bytes:
    """Where phase 2 finds the report again. A JSON report in a regular file is not copied: its
    slot is the sha256 of its bytes, and phase 2 reads the file again (writing 70 KB to fresh
    pages of the temp directory costs more than reading the file again from the page cache and
    hashing it, and with a guess kept phase 2 never reads it). Any other report goes by
    marshal, about twice as fast as pickle for plain JSON-like data (the spool never outlives
    this run of this interpreter); what marshal cannot hold goes by pickle. The sha256 of the
    input's bytes (32 bytes) rides along, for the entry's run record."""
    if is_json:
        return digest
    try:
        blob = b"m" + digest + marshal.dumps(data)
    except ValueError:
        blob = b"p" + digest + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    return _STATE["spool"].write(blob)


def _spool_read(slot: tuple | bytes, path: str) -> tuple[dict, str]:
    """The report of `path` as phase 1 read it and the sha256 (hex) of the bytes it was read from."""
    if type(slot) is bytes:
        return _reread_json(slot, path), slot.hex()
    blob = _STATE["spool"].read(slot)
    body = memoryview(blob)[33:]
    return (marshal.loads if blob[:1] == b"m" else pickle.loads)(body), blob[1:33].hex()


def _reread_json(digest: bytes, path: str) -> dict:
    """A JSON report read from its file again: parsed, not validated again, the overrides
    applied again; the same bytes as phase 1 validated, or an error."""
    from gkcheck.api import apply_overrides
    from gkcheck.errors import InputError
    from gkcheck.extract import read_bytes, reread_json

    raw = read_bytes(path)
    if sha256_bytes(raw, many=True) != digest:
        raise InputError("文件在本次批量检查过程中被改动（两次读取的内容不同），未检查；请在文件不再变动时重新检查",
                         file=path)
    return apply_overrides(reread_json(path, raw), _STATE.get("overrides"))

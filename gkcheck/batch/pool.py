"""Batch audit: read the reports in parallel, pair consecutive years, audit in parallel.

Two phases over one set of worker processes (workers.py: a task past the time limit, or one
whose worker dies, becomes an error entry and the worker is replaced; the worker side is
gkcheck.batch.worker):
1. read + extract each file; the worker spools the structured report to a temp directory
   (marshal) and returns only (agency key, year) — the parent never holds reports. It also
   audits the report as if it had no predecessor, and spools that piece of the output: a guess
   that holds unless pairing finds the report's previous year (see Guessing);
2. the parent pairs year Y with year Y−1 of the same agency, then workers load each spooled
   report that has a predecessor or no guess (and its predecessor), audit it and spool its
   rendered piece of the output as UTF-8; the parent copies the pieces' bytes to the output in
   input order as they arrive, guesses and phase 2's pieces in turn.
Memory stays flat in N; the price is a spool on disk of about the reports' marshalled size and,
with guesses, the output's size (the pieces' spool files are deleted as the parent reads past them).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import partial

from gkcheck.batch.pairing import pair
from gkcheck.batch.spool import Spool
from gkcheck.batch.worker import audit_one, close_worker, format_module, init_worker, read_one
from gkcheck.batch.workers import Workers
from gkcheck.util.limits import TIMEOUT


@dataclass
class Batch:
    files: list[str]
    jobs: int = 1
    fmt: str = "json"
    fmt_options: dict = field(default_factory=dict)
    rules_dirs: tuple = ()
    profile: tuple = ()
    overrides: dict = field(default_factory=dict)
    policy: object = None  # gkcheck.policy.Policy: disabled rules, severities, baseline, waivers, fail_on
    timeout: float = TIMEOUT  # seconds each task (reading, checking) of a report may take; 0: no limit
    limits: dict | None = None  # gkcheck.util.limits for the readers in the workers (None: as they are)


class Sink:
    """What the parent does with each audited report: count it, hand its piece to the writer,
    and keep the policy's run-wide marks (baseline findings fixed, waivers used or expired)."""

    def __init__(self, writer, tally):
        self.writer, self.tally = writer, tally
        self.marks: list[dict] = []

    def add(self, piece: bytes | str, digest: dict, marks: dict | None = None) -> None:
        self.tally.add(digest)
        self.writer.add(piece)
        if marks:
            self.marks.append(marks)


@dataclass
class Outcome:
    pairs: list[dict] = field(default_factory=list)
    done: int = 0
    interrupted: bool = False
    times: dict = field(default_factory=dict)


def run(batch: Batch, sink, ruleset=None, progress=None) -> Outcome:
    """Audit batch.files; sink.add(piece, digest, marks) is called in input order, with the
    piece as UTF-8 bytes (str for inputs that could not be read, when interrupted early).

    `progress(phase, done, total)` reports advancement ("read" then "check"). Ctrl-C stops the
    workers and returns what was done with interrupted=True; the caller closes the output.
    """
    import shutil
    import tempfile

    n = len(batch.files)
    outcome = Outcome(times={k: 0.0 for k in ("read", "extract", "spool", "check", "render", "write")})
    spool_dir = tempfile.mkdtemp(prefix="gkcheck-batch-")
    config = {"rules_dirs": tuple(batch.rules_dirs), "profile": list(batch.profile), "overrides": batch.overrides,
              "fmt": batch.fmt, "fmt_options": batch.fmt_options, "spool_dir": spool_dir, "policy": batch.policy,
              "limits": batch.limits}
    jobs = max(1, min(batch.jobs, n))
    pool = None
    try:
        if jobs == 1 and not batch.timeout:  # no time limit: one job can run in this process
            init_worker(config, ruleset, ignore_sigint=False)

            def imap(name, tasks, _lost):
                return map(PHASES[name], tasks)
        else:
            pool = Workers(jobs, config, PHASES, n, batch.timeout, ruleset)
            imap = pool.imap
        pieces = Spool(spool_dir, "pieces")  # the parent's reader of the pieces the workers spooled
        try:
            _run_phases(batch, sink, imap, outcome, progress, pieces)
        finally:
            pieces.close()
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        if pool is not None:  # every task has been consumed, or the rest is abandoned
            pool.close()
        else:
            close_worker()
        shutil.rmtree(spool_dir, ignore_errors=True)
    return outcome


PHASES = {"read": read_one, "audit": audit_one}


def _run_phases(batch: Batch, sink, imap, outcome: Outcome, progress, pieces: Spool) -> None:
    files, n, times = batch.files, len(batch.files), outcome.times
    keys: list = [None] * n
    names: list = [None] * n
    slots: list = [None] * n    # where the report is spooled (a JSON report: its sha256), or why it could not be read
    guessed: list = [None] * n  # (piece slot, summary, marks) of the report audited without a predecessor
    guessing = Guessing()
    done = 0
    try:
        tasks = _read_tasks(files, guessing)
        for i, key, name, slot, guess, t in imap("read", tasks, partial(_lost_read, batch)):
            keys[i], names[i], slots[i], guessed[i] = key, name, slot, guess
            guessing.add(key)
            _add_times(times, t)
            done += 1
            if progress:
                progress("read", done, n)
    except KeyboardInterrupt:
        # Nothing is audited yet: report the files already known to be unreadable.
        _report_errors(batch, sink, slots[:done], outcome)
        raise
    previous = pair(keys)
    outcome.pairs = [{"agency": names[i], "year": keys[i][1], "previous_year": keys[p][1],
                      "source": files[i], "previous_source": files[p]} for i, p in sorted(previous.items())]
    tasks = ((i, files[i], slots[i], slots[previous[i]] if i in previous else None,
              files[previous[i]] if i in previous else None)
             for i in range(n) if guessed[i] is None or i in previous)

    def emit(slot, digest: dict, marks) -> None:
        t0 = time.perf_counter()
        if isinstance(slot, tuple):
            sink.add(pieces.read(slot), digest, marks)
            pieces.release_older(slot)
        else:  # the parent rendered it: the report timed out or its worker died
            sink.add(slot, digest, marks)
        times["write"] += time.perf_counter() - t0
        outcome.done += 1
        if progress:
            progress("check", outcome.done, n)

    for i, slot, digest, marks, t in imap("audit", tasks, partial(_lost_audit, batch)):
        for j in range(outcome.done, i):  # the guesses before it, all taken
            emit(*guessed[j])
        if guessed[i] is not None:  # a guess checked again with its predecessor: only its files go
            pieces.release_older(guessed[i][0])
        emit(slot, digest, marks)
        _add_times(times, t)
    for j in range(outcome.done, n):
        emit(*guessed[j])


def _read_tasks(files: list[str], guessing: Guessing):
    """The tasks of phase 1, drawn as the workers need them (a chunk or two ahead of each): the
    kernel is asked to read each file ahead meanwhile, so a worker rarely waits for the disk."""
    from gkcheck.util.files import prefetch
    from gkcheck.util.limits import MB, limit

    most = limit("max_input_mb") * MB
    for i, path in enumerate(files):
        prefetch(path, most)
        yield i, path, guessing.on


class Guessing:
    """Whether phase 1 also audits a report as if it had no predecessor in the batch. On, unless
    the reports read so far show many agencies with consecutive years: each such guess is thrown
    away and the report checked again (a check costs about five times what the guess saves)."""

    def __init__(self):
        self.keys: set = set()
        self.paired = 0

    def add(self, key: tuple | None) -> None:
        if key is not None and key not in self.keys:
            name, year = key
            self.paired += ((name, year - 1) in self.keys) + ((name, year + 1) in self.keys)
            self.keys.add(key)

    @property
    def on(self) -> bool:
        return len(self.keys) < 32 or self.paired * 6 <= len(self.keys)


def _lost_why(batch: Batch, path: str, phase: str, why: str | None) -> str:
    if why is None:
        return (f"{path}: 超时：{phase}超过 {batch.timeout:g} 秒仍未完成，已跳过"
                f"（可用 --timeout 或配置项 timeout 调整）")
    return f"{path}: 工作进程在{phase}此文件时意外退出（{why}），可能是读取它的库崩溃或内存不足；已跳过"


def _lost_read(batch: Batch, task: tuple, why: str | None, checking: bool) -> tuple:
    index, path, _guess = task
    return index, None, None, _lost_why(batch, path, "检查" if checking else "读取", why), None, {}


def _lost_audit(batch: Batch, task: tuple, why: str | None, _checking: bool) -> tuple:
    index, path = task[0], task[1]
    piece, digest, marks = _error_piece(batch, index, path, _lost_why(batch, path, "检查", why))
    return index, piece, digest, marks, {}


def _error_piece(batch: Batch, index: int, path: str, error: str) -> tuple:
    """(piece, digest, marks) of an entry that could not be checked, rendered in the parent."""
    from gkcheck.api import file_digest, mark_digests
    from gkcheck.engine import error_entry
    from gkcheck.output.summary import digest

    entry = mark_digests(error_entry(path, error), file_digest(path))  # the bytes' sha256, as the workers' entries
    marks = batch.policy.apply(entry) if batch.policy is not None else None
    return format_module(batch.fmt).piece(entry, index=index, **batch.fmt_options), digest(entry, index), marks


def _report_errors(batch: Batch, sink, slots: list, outcome: Outcome) -> None:
    for i, error in enumerate(slots):
        if isinstance(error, str):
            sink.add(*_error_piece(batch, i, batch.files[i], error))
            outcome.done += 1


def _add_times(total: dict, part: dict) -> None:
    for k, v in part.items():
        total[k] += v


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1

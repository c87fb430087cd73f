"""Worker processes that one input cannot stall or take down with the batch.

Each worker is a process with its own pipe: the parent sends chunks of tasks, the worker sends
back a chunk's results when it has done the chunk (one message a chunk, as multiprocessing.Pool:
the parent's time is the scarce one). Which task a worker is on and since when it writes to a
small shared array before each task, so the parent knows without a message. A task that runs
past the time limit gets its worker killed; a worker that dies (a crash in a native library, an
OOM kill) costs the task it was on, and the tasks of its chunk whose results died with it are
done again. Either way the caller gets
a substitute result for that task (an error entry), a new worker takes the old one's place, and
the rest of its chunk goes to the new worker first. multiprocessing.Pool cannot do this: it
cannot kill one task, and a dead worker's task is never answered.

Results come back in input order, with at most `window` tasks handed out that the caller has not
taken (backpressure: a slow output holds the workers back, not the parent's memory). Every
worker takes its tasks in input order, which the spool of output pieces relies on (spool.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import time
from collections import deque
from multiprocessing.connection import wait

from gkcheck.errors import GkError

READY = "ready"
_STARTS_MAX = 3  # workers dying before they are ready, in a row: the batch cannot run


def _serve(conn, progress, config: dict, ruleset, functions: dict) -> None:
    """A worker process: set up once, then run the tasks it is sent until told to stop.
    progress = [seq of the task on hand, when it (or its check) started (time.monotonic), 0
    between tasks, 1 once the task has gone on to check a report (worker._checking)]."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from gkcheck.batch.worker import close_worker, init_worker

    init_worker(config, ruleset, progress=progress)
    conn.send(READY)
    try:
        while True:
            message = conn.recv()
            if message is None:
                break
            name, chunk = message
            run = functions[name]
            results = []
            for seq, task in chunk:
                progress[0], progress[1], progress[2] = seq, time.monotonic(), 0.0
                results.append((seq, run(task)))
                progress[1] = 0.0
            conn.send(results)
    except (EOFError, BrokenPipeError):  # the parent is gone
        pass
    finally:
        close_worker()


class _Worker:
    def __init__(self, context, config: dict, ruleset, functions: dict):
        self.conn, child = context.Pipe()
        self.progress = context.RawArray("d", 3)  # shared: the task on hand, since when, and whether checking
        self.proc = context.Process(target=_serve, args=(child, self.progress, config, ruleset, functions),
                                    daemon=True)
        # the parent's objects (the rule set, modules) go to the worker outside the collector's
        # generations: its collections never walk them or copy their pages (gc.freeze's purpose)
        gc.freeze()
        try:
            self.proc.start()
        finally:
            gc.unfreeze()
        child.close()
        self.queue: deque = deque()  # (seq, task) sent and not answered, in the order it runs them
        self.ready = False

    def on_hand(self) -> tuple[int, float, bool] | None:
        """(seq, started, checking) of the task the worker is running, None between tasks."""
        seq, started, checking = self.progress[0], self.progress[1], self.progress[2]
        return (int(seq), started, bool(checking)) if started else None

    def send(self, name: str, chunk: list) -> None:
        self.queue.extend(chunk)
        try:
            self.conn.send((name, chunk))
        except OSError:  # it died already: its sentinel says so, and the chunk goes to its successor
            pass

    def stop(self, grace: float = 0.0) -> None:
        """End the worker: asked to stop and given `grace` seconds to close its files, else killed."""
        if grace and self.proc.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.proc.join(grace)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def why_dead(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"被信号 {signal.Signals(-exitcode).name} 终止"
        except ValueError:
            return f"被信号 {-exitcode} 终止"
    return f"退出码 {exitcode}"


class Workers:
    """`jobs` worker processes; imap(name, tasks, lost) runs functions[name] on each task.

    lost(task, why, checking) makes the result of a task that timed out (why = None) or whose
    worker died (why = how it ended), in the parent; `checking`: it had gone on to check a report."""

    def __init__(self, jobs: int, config: dict, functions: dict, n: int, timeout: float | None, ruleset=None):
        methods = multiprocessing.get_all_start_methods()
        # fork: the workers inherit the rule set the parent compiled (no pickling, no reloading)
        self.context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.ruleset = ruleset if "fork" in methods else None
        self.config, self.functions, self.timeout = config, functions, timeout or None
        self.chunk = max(1, min(32, n // (jobs * 8)))
        self.window = max(64, 4 * jobs * self.chunk)
        self.failed_starts = 0
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        return _Worker(self.context, self.config, self.ruleset, self.functions)

    def imap(self, name: str, tasks, lost):
        source = enumerate(tasks)
        done: dict = {}   # seq → result, until it is its turn
        taken = given = 0  # tasks taken from `tasks`; results given to the caller
        exhausted = False
        while True:
            while given in done:
                yield done.pop(given)
                given += 1
            for w in self.workers:  # each worker holds up to two chunks: no gap between them
                while not exhausted and len(w.queue) < 2 * self.chunk and taken - given < self.window:
                    chunk = []
                    for seq, task in source:
                        chunk.append((seq, task))
                        if len(chunk) == self.chunk:
                            break
                    if len(chunk) < self.chunk:
                        exhausted = True
                    if chunk:
                        taken += len(chunk)
                        w.send(name, chunk)
            if exhausted and given == taken:
                return
            self._collect(name, done, lost)

    def _collect(self, name: str, done: dict, lost) -> None:
        """Wait for results (or the next deadline); deal with dead and overdue workers."""
        busy = [w for w in self.workers if w.queue]
        wait_for = None
        if self.timeout:  # the next deadline, and a look every second (a task may start meanwhile)
            starts = [hand[1] for w in busy if w.ready and (hand := w.on_hand())]
            wait_for = min([1.0] + [max(0.0, t + self.timeout - time.monotonic()) + 0.01 for t in starts])
        ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for)
        for i, w in enumerate(self.workers):
            if w.conn in ready or w.proc.sentinel in ready:
                self._read(w, done)  # of a dead worker too: what it sent before it died
                if w.proc.sentinel in ready and not w.proc.is_alive():
                    self.workers[i] = self._replace(w, name, done, lost, why_dead(w.proc.exitcode), w.on_hand())
        if self.timeout:
            for i, w in enumerate(self.workers):
                hand = w.on_hand() if w.queue and w.ready else None
                if hand and time.monotonic() - hand[1] > self.timeout:
                    self.workers[i] = self._replace(w, name, done, lost, None, hand)

    def _read(self, w: _Worker, done: dict) -> None:
        try:
            while w.conn.poll():
                message = w.conn.recv()
                if message == READY:
                    w.ready = True
                    self.failed_starts = 0
                    continue
                for seq, result in message:
                    w.queue.popleft()
                    done[seq] = result
        except (EOFError, OSError):  # died mid-message: those results are done again
            pass

    def _replace(self, w: _Worker, name: str, done: dict, lost, why: str | None, hand) -> _Worker:
        """A new worker for one that died or ran over time. The task it was on is lost; the rest
        of what it had (including tasks done whose results died with it) goes to the new worker.
        Dying before it was ready costs no task (and three such deaths in a row stop the batch)."""
        w.stop()
        left = list(w.queue)
        if w.ready and left:
            # the task on hand; a worker that died between tasks (sending its results) costs the
            # first it had, so that a batch always gets on
            culprit = next((i for i, (seq, _) in enumerate(left) if hand and seq == hand[0]), 0)
            seq, task = left.pop(culprit)
            done[seq] = lost(task, why, bool(hand and hand[0] == seq and hand[2]))
        elif not w.ready:
            self.failed_starts += 1
            if self.failed_starts >= _STARTS_MAX:
                raise GkError(f"工作进程无法启动（{why_dead(w.proc.exitcode)}）")
        new = self._start()
        if left:
            new.send(name, left)
        return new

    def close(self) -> None:
        """Stop the workers: idle ones end on their own (closing their spool files), one still on a
        task (an interrupted batch) is killed after a second."""
        for w in self.workers:
            w.stop(grace=1.0)

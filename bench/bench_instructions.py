"""Instructions per report of a batch worker, counted by valgrind (callgrind): a figure that does
not drift with the machine.

    python bench/bench_instructions.py                     # this checkout: seed and 2021-format copies
    python bench/bench_instructions.py --base /tmp/old     # and another checkout of gkcheck, side by side

Not a test. The wall-clock figures of bench_batch.py move by 20% and more within an hour on a
shared 2-core VM, so a change of a few percent cannot be seen in them; callgrind counts the
instructions the worker executes, the same from run to run (with PYTHONHASHSEED fixed). What it
counts is what phase 1 of `gkcheck audit` does per report (read, validate, audit as a guess,
render and spool the piece: gkcheck.batch.worker.read_one), after 20 reports of warm-up; the
start of the process is taken out by counting a run of 0 reports too. Instructions are not time
(a cache miss costs more than an add), so a claim of speed still needs bench_batch.py; this says
whether a change does less work. Needs valgrind (Debian: apt-get install valgrind).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
WARM_UP = 20


def child(tree: str, directory: str, n: int) -> None:
    """The worker loop over n reports of `directory` after the warm-up (run under callgrind)."""
    sys.path.insert(0, tree)
    from gkcheck.batch.worker import close_worker, init_worker, read_one
    from gkcheck.ruleset import load_ruleset

    files = sorted(os.path.join(directory, f) for f in os.listdir(directory))
    spool = tempfile.mkdtemp(prefix="gkcheck-instr-")
    config = {"rules_dirs": (), "profile": [], "overrides": {}, "fmt": "json", "fmt_options": {},
              "spool_dir": spool, "policy": None, "limits": None}
    init_worker(config, load_ruleset(), ignore_sigint=False)
    try:
        for i, path in enumerate(files[:WARM_UP + n]):
            read_one((i, path, True))
    finally:
        close_worker()
        shutil.rmtree(spool, ignore_errors=True)


def counted(tree: str, directory: Path, n: int) -> int:
    """Instructions of a process that runs the warm-up and n reports."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
           "--child", tree, str(directory), str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or not found:
        raise SystemExit(f"callgrind failed ({tree}):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def per_report(tree: str, directory: Path, n: int) -> float:
    counted(tree, directory, 1)  # fills the rule and regex caches of this tree: not counted
    return (counted(tree, directory, n) - counted(tree, directory, 0)) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=3, metavar=("TREE", "DIR", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=100, help="reports counted per case (after the warm-up)")
    ap.add_argument("--base", help="another checkout of gkcheck to count beside this one")
    ap.add_argument("--dir", default="/tmp/gkcheck-bench", help="where bench_batch.py keeps its reports")
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found (Debian: apt-get install valgrind)")
    from bench_batch import dataset

    trees = [("this checkout", str(ROOT))] + ([("base", str(Path(args.base).resolve()))] if args.base else [])
    print(f"{'case':<16}" + "".join(f"{name:>18}" for name, _ in trees) + ("      change" if args.base else ""))
    for form in ("seed", "t2021"):
        directory = dataset(Path(args.dir), form, WARM_UP + args.n)
        figures = [per_report(tree, directory, args.n) for _, tree in trees]
        line = f"{form:<16}" + "".join(f"{f / 1e6:>16.2f} M" for f in figures)
        if args.base:
            line += f"{figures[0] / figures[1] - 1:>+11.1%}"
        print(line, flush=True)
    print("(instructions per report, millions: read, validate, audit, render and spool, as phase 1 of a batch)")


if __name__ == "__main__":
    main()

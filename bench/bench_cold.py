"""Cold start: each command in a fresh process, next to the floor `python -c "import click, yaml"`.

    python bench/bench_cold.py [--runs 21]

The commands take turns (interleaved), so that a busy machine slows all of them alike, and the
ratio to the floor is taken from the best run of each (the run least disturbed by the rest of the
machine); the median is printed beside it. Not a test: it prints the table for
docs/performance.md. Target: one text check ≤ 1.5 × floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "reports" / "000_e4dc1900c1ebf750.txt"
TARGET = 1.5


def env() -> dict:
    e = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    e.pop("GKCHECK_NO_CACHE", None)  # users get the rule validation cache
    e.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has .pyc files; compiling each run is not "cold"
    return e


def round_robin(cmds: list[list[str]], runs: int) -> list[list[float]]:
    """Wall times in ms per command. Commands take turns, so that a busy machine slows all
    of them alike; one warm-up round first (OS file cache, .pyc files, rule validation cache)."""
    times: list[list[float]] = [[] for _ in cmds]
    for round_no in range(runs + 1):
        for i, cmd in enumerate(cmds):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env())
            if round_no:
                times[i].append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    runs = max(args.runs, 7)
    py = [sys.executable]
    gk = py + ["-m", "gkcheck"]
    with tempfile.TemporaryDirectory() as tmp:
        yaml_report = Path(tmp) / "report.yaml"
        subprocess.run(gk + ["extract", str(SEED), "-o", str(yaml_report)], env=env(), check=True, cwd=tmp)
        rows = [
            ("floor: python -c 'import click, yaml'", py + ["-c", "import click, yaml"]),
            ("gkcheck --version", gk + ["--version"]),
            ("gkcheck check (text report)", gk + ["check", str(SEED)]),
            ("gkcheck check (structured YAML report)", gk + ["check", str(yaml_report)]),
        ]
        times = round_robin([cmd for _, cmd in rows], runs)
    best = [min(t) for t in times]
    median = [statistics.median(t) for t in times]
    print(f"cold start, {runs} interleaved runs, Python {sys.version.split()[0]}")
    print(f"{'command':<42}{'best ms':>9}{'× floor':>9}{'median ms':>11}{'× floor':>9}")
    for (name, _), b, m in zip(rows, best, median):
        print(f"{name:<42}{b:>9.1f}{b / best[0]:>9.2f}{m:>11.1f}{m / median[0]:>9.2f}")
    ratio = best[2] / best[0]
    print(f"target: text check ≤ {TARGET} × floor (best of {runs}) — {'met' if ratio <= TARGET else 'NOT met'} ({ratio:.2f})")


if __name__ == "__main__":
    main()

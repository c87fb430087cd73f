"""Cold start: each command in a fresh process, median of N runs, next to the floor
`python -c "import click, yaml"`. Uses hyperfine when installed, else subprocess timing.

    python bench/bench_cold.py [--runs 21]

Not a test: it prints the table for docs/performance.md. Target: one text check ≤ 1.5 × floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
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


def hyperfine(cmd: list[str], runs: int) -> float:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["hyperfine", "--warmup", "1", "--runs", str(runs), "-N", "--ignore-failure",
                        "--export-json", out.name, shlex.join(cmd)], capture_output=True, env=env(), check=True)
        return statistics.median(json.load(open(out.name))["results"][0]["times"]) * 1000


def round_robin(cmds: list[list[str]], runs: int) -> list[float]:
    """Median wall time in ms per command. Commands take turns, so that a busy machine slows all
    of them alike; one warm-up round first (OS file cache, .pyc files, rule validation cache)."""
    times: list[list[float]] = [[] for _ in cmds]
    for round_no in range(runs + 1):
        for i, cmd in enumerate(cmds):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env())
            if round_no:
                times[i].append(time.perf_counter() - t)
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    runs = max(args.runs, 15)
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
        cmds = [cmd for _, cmd in rows]
        ms = [hyperfine(c, runs) for c in cmds] if shutil.which("hyperfine") else round_robin(cmds, runs)
        figures = list(zip([name for name, _ in rows], ms))
    floor = figures[0][1]
    tool = "hyperfine" if shutil.which("hyperfine") else "subprocess"
    print(f"cold start, median of {runs} runs ({tool}), Python {sys.version.split()[0]}")
    print(f"{'command':<42}{'median ms':>10}{'× floor':>9}")
    for name, ms in figures:
        print(f"{name:<42}{ms:>10.1f}{ms / floor:>9.2f}")
    ratio = figures[2][1] / floor
    print(f"target: text check ≤ {TARGET} × floor — {'met' if ratio <= TARGET else 'NOT met'} ({ratio:.2f})")


if __name__ == "__main__":
    main()

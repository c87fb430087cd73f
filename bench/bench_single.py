"""Single-report timing: the seed audited in-process (extraction and checks apart), and cold.

    python bench/bench_single.py [--runs 20]

Not a test: it prints figures for the closing note and docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "reports" / "000_e4dc1900c1ebf750.txt"


def per_call(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def cold(cmd: list[str], runs: int) -> float:
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run(cmd, capture_output=True, env=env)  # warm the OS file cache and the rule cache
    return per_call(lambda: subprocess.run(cmd, capture_output=True, env=env), runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from gkcheck.engine import audit
    from gkcheck.extract import read_report
    from gkcheck.report.model import Report
    from gkcheck.ruleset import load_ruleset

    data = SEED.read_bytes()
    t_rules = per_call(lambda: load_ruleset(), 5)
    ruleset = load_ruleset()
    t_extract = per_call(lambda: read_report(str(SEED), data), args.runs * 5)
    report_data = read_report(str(SEED), data)
    t_check = per_call(lambda: audit(Report(report_data, str(SEED)), ruleset), args.runs * 5)

    py = sys.executable
    floor = cold([py, "-c", "import click, yaml"], args.runs)
    check = cold([py, "-m", "gkcheck", "check", str(SEED)], args.runs)
    print(f"{'measure':<40}{'median ms':>10}")
    for name, value in [("load + compile all rule packs", t_rules), ("extract seed (text → report)", t_extract),
                        ("check seed (all applicable rules)", t_check), ("floor: python -c 'import click, yaml'", floor),
                        ("cold: gkcheck check seed.txt", check)]:
        print(f"{name:<40}{value:>10.2f}")
    print(f"cold check / floor = {check / floor:.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()

"""Single-report timing in one process: rule loading, extraction and checks of the seed, apart.

    python bench/bench_single.py [--runs 20]

The cold command-line figures are bench/bench_cold.py's. Not a test: it prints figures for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
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

    print(f"{'measure':<40}{'median ms':>10}")
    for name, value in [("load + compile all rule packs", t_rules), ("extract seed (text → report)", t_extract),
                        ("check seed (all applicable rules)", t_check)]:
        print(f"{name:<40}{value:>10.2f}")


if __name__ == "__main__":
    main()

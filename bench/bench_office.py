"""The office's outputs for a large batch: the Excel workbook and the draft 通报.

    python bench/bench_office.py                      # 5,000 JSON reports: json, xlsx, docx; --jobs 2
    python bench/bench_office.py --n 5000 --extra 40  # also with 40 more failing rules a report

Not a test. Each run is a fresh process doing what `gkcheck audit DIR --format F -o FILE --jobs J`
does, and reports its wall time, what the parent spent writing (the pieces as they come, and the
closing: ranked sheets, zip / document), the workers' rendering time, the number of findings,
the output size and the peak RSS of the parent. With --extra K, a rule pack of K rules that fail
on every report multiplies the findings: the parent's memory must not follow them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def extra_pack(base: Path, k: int) -> Path:
    d = base / f"extra-{k}"
    d.mkdir(parents=True, exist_ok=True)
    rules = "".join(f"""
  - id: bench.fail{i}
    title: 总是不通过的测量规则 {i}
    severity: {("error", "warning", "info")[i % 3]}
    basis: {{instrument: 测量用, confirmed: false}}
    check: {{kind: expression, expr: "year < 0"}}
    message: {{zh: "测量用的第 {i} 条问题：年度 {{year}} 不小于 0"}}
""" for i in range(k)).replace("severity: error", "severity: warning")
    (d / "bench.yaml").write_text(f"pack: {{id: bench-extra, title: 测量用}}\nrules:{rules}", "utf-8")
    return d


def child(directory: str, fmt: str, jobs: int, out: str, rules: str) -> None:
    t0 = time.perf_counter()
    from importlib import import_module

    from gkcheck.batch import STREAMING, Batch, Sink, discover, run
    from gkcheck.cli.options import resolve_settings, start_run
    from gkcheck.output.summary import Tally

    kw = {"rules_dirs": (rules,) if rules else (), "profile": ()}
    cfg = resolve_settings(kw)
    settings = start_run(cfg, command="audit")
    files, _ = discover([directory])
    categories = [(cid, name) for cid, name, _p in settings.policy.scorecard.categories]
    options = {"findings": False, "details": False, "color": False, "anonymise": False, "categories": categories}
    tally = Tally(keep_reports=fmt == "html")
    findings = [0]

    class Counting(Sink):
        def add(self, piece, digest, marks=None):
            findings[0] += len(digest["failed"])
            super().add(piece, digest, marks)

    with open(out, "wb") as fh:
        writer = import_module(STREAMING[fmt]).Writer(fh, **options)
        writer.begin()
        outcome = run(Batch(files, jobs=jobs, fmt=fmt, fmt_options=options, rules_dirs=tuple(cfg["rules_dirs"]),
                            policy=settings.policy), Counting(writer, tally), ruleset=settings.ruleset)
        t = time.perf_counter()
        writer.end(tally, outcome.pairs, outcome.interrupted, settings.policy.extras([]))
        closing = time.perf_counter() - t
    print(json.dumps({"fmt": fmt, "n": len(files), "findings": findings[0], "wall": time.perf_counter() - t0,
                      "write": outcome.times["write"], "closing": closing, "render": outcome.times["render"],
                      "size_mb": os.path.getsize(out) / 2**20,
                      "rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--extra", type=int, default=0, help="also run with K more rules failing on every report")
    ap.add_argument("--dir", default="/tmp/gkcheck-bench")
    ap.add_argument("--formats", default="json,xlsx,docx")
    ap.add_argument("--child", nargs=5)
    a = ap.parse_args()
    if a.child:
        directory, fmt, jobs, out, rules = a.child
        child(directory, fmt, int(jobs), out, rules)
        return
    from bench_batch import dataset

    base = Path(a.dir)
    data = dataset(base, "json", a.n)
    print(f"{a.n} structured JSON reports, --jobs {a.jobs}")
    print(f"{'format':<6} {'rules':>6} {'findings':>9} {'wall s':>7} {'parent writes s':>16} {'closing s':>10} "
          f"{'workers render s':>17} {'size MB':>8} {'parent RSS MB':>14}")
    for extra in sorted({0, a.extra}):
        rules = str(extra_pack(base, extra)) if extra else ""
        for fmt in a.formats.split(","):
            out = base / f"out-{extra}.{fmt}"
            proc = subprocess.run([sys.executable, __file__, "--child", str(data), fmt, str(a.jobs), str(out), rules],
                                  capture_output=True, text=True)
            if proc.returncode:
                raise SystemExit(proc.stderr)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{fmt:<6} {'+' + str(extra) if extra else 'built-in':>6} {r['findings']:>9,} {r['wall']:>7.1f} "
                  f"{r['write']:>16.2f} {r['closing']:>10.2f} {r['render']:>17.2f} {r['size_mb']:>8.1f} "
                  f"{r['rss_parent_mb']:>14.0f}")


if __name__ == "__main__":
    main()

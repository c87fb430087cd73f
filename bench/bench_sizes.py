"""Size sweep: reading and checking one report as it grows, to show the cost is linear.

    python bench/bench_sizes.py                  # text 10 KB → 10 MB, PDF 1 → 300 pages
    python bench/bench_sizes.py --text 0         # PDF only
    python bench/bench_sizes.py --before DIR     # the same figures for another checkout (e.g. main), side by side

Not a test (tests/test_linear_cost.py is). A text of a given size repeats a real report
(fixtures/reports/pingtan-2019.txt); a PDF of N pages repeats the pages of a real one
(fixtures/reports/huaian-city-gov-2024.pdf, 6 pages) through PDFium. Each figure is the CPU time
of the fastest of --repeat runs in a fresh process: read_report (extraction) and the audit
with the built-in rules.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_SIZES = (10_000, 100_000, 1_000_000, 4_000_000, 10_000_000)
PAGES = (1, 10, 30, 100, 300)


def make_text(path: Path, size: int) -> None:
    src = (ROOT / "fixtures" / "reports" / "pingtan-2019.txt").read_bytes()
    path.write_bytes((src * (size // len(src) + 1))[:size].rsplit(b"\n", 1)[0] + b"\n")


def make_pdf(path: Path, pages: int) -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(ROOT / "fixtures" / "reports" / "huaian-city-gov-2024.pdf"))
    doc = pdfium.PdfDocument.new()
    while len(doc) < pages:
        take = min(len(src), pages - len(doc))
        doc.import_pages(src, list(range(take)))
    doc.save(str(path))


def child(root: str, path: str) -> None:
    """Read and check one file in this process; print its CPU times as JSON."""
    sys.path.insert(0, root)
    from gkcheck.engine import audit
    from gkcheck.extract import read_report
    from gkcheck.report.model import Report
    from gkcheck.ruleset import load_ruleset

    try:
        from gkcheck.util import limits
    except ImportError:  # a checkout from before the limits
        pass
    else:
        limits.configure({"max_input_mb": 100, "max_pdf_pages": 1000})
    ruleset = load_ruleset()
    t0 = time.process_time()
    data = read_report(path)
    t1 = time.process_time()
    data["year"] = data.get("year") or 2019
    audit(Report(data, source=path), ruleset)
    t2 = time.process_time()
    print(json.dumps({"read": t1 - t0, "check": t2 - t1}))


def measure(root: Path, path: Path, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, __file__, "--child", str(root), str(path)], capture_output=True,
                              text=True, timeout=3600)
        if proc.returncode:
            raise SystemExit(proc.stderr[-2000:])
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        best = r if best is None or r["read"] + r["check"] < best["read"] + best["check"] else best
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--text", type=int, default=1, help="0: no text sweep")
    ap.add_argument("--pdf", type=int, default=1, help="0: no PDF sweep")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--before", help="another checkout to measure with the same inputs")
    ap.add_argument("--dir", default="/tmp/gkcheck-bench-sizes")
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    roots = [("", ROOT)] + ([("before ", Path(args.before).resolve())] if args.before else [])
    inputs = []
    if args.text:
        for size in TEXT_SIZES:
            path = base / f"text-{size}.txt"
            if not path.exists():
                make_text(path, size)
            inputs.append((f"text {size / 1e6:g} MB", path, size / 1e6, "MB"))
    if args.pdf:
        for pages in PAGES:
            path = base / f"pdf-{pages}.pdf"
            if not path.exists():
                make_pdf(path, pages)
            inputs.append((f"PDF {pages} pages", path, pages, "page"))
    print(f"{'input':<22}{'file MB':>9}" + "".join(f"{label + 'read s':>14}{label + 'check s':>15}{'ms/unit':>9}"
                                                    for label, _ in roots))
    for name, path, units, unit in inputs:
        row = f"{name:<22}{path.stat().st_size / 1e6:>9.2f}"
        for _, root in roots:
            r = measure(root, path, args.repeat)
            row += f"{r['read']:>14.2f}{r['check']:>15.2f}{(r['read'] + r['check']) / units * 1000:>9.1f}"
        print(row, flush=True)
    print("(CPU seconds, the fastest of --repeat runs; ms/unit: read + check per MB of text or per PDF page)")


if __name__ == "__main__":
    main()

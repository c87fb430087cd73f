"""Extraction timing on the real reports of fixtures/reports/: per report (text, HTML, Word)
and per page (PDF), read + extract alone and end to end (read, extract, audit).

    python bench/bench_extract.py [--runs 10]

Targets: HTML ≤ 20 ms per report, PDF ≤ 30 ms per page, end to end in a warm process
(the first PDF of a process also pays for loading PDFium: reported apart). The label and
cell caches of gkcheck.tables are emptied before every run ("cold caches"), so a report
is never helped by its own earlier run; in a batch, reports share most labels. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "fixtures" / "reports"
TARGETS = {"html": 20.0, "pdf": 30.0}  # ms per report / per page


def median_ms(fn, runs: int) -> float:
    """Median of `runs` calls; on a shared machine the minimum is printed as well."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    MINIMA.append(min(times) * 1000)
    return statistics.median(times) * 1000


MINIMA: list[float] = []


def pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from gkcheck.engine import audit
    from gkcheck.extract import detect_form, read_report
    from gkcheck.report.model import Report
    from gkcheck.ruleset import load_ruleset

    ruleset = load_ruleset()
    files = sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".html", ".pdf", ".docx"))
    first_pdf = next(p for p in files if p.suffix == ".pdf")
    t = time.perf_counter()
    read_report(str(first_pdf), first_pdf.read_bytes())
    first = (time.perf_counter() - t) * 1000

    def clear() -> None:
        from gkcheck.tables import cells, labels

        for fn in (labels.fold, labels.clean_text, labels._match, cells.parse_cell):
            fn.cache_clear()

    def extract(path: Path, data: bytes) -> None:
        clear()
        read_report(str(path), data)

    def end_to_end(path: Path, data: bytes) -> None:
        clear()
        audit_only(path, data)

    def audit_only(path: Path, data: bytes) -> None:
        report = read_report(str(path), data)
        if report.get("year"):
            audit(Report(report, str(path)), ruleset)

    print(f"{'report':36}{'form':>6}{'pages':>6}{'extract ms':>12}{'e2e ms':>9}{'e2e per unit':>14}"
          f"{'(min)':>8}{'warm':>8}{'target':>8}")
    for path in files:
        data = path.read_bytes()
        form = detect_form(data, str(path))
        n = pages(path) if form == "pdf" else 1
        t_extract = median_ms(lambda p=path, d=data: extract(p, d), args.runs)
        t_e2e = median_ms(lambda p=path, d=data: end_to_end(p, d), args.runs)
        unit, low = t_e2e / n, MINIMA[-1] / n
        warm = median_ms(lambda p=path, d=data: audit_only(p, d), args.runs) / n  # caches kept
        target = TARGETS.get(form)
        verdict = "" if target is None else ("ok" if unit <= target else "OVER")
        print(f"{path.stem[:35]:36}{form:>6}{n:>6}{t_extract:>12.1f}{t_e2e:>9.1f}{unit:>14.1f}"
              f"{low:>8.1f}{warm:>8.1f}{verdict:>8}")
    print(f"first PDF of the process (PDFium load included): {first:.0f} ms")


if __name__ == "__main__":
    main()

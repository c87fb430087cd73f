"""Extraction accuracy against hand-written expectations (fixtures/expected/).

Two corpora, both read by hand, not by running the extractor:

1. The real reports of fixtures/reports/: each has a <name>.meta.yaml (agency, year, published,
   signed, period) and a <name>.tables.yaml (every T1/T2/T3 cell as printed, or {} for a report
   without standard tables).

2. The forms corpus: test inputs of our own writing under fixtures/forms/<topic>/, one per form of
   ../shared/domain/real-forms.md, with the expectations in fixtures/expected/forms/<topic>.yaml, a
   list of cases:

       - file: openings/county-title.txt      # relative to fixtures/forms/
         agency: X县人民政府                   # expected name, or null for unknown
         kind: government                     # government | department | other | null
         level: county                        # national | provincial | municipal | county | township | null
         province: null                       # a province, or null
         year: 2022                           # or null
         published: "2023-01-20"              # or null
         signed: "2023-01-18"                 # or null
         title: …                             # the title as read
         period: {start: "2022-01-01", end: "2022-12-31"}   # start may be null (a cut-off date alone);
                                              # or "absent" (none stated) or "invalid" (printed but its
                                              # dates blank, partial or garbled)
         rules: {period.2019.covers_year: fail}   # rule id → pass | fail | not_applicable, run through the
                                              # engine with the built-in rules (a rule whose pack does not
                                              # apply counts as not_applicable)
         options: {year: 2022}                # command-line facts for the rule run only (--year,
                                              # --published, --agency-kind, --agency-level); not measured
         misses: {period: "why it is read wrongly"}   # known misses (a field or a rule id), counted
                                              # as misses and not asserted; a listed miss that is read
                                              # right fails, so that the list stays true
         note: why this case exists / which real form it mirrors

   Fields a case omits are not measured. Every case is one pytest test.

`python tests/test_accuracy.py` prints the figures per report, and per field and topic for the forms.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
REPORTS = ROOT / "fixtures/reports"
EXPECTED = ROOT / "fixtures/expected"
NAMES = sorted(p.name.split(".")[0] for p in EXPECTED.glob("*.meta.yaml"))
META_FIELDS = ("agency", "year", "published", "signed", "period")
# Metadata the extractor is known to miss, with the reason; counted, not asserted.
KNOWN_META_GAPS: dict = {}


def report_file(name: str) -> Path:
    return next(p for p in REPORTS.iterdir() if p.name.split(".")[0] == name and p.suffix != ".yaml")


_CACHE: dict = {}


def extract(name: str) -> dict:
    if name not in _CACHE:
        from gkcheck.extract import read_report

        _CACHE[name] = read_report(str(report_file(name)))
    return _CACHE[name]


# ----------------------------------------------------------------------------- expectations


def expected_cells(spec: dict) -> dict:
    """{(tid, row, col): ("number"|"blank"|"text"|"ambiguous", value, printed, inferred)}."""
    from gkcheck.tables import parse_cell

    def one(printed, inferred=False):
        if isinstance(printed, (int, float)) and not isinstance(printed, bool):
            return ("number", printed, str(printed), inferred)
        cell = parse_cell(printed)
        return (cell.kind, cell.value, printed, inferred)

    out = {}
    for tid, table in (spec or {}).items():
        if "rows" in table and "cells" not in table and tid == "T1":  # shanghai layout
            for row, r in table["rows"].items():
                for col, c in r["cells"].items():
                    out[tid, row, col] = ("number" if c["printed"] else "blank", c["value"], c["printed"], False)
        elif tid == "T1":
            for row, cells in table["cells"].items():
                if "ambiguous" in cells:
                    for col in cells["columns"]:
                        out[tid, row, col] = ("ambiguous", None, cells["ambiguous"], False)
                    continue
                inferred = bool(cells.get("inferred"))
                for col, v in cells.items():
                    if col != "inferred":
                        out[tid, row, col] = one(v, inferred)
        elif tid == "T3" and "cells" in table:  # shanghai layout
            for row, r in table["cells"].items():
                for col, printed, value in zip(table["columns"], r["printed"], r["value"], strict=True):
                    out[tid, row, col] = ("number" if printed else "blank", value, printed, False)
        else:
            for row, r in table["rows"].items():
                if isinstance(r, dict) and "ambiguous" in r:
                    for col in table["columns"]:
                        out[tid, row, col] = ("ambiguous", None, r["ambiguous"], False)
                elif isinstance(r, dict) and "inferred" in r:
                    for col, v in zip(table["columns"], r["inferred"], strict=True):
                        out[tid, row, col] = one(v, True)
                elif isinstance(r, dict):  # shanghai layout
                    for col, printed, value in zip(table["columns"], r["printed"], r["value"], strict=True):
                        out[tid, row, col] = ("number" if printed else "blank", value, printed, False)
                else:
                    for col, v in zip(table["columns"], r, strict=True):
                        out[tid, row, col] = one(v)
    return out


def got_cells(report: dict) -> dict:
    out = {}
    for tid, table in (report.get("tables") or {}).items():
        for c in table["cells"]:
            inferred = bool((c.get("location") or {}).get("inferred"))
            out[tid, c["row"], c["col"]] = (c["kind"], c["value"], c["printed"], inferred)
    return out


def cell_score(name: str) -> tuple[int, int, list]:
    """(correct, total, mismatches): total counts every expected or extracted cell."""
    spec = yaml.safe_load((EXPECTED / f"{name}.tables.yaml").read_text("utf-8"))
    want, got = expected_cells(spec), got_cells(extract(name))
    keys = sorted(set(want) | set(got))
    bad = [(k, want.get(k), got.get(k)) for k in keys if want.get(k) != got.get(k)]
    return len(keys) - len(bad), len(keys), bad


def meta_of(report: dict) -> dict:
    agency = (report.get("agency") or {}).get("name")
    period = report.get("period")
    return {
        "agency": None if agency in (None, "（未知机关）") else agency,
        "year": report.get("year"),
        "published": report.get("published"),
        "signed": report.get("signed"),
        "period": {"start": period["start"], "end": period["end"]} if period else None,
    }


def meta_score(name: str) -> tuple[int, int, list]:
    want = yaml.safe_load((EXPECTED / f"{name}.meta.yaml").read_text("utf-8"))
    want = {k: (str(v) if k in ("published", "signed") and v else v) for k, v in want.items()}
    if want.get("period"):
        want["period"] = {k: str(v) for k, v in want["period"].items()}
    got = meta_of(extract(name))
    bad = [(f, want.get(f), got.get(f)) for f in META_FIELDS if want.get(f) != got.get(f)]
    return len(META_FIELDS) - len(bad), len(META_FIELDS), bad


# ----------------------------------------------------------------------------- forms corpus

FORMS = ROOT / "fixtures/forms"
FORMS_EXPECTED = EXPECTED / "forms"
FORM_FIELDS = ("agency", "kind", "level", "province", "year", "published", "signed", "title", "period")
_FORM_CACHE: dict = {}
_RULESET: list = []


def form_cases() -> list[tuple[str, dict]]:
    """(topic, case) for every case of fixtures/expected/forms/*.yaml, in file order."""
    out = []
    for path in sorted(FORMS_EXPECTED.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")) or []:
            out.append((path.stem, case))
    return out


def _iso(value):
    return None if value is None else str(value)


def _folded(value):
    """Names and titles compare as read: full-width （） and ASCII () are the same text."""
    from gkcheck.chinese.normalize import fold_width

    return fold_width(value) if isinstance(value, str) else value


def want_of(case: dict) -> dict:
    """The measured fields of a case, dates as ISO strings."""
    want = {f: case[f] for f in FORM_FIELDS if f in case}
    for f in ("agency", "title"):
        if f in want:
            want[f] = _folded(want[f])
    for f in ("published", "signed"):
        if f in want:
            want[f] = _iso(want[f])
    if isinstance(want.get("period"), dict):
        want["period"] = {k: _iso(want["period"].get(k)) for k in ("start", "end")}
    return want


def got_of(report: dict) -> dict:
    agency = report.get("agency") or {}
    period = report.get("period")
    if not period:
        shown = "absent"
    elif period.get("defect"):
        shown = "invalid"
    else:
        shown = {"start": period.get("start"), "end": period.get("end")}
    name = agency.get("name")
    return {
        "agency": None if name in (None, "（未知机关）") else _folded(name),
        "kind": agency.get("kind"), "level": agency.get("level"), "province": agency.get("province"),
        "year": report.get("year"), "published": report.get("published"), "signed": report.get("signed"),
        "title": _folded(report.get("title")), "period": shown,
    }


def form_report(file: str) -> dict:
    if file not in _FORM_CACHE:
        from gkcheck.extract import read_report

        _FORM_CACHE[file] = read_report(str(FORMS / file))
    return _FORM_CACHE[file]


def rule_statuses(case: dict, report: dict) -> dict:
    """rule id → status for the rules a case names; "no year" when the year is unknown."""
    import copy

    from gkcheck.api import apply_overrides
    from gkcheck.engine import audit
    from gkcheck.report.model import Report
    from gkcheck.ruleset import load_ruleset

    if not _RULESET:
        _RULESET.append(load_ruleset())
    data = apply_overrides(copy.deepcopy(report), case.get("options"))
    if not data.get("year"):
        return {rule: "no year" for rule in case["rules"]}
    results = {r["rule"]: r["status"] for r in audit(Report(data, source=case["file"]), _RULESET[0])["results"]}
    return {rule: results.get(rule, "not_applicable") for rule in case["rules"]}


def form_score(case: dict) -> list[tuple[str, object, object]]:
    """(field or rule id, expected, got) for everything the case measures."""
    report = form_report(case["file"])
    want, got = want_of(case), got_of(report)
    out = [(f, want[f], got[f]) for f in FORM_FIELDS if f in want]
    if case.get("rules"):
        statuses = rule_statuses(case, report)
        out += [(rule, expected, statuses[rule]) for rule, expected in case["rules"].items()]
    return out


def forms_summary() -> list[str]:
    by_field: dict = {}
    by_topic: dict = {}
    missed = []
    for topic, case in form_cases():
        for field, want, got in form_score(case):
            key = "rules" if field not in FORM_FIELDS else field
            ok = want == got
            for table, k in ((by_field, key), (by_topic, topic)):
                c, t = table.get(k, (0, 0))
                table[k] = (c + ok, t + 1)
            if not ok:
                missed.append(f"  {case['file']}: {field} expected {want!r}, read {got!r}"
                              + (f" — {(case.get('misses') or {})[field]}" if field in (case.get("misses") or {}) else ""))
    counts = {}
    for topic, _ in form_cases():
        counts[topic] = counts.get(topic, 0) + 1
    lines = [f"forms corpus: {sum(counts.values())} cases ({', '.join(f'{t} {n}' for t, n in counts.items())})",
             f"{'field':12} {'read right':>14}"]
    for field in (*FORM_FIELDS, "rules"):
        if field in by_field:
            c, t = by_field[field]
            lines.append(f"{field:12} {c:>6}/{t:<4} {100 * c / t:5.1f}%")
    c, t = (sum(v[0] for v in by_field.values()), sum(v[1] for v in by_field.values()))
    lines.append(f"{'total':12} {c:>6}/{t:<4} {100 * c / max(t, 1):5.1f}%")
    lines.append("per topic: " + ", ".join(f"{k} {c}/{t}" for k, (c, t) in by_topic.items()))
    if missed:
        lines.append("misses:")
        lines += missed
    return lines


# ----------------------------------------------------------------------------- tests


def test_every_report_has_expectations_and_a_byte_identical_copy():
    assert len(NAMES) == 11
    shared = ROOT.parent / "shared/reports"  # beside the clone, read-only
    for name in NAMES:
        assert (EXPECTED / f"{name}.tables.yaml").exists(), name
        copy = report_file(name)
        original = shared / copy.name
        if original.exists():
            assert copy.read_bytes() == original.read_bytes(), name


@pytest.mark.parametrize("name", NAMES)
def test_cells_as_printed(name):
    correct, total, bad = cell_score(name)
    assert not bad, f"{name}: {correct}/{total} cells; first mismatches {bad[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name):
    _, _, bad = meta_score(name)
    bad = [b for b in bad if (name, b[0]) not in KNOWN_META_GAPS]
    assert not bad, f"{name}: {bad}"


_CASES = form_cases()


@pytest.mark.parametrize("topic,case", _CASES, ids=[f"{t}:{c['file']}" for t, c in _CASES])
def test_form(topic, case):
    assert (FORMS / case["file"]).exists(), case["file"]
    misses = case.get("misses") or {}
    wrong = [(f, w, g) for f, w, g in form_score(case) if w != g]
    unexpected = [m for m in wrong if m[0] not in misses]
    assert not unexpected, f"{case['file']}: (field, expected, read) {unexpected}"
    stale = set(misses) - {m[0] for m in wrong}
    assert not stale, f"{case['file']}: listed as misses but read right now: {sorted(stale)}"


def test_forms_corpus_covers_the_topics():
    topics = {t for t, _ in _CASES}
    assert {"titles", "preambles", "kinds", "portal", "signatures", "years", "periods", "script"} <= topics
    files = {c["file"] for _, c in _CASES}
    on_disk = {str(p.relative_to(FORMS)) for p in FORMS.rglob("*") if p.is_file()}
    assert not on_disk - files, f"inputs without expectations: {sorted(on_disk - files)}"


def test_accuracy_figures(capsys):
    lines, cells, meta = summary()
    with capsys.disabled():
        print("\n" + "\n".join(lines + forms_summary()))
    assert cells[0] == cells[1]
    assert meta[0] >= meta[1] - len(KNOWN_META_GAPS)


def summary() -> tuple[list[str], tuple[int, int], tuple[int, int]]:
    lines = [f"{'report':34} {'cells':>13} {'metadata':>9}"]
    tc = tt = mc = mt = 0
    for name in NAMES:
        c, t, _ = cell_score(name)
        m, n, _ = meta_score(name)
        tc, tt, mc, mt = tc + c, tt + t, mc + m, mt + n
        cell_text = f"{c}/{t}" if t else "—"
        lines.append(f"{name:34} {cell_text:>13} {m}/{n:>7}")
    lines.append(f"{'total':34} {tc}/{tt} ({100 * tc / max(tt, 1):.1f}%) {mc}/{mt} ({100 * mc / mt:.1f}%)")
    return lines, (tc, tt), (mc, mt)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print("\n".join(summary()[0] + [""] + forms_summary()))

"""Reading and checking a text report costs time linear in its length: 4× the text may cost at
most 6× the time. Measured as CPU time of this process (other work on a shared machine hardly
changes it), the fastest of three runs, on texts of the shapes that used to cost quadratic time:
a real report repeated, run-on crawler text without line breaks, a period on every line,
attachment lines, runs of spaces, headings. bench/bench_sizes.py has the figures."""

from __future__ import annotations

import time

import pytest

from tests.conftest import FIXTURES

REPORT = (FIXTURES / "reports" / "pingtan-2019.txt").read_text("utf-8")
TITLE = "平潭综合实验区2019年政府信息公开工作年度报告\n"
# shape → (text of about n characters, n): n such that the smaller text takes some 30–60 ms
SHAPES = {
    "report": (lambda n: (REPORT * (n // len(REPORT) + 1))[:n], 100_000),
    "run-on": (lambda n: (REPORT.replace("\n", "") * (n // len(REPORT) + 1))[:n], 100_000),
    "periods": (lambda n: TITLE + "2019年1月1日至2019年12月31日。\n" * (n // 23), 25_000),
    "attachments": (lambda n: TITLE + "".join(f"附件{i}：统计表{i}\n" for i in range(n // 12)), 50_000),
    "spaces": (lambda n: TITLE + " " * n + "一、总体情况", 100_000),
    "headings": (lambda n: TITLE + "一、总体情况。(一)主动公开。1.政策解读。" * (n // 22), 25_000),
    # a topic word inside an `unless` phrase, again and again in one sentence; a rate with many figures
    "unless": (lambda n: TITLE + "诉讼费" * (n // 3), 50_000),
    "rates": (lambda n: TITLE + "全年办结率100%，" + "其他1件，" * (n // 5), 25_000),
}
RATIO_MAX = 6.0


def _cost(text: str, ruleset) -> float:
    """CPU time to read and check `text`, without the cyclic garbage collector: its passes cost
    time in the number of objects the whole test session holds, not in this text."""
    import gc

    from gkcheck.engine import audit
    from gkcheck.extract.text import build_report
    from gkcheck.report.model import Report

    gc.collect()
    gc.disable()
    try:
        t = time.process_time()
        data = build_report(text, {"path": "x.txt", "form": "text"})
        data["year"] = data.get("year") or 2019
        audit(Report(data, source="x.txt"), ruleset)
        return time.process_time() - t
    finally:
        gc.enable()


def _ratio(shape: str, ruleset, runs: int) -> tuple[float, float, float]:
    make, size = SHAPES[shape]
    small, large = make(size), make(4 * size)
    a = min(_cost(small, ruleset) for _ in range(runs))
    b = min(_cost(large, ruleset) for _ in range(runs))
    return b / max(a, 1e-3), a, b


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_four_times_the_text_costs_at_most_six_times_the_time(shape, ruleset):
    ratio, a, b = _ratio(shape, ruleset, 3)
    if ratio > RATIO_MAX:  # one slow run on a busy machine: measure again, more carefully
        ratio, a, b = _ratio(shape, ruleset, 7)
    assert ratio <= RATIO_MAX, f"{shape}: {a * 1000:.0f} ms → {b * 1000:.0f} ms for 4× the text ({ratio:.1f}×)"


def _scan_cost(size: int) -> float:
    """CPU time to find that a JSON document of `size` bytes, one unterminated string, is bad."""
    import io

    from gkcheck.util import jsonscan

    bad = b'{"reports": ["' + b"a" * size
    t = time.process_time()
    with pytest.raises(ValueError):
        jsonscan.scan(io.BytesIO(bad), "reports", lambda _: None)
    return time.process_time() - t


def test_a_bad_json_result_is_refused_in_linear_time(monkeypatch):
    from gkcheck.util import jsonscan

    monkeypatch.setattr(jsonscan, "CHUNK", 1 << 16)  # many chunks already at test sizes
    _assert_linear(_scan_cost, 8 << 20)  # some 35 ms: above the timer's noise


def _assert_linear(cost, size: int) -> None:
    """cost(4 × size) ≤ RATIO_MAX × cost(size): measured once, then (unless far off, which a
    quadratic cost is) the fastest of 3 runs, then of 7, as a busy machine can slow one run."""
    for runs in (1, 3, 7):
        a = min(cost(size) for _ in range(runs))
        b = min(cost(4 * size) for _ in range(runs))
        ratio = b / max(a, 1e-3)
        if ratio <= RATIO_MAX or ratio > 3 * RATIO_MAX:
            break
    assert ratio <= RATIO_MAX, f"{a * 1000:.1f} ms → {b * 1000:.1f} ms for 4× the input ({ratio:.1f}×)"


def _html_cost(n: int) -> float:
    from gkcheck.extract import read_report

    page = ("<html><body><p>平潭综合实验区2019年政府信息公开工作年度报告</p><p><a" + "中" * n
            + "</p></body></html>").encode("utf-8")
    t = time.process_time()
    try:
        read_report("x.html", page)
    except Exception:  # noqa: BLE001 - only the time matters here
        pass
    return time.process_time() - t


def test_a_stray_tag_before_long_text_costs_linear_time():
    _assert_linear(_html_cost, 20_000)  # under 1 ms; when it was quadratic, 0.7 s and 21 s

"""Hundreds of hostile inputs (tests/hostile_corpus.py makes them), every input form and every
file a user installs, run in parallel under a memory limit: exit 0, 1 or 2 only, never a
traceback or an internal error, one error line naming the file, no half-written output, no
control character reaching the terminal, a few seconds at most for each.

    python tests/hostile_corpus.py --run        # the same run, with the figures printed
"""

from __future__ import annotations

import re

import pytest

from tests import hostile_corpus

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CPU_MAX = 5.0    # seconds of CPU for one input
WALL_MAX = 30.0  # seconds on the clock (the machine may be shared)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    found = hostile_corpus.run(tmp_path_factory.mktemp("hostile"), jobs=2, memory_mb=1536, budget=300)
    print("\n" + hostile_corpus.figures(found))
    return found


def _failures(results, bad) -> list[str]:
    return [f"{r['form']}/{r['name']}: code {r['code']}: {r['stderr'][-400:]}" for r in results if bad(r)]


def test_the_corpus_covers_every_form(results):
    assert len(results) >= 500
    for form in hostile_corpus.FORMS:
        assert sum(1 for r in results if r["form"] == form) >= 20, form


def test_exit_codes_are_0_1_or_2_and_nothing_crashes(results):
    assert _failures(results, lambda r: r["code"] not in (0, 1, 2)) == []
    assert _failures(results, lambda r: "Traceback" in r["stderr"] or "内部错误" in r["stderr"] + r["stdout"]) == []


def _names_the_file(r) -> bool:
    lines = [line for line in r["stderr"].splitlines() if line.startswith("gkcheck: 错误: ")]
    if len(lines) != 1:
        return False
    where = lines[0][len("gkcheck: 错误: "):]
    # a configuration names itself, or the file it points to that is at fault (a rule directory, …)
    return where.startswith(r["path"]) or (r["form"] == "config" and where.startswith("/"))


def test_a_refused_input_gets_one_line_naming_the_file(results):
    assert _failures(results, lambda r: r["code"] == 2 and not _names_the_file(r)) == []


def test_no_control_character_reaches_the_terminal(results):
    assert _failures(results, lambda r: RAW_CONTROL.search(r["stderr"])) == []


def test_no_output_file_is_half_written(results):
    assert _failures(results, lambda r: r["whole"] is False or set(r["files"]) - {"out.json"}) == []
    # a report that could not be read is still an entry of a whole document
    assert all(r["whole"] for r in results if r["form"] in ("txt", "html", "docx", "pdf", "yaml", "json"))


def test_every_input_takes_a_few_seconds_at_most(results):
    assert _failures(results, lambda r: r["cpu"] > CPU_MAX or r["wall"] > WALL_MAX) == []

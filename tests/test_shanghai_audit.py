"""The 上海市人民政府办公厅 2019 report: no false arithmetic failure on the real page (blank cells
for zero, a blank 总计 column), and copies with one cell changed are caught with the right evidence."""

import pytest

from gkcheck.api import check_file
from tests.conftest import FIXTURES

PAGE = FIXTURES / "reports" / "shanghai-gov-office-2019.html"
ARITHMETIC = ("t2.flow_identity", "t2.row_total", "t2.subtotal", "t2.result_sum", "t3.block_total",
              "t2.nonneg_int", "t3.nonneg_int", "t1.nonneg")


def audit(ruleset, path):
    entry = check_file(str(path), ruleset)
    assert entry["verdict"] != "error", entry["error"]
    return {r["rule"]: r for r in entry["results"]}


def test_real_page_has_no_arithmetic_failure(ruleset):
    results = audit(ruleset, PAGE)
    failed = [rule for rule in ARITHMETIC if results[rule]["status"] == "fail"]
    assert failed == []
    assert results["t2.flow_identity"]["status"] == "pass"
    assert results["t2.result_sum"]["status"] == "pass"


@pytest.mark.parametrize("old,new,rule,words", [
    # 予以公开 自然人 258 → 259: the results of the 自然人 column no longer add up to （七）总计 767
    (">258</p>", ">259</p>", "t2.result_sum", ["767", "259", "自然人"]),
    # 本年新收 自然人 821 → 822: the flow identity of that column and the row's own total both break
    (">821</p>", ">822</p>", "t2.flow_identity", ["822", "自然人"]),
    (">821</p>", ">822</p>", "t2.row_total", ["859", "822"]),
])
def test_one_changed_cell_is_caught_with_evidence(ruleset, tmp_path, old, new, rule, words):
    html = PAGE.read_bytes().decode("utf-8")
    assert html.count(old) == 1
    copy = tmp_path / "shanghai-edited.html"
    copy.write_bytes(html.replace(old, new).encode("utf-8"))
    results = audit(ruleset, copy)
    result = results[rule]
    assert result["status"] == "fail"
    shown = result["message"] + " ".join(str(e.get("text", "")) for e in result["evidence"])
    for word in words:
        assert word in shown, (word, shown)
    others = [r for r in ARITHMETIC if results[r]["status"] == "fail" and r != rule]
    expected_others = {"t2.result_sum": [], "t2.flow_identity": ["t2.row_total"], "t2.row_total": ["t2.flow_identity"]}
    assert others == expected_others[rule]

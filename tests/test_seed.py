"""The project's first real case: 浙江省商务厅 2016 (fixtures/reports/000_e4dc1900c1ebf750.txt).

The audit must read as the issue states, and each verdict must flip when the text is edited
to remove or add what it depends on.
"""

import pytest

from gkcheck.api import check_file
from tests.conftest import SEED

EXPECTED = {
    "deadline.2007.mar31": "pass",
    "period.2007.covers_year": "pass",
    "period.stated": "pass",
    "content.2007.proactive": "pass",
    "content.2007.application": "fail",
    "content.2007.fees": "pass",
    "content.2007.review": "pass",
    "content.2007.problems": "pass",
    "budget.2007.published": "pass",
    "budget.2007.sangong": "pass",
    "quality.signed_after_published": "fail",
    "quality.attachment_missing": "fail",
    "year.title_period": "pass",
    # "发布各类政府信息7078条(其中政务信息832条)" lists one part only: not judged
    "prose.total_parts": "not_applicable",
    "prose.shares": "not_applicable",
    "prose.rates": "not_applicable",
}


def audit_text(tmp_path, text, name="seed.txt"):
    from gkcheck.ruleset import load_ruleset

    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    entry = check_file(str(path), load_ruleset())
    return entry, {r["rule"]: r for r in entry["results"]}


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text("utf-8")


def test_seed_facts(ruleset):
    entry = check_file(str(SEED), ruleset)
    info = entry["report"]
    assert info["agency"] == {"name": "浙江省商务厅", "kind": "department", "level": "provincial", "province": "浙江"}
    assert info["year"] == 2016
    assert info["published"] == "2017-01-30"
    assert info["signed"] == "2017-02-24"
    assert info["period"] == {"start": "2016-01-01", "end": "2016-12-31"}
    assert [p["id"] for p in entry["packs"]] == ["prose", "quality", "tiaoli-2007"]


def test_seed_audit(ruleset):
    entry = check_file(str(SEED), ruleset)
    statuses = {r["rule"]: r["status"] for r in entry["results"]}
    for rule, status in EXPECTED.items():
        assert statuses[rule] == status, rule
    assert entry["verdict"] == "fail"
    by_rule = {r["rule"]: r for r in entry["results"]}
    app = by_rule["content.2007.application"]
    assert app["severity"] == "error" and "不予公开" in app["message"]
    assert "第三十二条（二）" in app["basis"]
    assert any("依申请公开" in e["text"] for e in app["evidence"])
    assert by_rule["quality.signed_after_published"]["severity"] == "warning"
    att = by_rule["quality.attachment_missing"]
    assert att["severity"] == "warning" and "2016年政务信息公开统计表" in att["message"]
    assert att["location"]["line"] == 86
    fee = by_rule["content.2007.fees"]["evidence"][0]
    assert fee["text"] == "2016年,我厅未收取任何政府信息公开费用。" and fee["polarity"] == "negative"
    review = by_rule["content.2007.review"]["evidence"][0]
    assert "未发生" in review["text"] and review["polarity"] == "negative"


FLIPS = [
    ("states no refusals", lambda t: t.replace("全部按时办结。", "全部按时办结,没有不予公开的情况。"),
     "content.2007.application", "pass"),
    ("published late", lambda t: t.replace("发布日期:2017-01-30", "发布日期:2017-04-05"), "deadline.2007.mar31", "fail"),
    ("no fee statement", lambda t: t.replace("2016年,我厅未收取任何政府信息公开费用。", "")
     .replace("二、政府信息公开收费及减免情况", "二、其他情况"), "content.2007.fees", "fail"),
    ("no review statement", lambda t: t.replace("2016年,我厅未发生因政府信息公开申请而产生的行政复议及行政诉讼情况。", "")
     .replace("三、因政府信息公开申请行政复议、提起行政诉讼情况", "三、其他情况"), "content.2007.review", "fail"),
    ("no problems section", lambda t: t[: t.index("四、政府信息公开工作存在")] + t[t.index("附件:"):],
     "content.2007.problems", "fail"),
    ("no proactive part", lambda t: t.replace("主动公开", "公开"), "content.2007.proactive", "fail"),
    ("budget only planned", lambda t: t.replace("做好部门预算和部门决算信息公开工作,及时在省政府和厅门户网站上公布2016年部门预算和2015年部门决算收支、“三公”经费情况。", ""),
     "budget.2007.published", "fail"),
    ("sangong only planned", lambda t: t.replace("“三公”经费情况。", "情况。"), "budget.2007.sangong", "fail"),
    ("signed before publication", lambda t: t.replace("2017年2月24日", "2017年1月20日"),
     "quality.signed_after_published", "pass"),
    ("attachment included", lambda t: t.replace("打印关闭", "2016年政务信息公开统计表\n指标 数量"),
     "quality.attachment_missing", "pass"),
    ("period of last year", lambda t: t.replace("自2016年1月1日至2016年12月31日", "自2015年1月1日至2015年12月31日"),
     "period.2007.covers_year", "fail"),
    ("title year differs from period", lambda t: t.replace("自2016年1月1日至2016年12月31日", "自2015年1月1日至2015年12月31日"),
     "year.title_period", "fail"),
]


@pytest.mark.parametrize("name,edit,rule,status", FLIPS, ids=[f[0] for f in FLIPS])
def test_seed_flips(tmp_path, seed_text, name, edit, rule, status):
    edited = edit(seed_text)
    assert edited != seed_text, "the edit must change the text"
    assert EXPECTED[rule] != status, "a flip must change the verdict"
    _, results = audit_text(tmp_path, edited)
    assert results[rule]["status"] == status


def test_seed_passes_when_all_defects_fixed(tmp_path, seed_text):
    text = seed_text.replace("全部按时办结。", "全部按时办结,没有不予公开的情况。")
    entry, results = audit_text(tmp_path, text)
    assert entry["verdict"] == "pass"
    assert results["content.2007.application"]["status"] == "pass"


def test_seed_in_gbk(tmp_path, seed_text):
    path = tmp_path / "seed-gbk.txt"
    path.write_bytes(seed_text.encode("gb18030"))
    from gkcheck.ruleset import load_ruleset

    entry = check_file(str(path), load_ruleset())
    assert {r["rule"]: r["status"] for r in entry["results"]} == {
        k: v for k, v in EXPECTED.items()} | {"content.2007.other": "fail"}

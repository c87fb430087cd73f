"""Rule loading: the validation cache, lazy compilation, and pack selection."""

import gkcheck.ruleset.load as load
from gkcheck.api import check_file
from tests.conftest import SEED


def test_cached_files_skip_validation_and_compile_lazily(tmp_path, monkeypatch):
    monkeypatch.delenv("GKCHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load.load_ruleset()
    assert all(not isinstance(r.run, load._LazyCheck) for r in first.rules)

    def refuse(*args, **kwargs):
        raise AssertionError("a cached rule file must not be validated again")

    monkeypatch.setattr(load, "validate", refuse)
    second = load.load_ruleset()
    assert all(isinstance(r.run, load._LazyCheck) for r in second.rules)
    a = check_file(str(SEED), first)
    b = check_file(str(SEED), second)
    assert [(r["rule"], r["status"]) for r in a["results"]] == [(r["rule"], r["status"]) for r in b["results"]]


def test_changed_file_is_validated_again(tmp_path, monkeypatch):
    monkeypatch.delenv("GKCHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "r"
    rules.mkdir()
    body = ("pack: {id: p, title: t}\nrules:\n  - id: p.r\n    title: t\n    severity: info\n"
            "    basis: {instrument: x, confirmed: true}\n    message: {zh: m}\n    check: {kind: attachments}\n")
    (rules / "p.yaml").write_text(body, "utf-8")
    load.load_ruleset([str(rules)], builtin=False)
    (rules / "p.yaml").write_text(body.replace("kind: attachments", "kind: magic"), "utf-8")
    try:
        load.load_ruleset([str(rules)], builtin=False)
    except Exception as exc:  # RuleError
        assert "magic" in str(exc)
    else:
        raise AssertionError("a changed rule file must be validated")


def test_packs_follow_report_year(ruleset):
    entry = check_file(str(SEED), ruleset)
    assert {p["id"] for p in entry["packs"]} == {"prose", "quality", "tiaoli-2007"}
    entry = check_file(str(SEED), ruleset, {"year": 2019})
    assert "tiaoli-2019" in {p["id"] for p in entry["packs"]} and "tiaoli-2007" not in {p["id"] for p in entry["packs"]}
    entry = check_file(str(SEED), ruleset, profile=["tiaoli-2007"])
    assert [p["id"] for p in entry["packs"]] == ["tiaoli-2007"]


def test_profile_forces_a_pack_and_rejects_unknown_names(ruleset):
    entry = check_file(str(SEED), ruleset, {"year": 2019}, profile=["tiaoli-2007"])
    statuses = {r["rule"]: r["status"] for r in entry["results"]}
    assert statuses["content.2007.application"] == "fail"  # run although 2019 is outside the pack's years
    entry = check_file(str(SEED), ruleset, profile=["tiaoli2007"])
    assert entry["verdict"] == "error" and "tiaoli2007" in entry["error"] and "tiaoli-2007" in entry["error"]

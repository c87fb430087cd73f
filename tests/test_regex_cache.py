"""The compiled-regex cache (gkcheck.util.regex) gives exactly what re.compile gives."""

from __future__ import annotations

import re

import pytest

from gkcheck.util import regex

PATTERNS = [
    (r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月", 0),
    (r"(?:未(?!来|成年|知))|(?:没有)|(?:无(?!偿|论))", 0),
    (r"^\s*[一二三四五六七八九十]+、", re.M),
    (r"(\w+)\s+\1", re.I),
    (r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd]", 0),
    (rb"<(html|body)\b", re.I),
]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """The module as a new process finds it, with the cache in tmp_path."""
    monkeypatch.delenv("GKCHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def reset():
        monkeypatch.setattr(regex, "_store", None)
        monkeypatch.setattr(regex, "_path", None)
        monkeypatch.setattr(regex, "_loaded", False)
        monkeypatch.setattr(regex, "_changed", False)

    reset()
    return reset


def test_second_run_builds_the_same_patterns_from_the_cache(fresh, monkeypatch):
    first = [regex.compile(p, f) for p, f in PATTERNS]
    regex.save()
    fresh()
    monkeypatch.setattr(regex, "_arguments", lambda *a: pytest.fail("compiled again"))
    second = [regex.compile(p, f) for p, f in PATTERNS]
    for (p, f), a, b in zip(PATTERNS, first, second, strict=True):
        assert a == b == re.compile(p, f)
        assert b.groupindex == re.compile(p, f).groupindex
    assert second[0].match("2023 年 12 月").group("m") == "12"
    assert second[3].search("Hello hello").group(1) == "Hello"


def test_damaged_cache_file_is_ignored(fresh, tmp_path):
    regex.compile(*PATTERNS[0])
    regex.save()
    [path] = tmp_path.rglob("regex-*.marshal")
    path.write_bytes(b"\x00not marshal")
    fresh()
    assert regex.compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])


def test_damaged_entry_is_compiled_again(fresh):
    regex._load()[(PATTERNS[0][0], 0)] = (0, [1, 2, 3], 0, {}, ())
    assert regex.compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])


def test_cache_is_bounded(fresh, monkeypatch):
    monkeypatch.setattr(regex, "MAX_ENTRIES", 3)
    for i in range(10):
        assert regex.compile(f"x{i}+").match(f"x{i}{i}")
    assert len(regex._load()) == 3


def test_off_means_plain_re(monkeypatch):
    monkeypatch.setenv("GKCHECK_NO_CACHE", "1")
    monkeypatch.setattr(regex, "_loaded", False)
    monkeypatch.setattr(regex, "_store", None)
    assert regex.compile(r"a+") is re.compile(r"a+")


def test_cache_file_with_a_wrong_checksum_is_ignored(fresh, tmp_path):
    import marshal

    regex.compile(*PATTERNS[0])
    regex.save()
    [path] = tmp_path.rglob("regex-*.marshal")
    check, payload = marshal.loads(path.read_bytes())
    store = marshal.loads(payload)
    other = store[(PATTERNS[0][0], 0)]
    store[(PATTERNS[0][0], 0)] = regex._arguments("收到", 0)  # valid code, another pattern's
    path.write_bytes(marshal.dumps((check, marshal.dumps(store))))
    fresh()
    assert regex._load() == {}
    assert regex.compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])
    assert other is not None

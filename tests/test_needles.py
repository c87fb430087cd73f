"""The literal prefilter (gkcheck.util.needles) never changes what a pattern finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gkcheck.util.needles import (
    VERSION,
    Prefiltered,
    compile_prefiltered,
    first_chars,
    needles,
)

ROOT = Path(__file__).resolve().parents[1]
CHARS = "收费减免不予公开申请件无未"

# Small patterns over a few characters: literals, alternations, classes, repeats, optional
# parts, lookarounds and anchors, nested.
atoms = st.sampled_from(list(CHARS) + ["[收费]", "[^，]", "[0-3]", ".", "\\d", "^", "$", "\\b", "\\1"])


def _pattern(children):
    return st.one_of(
        st.lists(children, min_size=1, max_size=4).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        children.map(lambda x: f"(?:{x})?"),
        children.map(lambda x: f"(?:{x}){{1,3}}"),
        children.map(lambda x: f"(?:{x})*?"),
        children.map(lambda x: f"(?!{x})"),
        children.map(lambda x: f"(?<!{x[:1] if x[:1] in CHARS else '收'})"),
        children.map(lambda x: f"({x})+"),
        children.map(lambda x: f"(?>{x})"),
        children.map(lambda x: f"(?:{x})++"),
        children.map(lambda x: f"(?i:{x})"),
        children.map(lambda x: f"(?(1){x}|收)"),
    )


patterns = st.recursive(atoms, _pattern, max_leaves=8)
texts = st.text(alphabet=CHARS + "，。0123 ", max_size=30)


@settings(max_examples=600, deadline=None)
@given(patterns, st.lists(texts, min_size=1, max_size=5))
def test_prefiltered_pattern_finds_what_the_pattern_finds(source, samples):
    try:
        compiled = re.compile(source)
    except re.error:
        assume(False)  # not a pattern: draw another
    _agree(compile_prefiltered(source), compiled, samples)


def _agree(fast, compiled, samples):
    for text in samples:
        assert _found(fast.search(text)) == _found(compiled.search(text))
        assert list(map(_found, fast.finditer(text))) == list(map(_found, compiled.finditer(text)))
        for pos in range(0, len(text) + 1, 3):
            end = len(text) - pos // 2
            assert _found(fast.search(text, pos, end)) == _found(compiled.search(text, pos, end))
            assert _found(fast.match(text, pos)) == _found(compiled.match(text, pos))
            assert list(map(_found, fast.finditer(text, pos))) == list(map(_found, compiled.finditer(text, pos)))


def _found(m):
    """What a caller can read from a match: where it is, and its groups."""
    return None if m is None else (m.span(), m.groups(), m.groupdict())


def _rule_patterns():
    """Every pattern list of the built-in rule packs (topics, and, unless, exclude, ...)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("patterns", "and", "unless", "exclude", "negations") and isinstance(value, list) \
                        and all(isinstance(v, str) and not v.startswith("@") for v in value):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((ROOT / "rules").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    senses = ROOT / "gkcheck" / "checks" / "senses.yaml"
    found += yaml.safe_load(senses.read_text(encoding="utf-8"))["senses"].values()
    return found


def _sentences():
    files = sorted((ROOT / "fixtures" / "reports").glob("*.txt")) + sorted((ROOT / "fixtures" / "forms").rglob("*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    return [s for s in re.split(r"[。；;\n]", text) if s.strip()]


def test_rule_patterns_agree_on_real_sentences():
    sentences = _sentences()
    lists = _rule_patterns()
    assert len(lists) > 20 and len(sentences) > 1000
    prefiltered_count = looked_ahead = 0
    sources = []
    for items in lists:  # as compile_patterns joins them; text_figures' (each has group n) one by one
        joined = "|".join(f"(?:{p})" for p in items)
        sources += [joined] if "(?P<n>" not in joined else items
    for source in sources:
        compiled = re.compile(source)
        fast = compile_prefiltered(source)  # as compile_patterns compiles them
        prefiltered_count += isinstance(fast, Prefiltered)
        looked_ahead += getattr(fast, "regex", fast).pattern != source
        for s in sentences:
            assert _found(fast.search(s)) == _found(compiled.search(s)), (source, s)
    assert prefiltered_count > 10  # the prefilter is in use, not silently off
    assert looked_ahead > 10  # and so is the lookahead for first characters


@pytest.mark.parametrize("source, expected", [
    # a text that holds 政府信息公开 holds 信息公开: the longer string is left out
    ("(政府信息公开|政务公开|信息公开).{0,20}(?<!业绩)(考核|考评)", (("信息公开", "政务公开"), ("考",))),
    # 信息公开 or 追责 first: around the 追责 sets, not each alternative's shortest set (未 is in most sentences)
    ("(?:信息公开.{0,20}(?:责任追究|追责|问责))|(?:(?:责任追究|追责|问责).{0,12}信息公开)|(?:(?:未|没有)(?:责任追究|追责|问责))",
     (("责任追究", "追责", "问责"),)),
    ("(?:公开.{0,9}问责)|(?:无问责)", (("问责",),)),  # 无问责 holds 问责
    ("依申请|申请公开|(?:收到|受理)申请", (("申请",),)),
    ("信息公开.{0,9}公开", (("信息公开",),)),  # a text holding 信息公开 holds 公开: one set is enough
    ("(?:甲乙)|(?:丙)", (("丙", "甲乙"),)),
    ("收费", (("收费",),)),
    ("a?b", (("b",),)),
    ("(ab|cd)+e?f", (("ab", "cd"), ("f",))),
    ("(?i)abc", None),          # case-insensitive: no prefilter
    ("a|b*", None),             # an alternative that may be empty
    ("[ab]c?", None),           # only a class is certain
    ("x{0,3}", None),
])
def test_needles(source, expected):
    assert needles(source) == expected


# Joined lists of rule patterns: alternatives of a few words with gaps between, words that hold
# one another (信息公开, 公开) and are shared by several alternatives in either order.
WORDS = ["公开", "信息公开", "问责", "追责", "无问责", "申请", "依申请", "未", "费", "收费"]
words = st.sampled_from(WORDS)
alternatives = st.lists(st.one_of(words, st.lists(words, min_size=2, max_size=3).map("|".join).map("(?:{})".format)),
                        min_size=1, max_size=3).map(".{0,3}".join)
branches = st.lists(alternatives, min_size=2, max_size=4).map(lambda alts: "|".join(f"(?:{a})" for a in alts))
worded_texts = st.lists(st.one_of(words, st.sampled_from("，。的了")), max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(patterns, branches), st.lists(st.one_of(texts, worded_texts), min_size=1, max_size=5))
def test_every_match_holds_a_string_of_each_set(source, samples):
    try:
        compiled = re.compile(source)
    except re.error:
        assume(False)
    sets = needles(source) or ()
    for text in samples:
        for m in compiled.finditer(text):
            for strings in sets:
                assert any(s in m.group(0) for s in strings), (source, text, m.group(0), sets)


@settings(max_examples=300, deadline=None)
@given(branches, st.lists(worded_texts, min_size=1, max_size=5))
def test_a_prefiltered_branch_finds_what_the_branch_finds(source, samples):
    _agree(compile_prefiltered(source), re.compile(source), samples)


@pytest.mark.parametrize("source, expected", [
    ("(未|没有)(收到|受理).{0,30}?申请|(全部|均)(予以|已)?公开", "全均未没"),
    ("(?<!业绩)(考核|考评)", "考"),      # a lookbehind takes no character
    ("a?b", "ab"),                      # an optional first item adds the next one's
    ("[0-9]+件", "0123456789"),
    ("\\d+件", None),                  # a named class: too many characters to list
    ("[^，]收费", None),                 # a negated class
    ("x*", None),                       # may match the empty string
    ("a|b*", None),
    ("(?i)ab", None),                   # case-insensitive
    ("(a)\\1", "a"),
])
def test_first_chars(source, expected):
    assert first_chars(source) == expected


def test_the_lookahead_is_put_only_where_re_does_not_skip_by_itself():
    joined = "(?:不予(以)?公开)|(?:(未|没有)(收到|受理).{0,30}?申请)"
    fast = compile_prefiltered(joined)
    assert getattr(fast, "regex", fast).pattern.startswith("(?=[不未没])(?:")
    assert fast.pattern == joined  # what it was asked for, for messages
    assert compile_prefiltered("收费|减免").regex.pattern == "收费|减免"  # re skips to 收 or 减 itself
    assert compile_prefiltered("(?s)不.公开").regex.pattern == "(?s)不.公开"  # global flags stay first


def test_a_case_insensitive_pattern_is_left_as_it_is():
    fast = compile_prefiltered("(?i)abc")
    assert not isinstance(fast, Prefiltered) and fast.pattern == "(?i)abc"
    assert fast.search("xxABC") and compile_prefiltered("abc").search("xxABC") is None


def test_needles_are_kept_in_the_regex_cache(tmp_path, monkeypatch):
    from gkcheck.util import regex

    monkeypatch.delenv("GKCHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for name, value in (("_store", None), ("_path", None), ("_loaded", False), ("_changed", False)):
        monkeypatch.setattr(regex, name, value)
    fast = compile_prefiltered("收费|减免")
    key = ("prefilter", VERSION, "收费|减免")
    assert regex._load()[key] == ((("减免", "收费"),), None)
    regex._load()[key] = (("",), 3)  # damaged: worked out again
    again = compile_prefiltered("收费|减免")
    assert again._needles == fast._needles == (("减免", "收费"),)
    assert again.search("未收费") and again.search("其他") is None


def test_a_prefiltered_pattern_copies_and_pickles():
    import copy
    import pickle

    fast = compile_prefiltered("收费|减免")
    assert isinstance(fast, Prefiltered)
    for other in (copy.copy(fast), pickle.loads(pickle.dumps(fast))):
        assert other.search("未收费").group() == "收费" and other.search("其他") is None


NEEDLE_SETS = st.lists(st.lists(st.text(alphabet="收费公开\n", min_size=1, max_size=2), min_size=1, max_size=3),
                       min_size=1, max_size=3)


@settings(max_examples=500, deadline=None)
@given(NEEDLE_SETS, st.lists(st.text(alphabet="收费公开无，\n", max_size=8), max_size=10))
def test_holders_are_the_parts_that_may_match(sets, parts):
    """holders() over the joined parts names exactly the parts may_match accepts, in order
    (a needle with a line break in it: every part)."""
    fast = Prefiltered(re.compile("收"), tuple(map(tuple, sets)))
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part) + 1
    held = list(fast.holders("\n".join(parts), starts))
    if any("\n" in needle for strings in sets for needle in strings):
        assert held == list(range(len(parts)))
    else:
        assert held == [i for i, part in enumerate(parts) if fast.may_match(part)]


def test_holders_look_for_each_needle_once_over_the_text():
    """Linear: a needle found in part 0 and next in the last part is not looked for again in
    each part between (the text is read once per needle, not once per part)."""
    fast = compile_prefiltered("公开.{0,3}收费")
    parts = ["公开收费"] + ["无关内容"] * 2000 + ["公开不收费"]
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part) + 1
    reads = []

    class Counting(str):
        def find(self, *args):
            reads.append(args)
            return str.find(self, *args)

    assert list(fast.holders(Counting("\n".join(parts)), starts)) == [0, len(parts) - 1]
    assert len(reads) <= 3 * len(fast._needles[0]) * len(fast._needles)

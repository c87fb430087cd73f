"""Byte decoding (gkcheck.extract.decode) and text normalisation (gkcheck.chinese.normalize)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gkcheck.chinese.normalize import fold_space, fold_width, normalize
from gkcheck.extract.decode import DecodeError, decode_bytes, looks_binary

CHINESE = (
    "政府信息公开工作年度报告本机关依申请主动办理情况统计期限行政复议诉讼收费减免存在问题改进措施"
    "浙江省商务厅平潭综合实验区管委会一二三四五六七八九十〇年月日"
    "。，、；：？！“”‘’《》（）【】—…·\u3000"
)
ASCII = "".join(chr(c) for c in range(0x20, 0x7F)) + "\n\t"
TEXT = st.text(alphabet=CHINESE + ASCII, max_size=200)
CHINESE_TEXT = st.text(alphabet=CHINESE, min_size=1, max_size=200)

REPORT = (
    "浙江省商务厅2016年政府信息公开工作年度报告\n"
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。"
    "本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。\n"
    "一、概述\n2016年，我厅认真贯彻落实政府信息公开工作的部署要求，进一步健全工作机制。\n"
)


# --- decode -----------------------------------------------------------------------------------


@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_decode_roundtrip(s, enc):
    assert decode_bytes(s.encode(enc))[0] == s


@given(CHINESE_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_decode_roundtrip_chinese_only(s, enc):
    assert decode_bytes(s.encode(enc))[0] == s


@given(TEXT, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_decode_utf16_without_bom(s, enc):
    # "Clearly UTF-16": ASCII (zero high byte) outnumbers characters with a zero low byte.
    ascii_chars = sum(ch.isascii() for ch in s)
    assume(ascii_chars >= 1 and ascii_chars > 2 * sum(ord(ch) & 0xFF == 0 for ch in s))
    assert decode_bytes(s.encode(enc)) == (s, enc)


@pytest.mark.parametrize(
    "enc, name",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb2312", "gb18030"),
     ("gb18030", "gb18030"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)
def test_decode_report_names_encoding(enc, name):
    assert decode_bytes(REPORT.encode(enc)) == (REPORT, name)


def test_decode_utf16_bom_is_stripped():
    assert decode_bytes(REPORT.encode("utf-16")) == (REPORT, "utf-16-le")
    assert decode_bytes(b"\xfe\xff" + REPORT.encode("utf-16-be")) == (REPORT, "utf-16-be")


def test_decode_empty():
    assert decode_bytes(b"") == ("", "utf-8")


def test_short_gbk_that_is_also_valid_utf8():
    # "息" in GBK is CF A2, which is also valid UTF-8 ("Ϣ").
    assert decode_bytes("息".encode("gbk")) == ("息", "gb18030")
    assert decode_bytes("信息".encode("gbk"))[0] == "信息"


def test_long_non_cjk_utf8_stays_utf8():
    s = "Привет, мир! Съешь же ещё этих мягких французских булок."
    assert decode_bytes(s.encode("utf-8")) == (s, "utf-8")


def test_big5_falls_through_to_charset_normalizer():
    s = "政府資訊公開年度報告，本機關依法辦理申請案件。"
    assert decode_bytes(s.encode("big5"))[0] == s


def test_mixed_encodings_raise_with_offset():
    utf8_part = REPORT.encode("utf-8")
    data = utf8_part + "二、主动公开政府信息情况\n全年共主动公开政府信息1234条。".encode("gbk")
    with pytest.raises(DecodeError, match="mixed encodings") as info:
        decode_bytes(data)
    assert f"byte offset {len(utf8_part)}" in str(info.value)


def test_mixed_encodings_mostly_gbk_also_raise():
    data = "统计期限自2016年1月1日".encode() + (REPORT * 3).encode("gbk")
    with pytest.raises(DecodeError, match="mixed encodings"):
        decode_bytes(data)


def test_truncated_utf8():
    with pytest.raises(DecodeError, match="cut off"):
        decode_bytes(REPORT.encode("utf-8") + "报".encode()[:2])


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"\x7fELF\x02\x01\x01\x00" + bytes(56),
        bytes(range(256)) * 8,
        "正文\x00正文".encode(),
        b"abc\x01\x02\x03\x04\x05def",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\nx\x9c\x00\x01\x02\x03endstream",
    ],
)
def test_binary_raises(data):
    assert looks_binary(data)
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


@pytest.mark.parametrize("enc", ["utf-8", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_is_not_binary(enc):
    assert not looks_binary(REPORT.encode(enc))
    assert not looks_binary(b"")


def test_charset_normalizer_not_imported_eagerly():
    code = "import sys, gkcheck.extract.decode; sys.exit('charset_normalizer' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- normalize --------------------------------------------------------------------------------


@given(st.text())
def test_normalize_idempotent(s):
    once = normalize(s)
    assert normalize(once) == once


@given(st.text(alphabet="\r\n\u200b\ufeff\u3000\xa0 （）：，；０１２ａＺ。、“”" + CHINESE, max_size=50))
def test_normalize_idempotent_on_tricky_text(s):
    once = normalize(s)
    assert normalize(once) == once
    assert "\r" not in once and "\u200b" not in once and "\u3000" not in once


@given(st.text())
def test_fold_width_keeps_length(s):
    assert len(fold_width(s)) == len(s)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("（一）", "(一)"),
        ("：；，！？", ":;,!?"),
        ("０１２３４５６７８９", "0123456789"),
        ("ＡＢＣａｂｃ＠＃～", "ABCabc@#~"),
        ("a\u3000b\xa0c\u2002d\u202fe", "a b c d e"),
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("\ufeff正\u200b文\u200c\u200d", "正文"),
        ("。、“”《》【】—…·", "。、“”《》【】—…·"),
        ("\r\u200b\n", "\n"),
    ],
)
def test_normalize_examples(raw, expected):
    assert normalize(raw) == expected


def test_fold_space():
    assert fold_space("a  \t b\u3000\u3000c\n\n  d") == "a b c\n\n d"
    assert fold_space("") == ""

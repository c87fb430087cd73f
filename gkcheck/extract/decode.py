"""Bytes → text for report files of unknown encoding (UTF-8, GBK/GB18030, UTF-16).

Order matters: GB18030 decodes almost any byte string, so it is tried only after
strict UTF-8 and UTF-16 have had their chance, and a UTF-8 file with a GBK part
is refused rather than turned into mojibake.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from collections import Counter

from gkcheck.util import regex


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


class _Lazy:
    """A regex compiled on first use: wide Unicode classes cost milliseconds to compile,
    and most files (valid UTF-8) never need most of them."""

    def __init__(self, pattern: str):
        self.pattern, self._rx = pattern, None

    def __getattr__(self, name):
        if self._rx is None:
            self._rx = regex.compile(self.pattern)
        return getattr(self._rx, name)


# C0 controls other than \t \n \v \f \r and ESC, plus DEL: rare in any text file.
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_CHARS = _Lazy("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.05

# Characters expected in a Chinese report, used to tell GBK that happens to be valid UTF-8 from
# real UTF-8. Looked up by bisect over the distinct characters, not by a regex: a character class
# of these ranges costs 1.5 ms to compile, a tenth of a cold check's work.
_CJK_RANGES = ((0xB7, 0xB7), (0x2010, 0x2027), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
_CJK_BOUNDS = [b for lo, hi in _CJK_RANGES for b in (lo, hi + 1)]
_ALPHABETS = ((0x80, 0x24F), (0x370, 0x3FF), (0x400, 0x52F))  # Latin, Greek, Cyrillic
_PRIVATE_USE = _Lazy("[\ue000-\uf8ff]")
_UTF8_RUN = _Lazy("[\u0800-\ufffc\ufffe\uffff\U00010000-\U0010ffff]{3,}")
_NOT_PLAIN_TEXT = _Lazy(
    "[^\t\n\r\x0c\x20-\x7e\u00a0-\u024f\u2000-\u27bf\u2e80-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding name). Raises DecodeError."""
    if not data:
        return "", "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeError(f"有 UTF-8 BOM，但第 {exc.start} 字节处不是有效的 UTF-8 (invalid UTF-8 at byte offset {exc.start})") from None
    utf16 = _decode_utf16(data)
    if utf16 is not None:
        return utf16
    if looks_binary(data):
        raise DecodeError("二进制文件，不是文本 (looks binary: NUL or control bytes)")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _refuse_mixed_utf8(data, exc)
    else:
        return _prefer_gbk_over_latin_mojibake(data, text)

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # GBK's user-defined areas map to the private use area: real reports don't use
        # them, other encodings (Big5, ...) read as GBK do.
        if not _PRIVATE_USE.search(text):
            return text, "gb18030"
    return _last_resort(data)


def looks_binary(data: bytes) -> bool:
    """True for NUL bytes that are not UTF-16 text, or many control bytes."""
    if not data:
        return False
    if b"\0" in data:
        return _decode_utf16(data) is None
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls / len(data) > _MAX_CONTROL_RATIO


def _decode_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 with a BOM, or without one when NUL bytes show it and the text reads well."""
    if data.startswith(codecs.BOM_UTF16_LE):
        candidates, body = ["utf-16-le"], data[2:]
    elif data.startswith(codecs.BOM_UTF16_BE):
        candidates, body = ["utf-16-be"], data[2:]
    elif b"\0" in data and len(data) % 2 == 0:
        # ASCII in UTF-16 has a zero high byte: odd positions for LE, even for BE. 一 (U+4E00)
        # and the ideographic space put NULs on the other side, so both byte orders are scored.
        odd, even = data[1::2].count(0), data[0::2].count(0)
        candidates = ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
        body = data
    else:
        return None
    best = None
    for enc in candidates:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            continue
        score = 1 - len(_NOT_PLAIN_TEXT.findall(text)) / len(text) if text else 1.0
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.9:
        return None
    _, text, enc = best
    if text and len(_CONTROL_CHARS.findall(text)) / len(text) > _MAX_CONTROL_RATIO:
        return None
    return text, enc


def _refuse_mixed_utf8(data: bytes, exc: UnicodeDecodeError) -> None:
    """Raise if the data is clearly UTF-8 with an invalid part, e.g. pasted GBK.

    GB18030 would decode such a file without error and turn the UTF-8 part into mojibake.
    """
    loose = data.decode("utf-8", errors="replace")
    bad_bytes = loose.count("\ufffd")
    # Evidence of UTF-8: runs of three or more 3/4-byte characters (Chinese words). GBK
    # bytes form valid UTF-8 by chance (2-byte pairs often, a lone 3-byte one sometimes)
    # but such runs about once in a million characters.
    utf8_bytes = sum(len(m.group().encode("utf-8")) for m in _UTF8_RUN.finditer(loose))
    if utf8_bytes < 9 or utf8_bytes < 0.01 * (utf8_bytes + bad_bytes):
        return
    if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
        raise DecodeError(f"UTF-8 文本在第 {exc.start} 字节处被截断 (UTF-8 cut off at byte offset {exc.start})")
    raise DecodeError(
        f"mixed encodings (编码混杂): UTF-8 文本中第 {exc.start} 字节处有无效的 UTF-8 序列 "
        f"(invalid UTF-8 at byte offset {exc.start})，部分内容可能是 GBK；请将整个文件另存为同一种编码"
    )


def _prefer_gbk_over_latin_mojibake(data: bytes, text: str) -> tuple[str, str]:
    """Short GBK text can be valid UTF-8 by chance ("息" is CF A2, read as "Ϣ").

    When the UTF-8 reading has no CJK but the GB18030 reading is all CJK, take the
    GB18030 one: this tool reads Chinese reports. Longer text in one alphabet
    (Latin, Greek, Cyrillic) stays UTF-8, since GBK cannot mimic that by chance.
    """
    head = text[:4096]  # enough to judge, and keeps big files fast
    if head.isascii():
        return text, "utf-8"
    # distinct characters first: a report's head is ASCII and CJK only, and then no counting
    odd = [ch for ch in set(head) if ch > "\x7f" and not ("\u4e00" <= ch <= "\u9fff" or _is_cjk(ch))]
    if not odd:
        return text, "utf-8"
    counts = Counter(head)
    non_ascii = sum(n for ch, n in counts.items() if ch > "\x7f")
    if (non_ascii - sum(counts[ch] for ch in odd)) * 2 >= non_ascii:  # mostly CJK
        return text, "utf-8"
    if non_ascii >= 8 and any(all(lo <= ord(ch) <= hi for ch in counts if ch > "\x7f") for lo, hi in _ALPHABETS):
        return text, "utf-8"
    try:
        gbk = data.decode("gb18030")
    except UnicodeDecodeError:
        return text, "utf-8"
    if all(ch <= "\x7f" or _is_cjk(ch) for ch in set(gbk)):
        return gbk, "gb18030"
    return text, "utf-8"


def _is_cjk(ch: str) -> bool:
    return bisect_right(_CJK_BOUNDS, ord(ch)) % 2 == 1


def _last_resort(data: bytes) -> tuple[str, str]:
    # Imported here: charset_normalizer is slow to import and rarely needed.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("无法识别文本编码 (cannot decode: not UTF-8, UTF-16 or GB18030, nor any other encoding)")
    return str(best), best.encoding

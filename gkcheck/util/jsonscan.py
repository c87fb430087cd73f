"""Read a large JSON document a piece at a time: its top-level members, and one array member an
element at a time, so that memory holds one element, not the document.

The JSON of an audit of 5,000 reports is 250 MB, which json.load turns into about a gigabyte of
Python objects; `gkcheck verify` needs one report at a time.
"""

from __future__ import annotations

import codecs
import json

from gkcheck.util import regex

_SPACE = regex.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
CHUNK = 1 << 20


class _Reader:
    def __init__(self, fh):
        self.fh, self.decoder = fh, codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.pos, self.eof = "", 0, False

    def more(self) -> bool:
        if self.eof:
            return False
        # at least as much as is still buffered: a value that needs many chunks (or a bad one,
        # retried until the end of the file) is decoded O(log n) times, not once per chunk
        chunk = self.fh.read(max(CHUNK, len(self.buf) - self.pos))
        self.eof = not chunk
        self.buf = self.buf[self.pos:] + self.decoder.decode(chunk, final=self.eof)
        self.pos = 0
        return not self.eof or bool(self.buf)

    def peek(self) -> str:
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def take(self, expected: str) -> str:
        found = self.peek()
        if found not in expected or not found:
            raise ValueError(f"应为 {' 或 '.join(expected)}，实际是 {found or '文件结尾'}")
        self.pos += 1
        return found

    def value(self):
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self.more():  # the value goes on in the next chunk
                    continue
                raise
            if end == len(self.buf) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def scan(fh, array_key: str, on_element) -> dict:
    """The top-level members of the JSON object in binary file `fh`, except `array_key`, whose
    elements are handed to on_element(element) one by one in order. ValueError when the document
    is not a JSON object (json.JSONDecodeError, a ValueError, for bad JSON inside)."""
    r = _Reader(fh)
    r.take("{")
    members: dict = {}
    if r.peek() == "}":
        return members
    while True:
        key = r.value()
        if not isinstance(key, str):
            raise ValueError("键应为字符串")
        r.take(":")
        if key == array_key and r.peek() == "[":
            r.take("[")
            if r.peek() == "]":
                r.take("]")
            else:
                while True:
                    on_element(r.value())
                    if r.take(",]") == "]":
                        break
            members[key] = None
        else:
            members[key] = r.value()
        if r.take(",}") == "}":
            break
    if r.peek():
        raise ValueError("JSON 对象之后还有内容")
    return members

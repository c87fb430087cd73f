"""What a streaming batch writer writes to: text, or the UTF-8 bytes of a piece a worker
process spooled, onto a binary file (-o) or a text stream (stdout, io.StringIO)."""

from __future__ import annotations

import io


class Out:
    def __init__(self, target):
        self.target = target
        self.binary = isinstance(target, (io.RawIOBase, io.BufferedIOBase))

    def write(self, data: str | bytes) -> None:
        if isinstance(data, bytes) != self.binary:
            data = data.encode("utf-8") if self.binary else data.decode("utf-8")
        self.target.write(data)

    def flush(self) -> None:
        self.target.flush()


def writable(target) -> Out:
    return target if isinstance(target, Out) else Out(target)

"""Append-only spool files shared by the processes of one batch run."""

from __future__ import annotations

import os


class Spool:
    """Append-only files in one directory, one per writing process; a blob's slot
    (file name, offset, length) can be read by every process of the run.

    With `rotate_at`, a writer starts a new file once its file holds that many bytes, and a
    reader that calls `release_older(slot)` deletes the writer's earlier files: for pieces of
    output, which the parent reads in input order, and a worker writes in input order too (it
    takes chunks of tasks in order), so once the parent reads from a worker's next file it has
    read everything in the earlier ones. The pieces of a 10,000-report JSON audit would
    otherwise fill 500 MB of the temp directory."""

    def __init__(self, directory: str, prefix: str = "reports", rotate_at: int | None = None):
        self.directory, self.prefix, self.rotate_at = directory, prefix, rotate_at
        self.fd, self.name, self.generation, self.readers = None, None, 0, {}

    def write(self, blob: bytes) -> tuple:
        if self.fd is not None and self.rotate_at and os.lseek(self.fd, 0, os.SEEK_END) >= self.rotate_at:
            os.close(self.fd)
            self.fd, self.generation = None, self.generation + 1
        if self.fd is None:
            self.name = f"{self.prefix}-{os.getpid()}-{self.generation}"
            self.fd = os.open(os.path.join(self.directory, self.name), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        offset = os.lseek(self.fd, 0, os.SEEK_END)
        view = memoryview(blob)
        while view:
            view = view[os.write(self.fd, view):]
        return self.name, offset, len(blob)

    def read(self, slot: tuple) -> bytes:
        name, offset, length = slot
        if name not in self.readers:
            self.readers[name] = os.open(os.path.join(self.directory, name), os.O_RDONLY)
        return os.pread(self.readers[name], length, offset)

    def release_older(self, slot: tuple) -> None:
        """Delete the files the same writer filled before the one `slot` is in."""
        prefix, pid, generation = slot[0].rsplit("-", 2)
        for name in [n for n in self.readers if n.rsplit("-", 2)[:2] == [prefix, pid]
                     and int(n.rsplit("-", 1)[1]) < int(generation)]:
            os.close(self.readers.pop(name))
            os.unlink(os.path.join(self.directory, name))

    def close(self) -> None:
        for fd in [self.fd, *self.readers.values()]:
            if fd is not None:
                os.close(fd)
        self.fd, self.readers = None, {}


PIECES_ROTATE_AT = 16 * 2**20

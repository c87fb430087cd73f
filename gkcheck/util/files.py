"""Package data files, read beside the module that owns them.

importlib.resources costs ~30 ms to import on a cold start; gkcheck is installed as plain
files (never zipped), so a path next to __file__ is enough.
"""

from __future__ import annotations

import os
import stat


def read_text(module_file: str, name: str) -> str:
    with open(os.path.join(os.path.dirname(module_file), name), encoding="utf-8") as fh:
        return fh.read()


def is_regular_file(path: str) -> bool:
    """Whether `path` can be read again: a regular file, not a pipe (/dev/fd/63), which gives
    its bytes once and on a second open waits for a writer that never comes."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


_WILLNEED = getattr(os, "POSIX_FADV_WILLNEED", None)  # Linux and most Unixes; not Windows or macOS


def prefetch(path: str, most: int) -> None:
    """Ask the kernel to start reading the first `most` bytes of the file now, in the background,
    so that whoever opens it soon finds it in memory: a batch names the files a few dozen reports
    before a worker reads them, and reports not read lately (a new directory, a network share)
    cost a wait of a disk read each. Only a hint: anything that fails is left to the reader."""
    if _WILLNEED is None or not is_regular_file(path):  # a named pipe is never opened: it gives its bytes once
        return
    try:  # non-blocking: should it have become a pipe since, the open does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError):
        return
    try:
        os.posix_fadvise(fd, 0, most, _WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)

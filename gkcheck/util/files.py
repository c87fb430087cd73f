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

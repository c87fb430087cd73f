"""Package data files, read beside the module that owns them.

importlib.resources costs ~30 ms to import on a cold start; gkcheck is installed as plain
files (never zipped), so a path next to __file__ is enough.
"""

from __future__ import annotations

import os


def read_text(module_file: str, name: str) -> str:
    with open(os.path.join(os.path.dirname(module_file), name), encoding="utf-8") as fh:
        return fh.read()

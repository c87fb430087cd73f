"""A small per-user cache keyed by file content: what passed validation, and its parsed data.

A rule or config file whose exact bytes were validated once under this gkcheck version is
not validated again (no jsonschema import), and a rule file is read back with marshal instead
of being parsed as YAML (marshal needs no import and reads the parsed data fastest; its format
belongs to the Python version, which is therefore part of the cache's path).
GKCHECK_NO_CACHE=1 turns it off; an unwritable home only costs speed.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys

from gkcheck import __version__

try:  # the built-in BLAKE2 module; hashlib would load OpenSSL (~3 ms) on every cold start
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b as _hash


def digest(data: bytes) -> str:
    """A content key for the cache (not a security boundary)."""
    return _hash(data, digest_size=32).hexdigest()


def cache_dir() -> str | None:
    """Where this gkcheck version keeps its cache under this Python, or None when turned off."""
    if os.environ.get("GKCHECK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    python = "py{}{}".format(*sys.version_info[:2])
    return os.path.join(base, "gkcheck", __version__, python)


def write(path: str, data) -> None:
    """Marshal data to path through a temporary file, so a reader never sees half of it."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            os.remove(tmp)


class ContentCache:
    def __init__(self):
        self.dir = cache_dir()

    def _path(self, digest: str) -> str | None:
        return os.path.join(self.dir, f"{digest}.marshal") if self.dir else None

    def valid(self, digest: str) -> bool:
        path = self._path(digest)
        return bool(path) and os.path.exists(path)

    def data(self, digest: str):
        """The parsed content stored with a validated digest, or None."""
        path = self._path(digest)
        if not path:
            return None
        try:
            with open(path, "rb") as fh:
                return marshal.loads(fh.read())  # load(fh) reads item by item: ~20x slower
        except (OSError, ValueError, EOFError, TypeError):  # missing, or not written by us
            return None

    def add(self, digest: str, data=True) -> None:
        path = self._path(digest)
        if path:
            write(path, data)

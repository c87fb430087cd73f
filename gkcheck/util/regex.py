"""Regular expressions compiled once per installation, not once per run.

A cold `gkcheck check` compiles about a hundred patterns (headings, dates, the statement
vocabularies of the rules); re's parser and compiler are a fifth of its time. What they produce
(sre's code list, flags and groups) is kept in the user's cache (util/cache.py), keyed by pattern
and flags, and handed straight to _sre on the next run. An entry is stored only when rebuilding
the pattern from it gives exactly what re.compile gives (patterns compare equal when their
pattern, flags and code are equal), so a Python whose sre differs just compiles as usual. The
number of entries is bounded: patterns come from gkcheck and its rule packs, never from a report.
"""

from __future__ import annotations

import _sre
import atexit
import marshal
import os
import re

try:  # sre internals (Python 3.11+ names); an entry is checked against re.compile before use
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - Python 3.10: compiled as usual, nothing cached
    _compiler = _parser = None

from gkcheck.util.cache import cache_dir, digest, write

MAX_ENTRIES = 4096

_store: dict | None = None  # (pattern, flags) -> the arguments of _sre.compile after the pattern
_path: str | None = None
_loaded = False
_changed = False


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - the name re uses
    """re.compile, from the cache when this pattern was compiled by an earlier run."""
    store = _load()
    if store is None:
        return re.compile(pattern, flags)
    flags = int(flags)
    args = store.get((pattern, flags))
    if args is not None:
        try:
            return _sre.compile(pattern, *args)
        except (TypeError, ValueError, RuntimeError, OverflowError):  # a damaged entry
            del store[(pattern, flags)]
    compiled = re.compile(pattern, flags)
    if len(store) < MAX_ENTRIES:
        args = _arguments(pattern, flags)
        if args is not None and _sre.compile(pattern, *args) == compiled:
            store[(pattern, flags)] = args
            _mark_changed()
    return compiled


def remembered(key: tuple, compute):
    """A marshal-able value derived from a pattern (`key` names both), kept with the compiled
    patterns: it too is worked out once per installation, not once per run."""
    store = _load()
    if store is None:
        return compute()
    if key in store:
        return store[key]
    value = compute()
    if len(store) < MAX_ENTRIES:
        store[key] = value
        _mark_changed()
    return value


def _arguments(pattern: str, flags: int) -> tuple | None:
    """What re._compiler.compile passes to _sre.compile, or None if this Python does it otherwise."""
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are an int subclass
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)
    except Exception:  # noqa: BLE001 - internals of another Python version: no cache, no harm
        return None


def _load() -> dict | None:
    global _store, _path, _loaded
    if not _loaded:
        _loaded = True
        folder = cache_dir()
        if folder:
            _path = os.path.join(folder, f"regex-{getattr(_sre, 'MAGIC', 0)}.marshal")
            _store = _read(_path)
    return _store


def _read(path: str) -> dict:
    """The stored entries; nothing if the file is missing, damaged or not ours (its checksum:
    an entry that still unmarshals after damage could rebuild a pattern that matches otherwise)."""
    try:
        with open(path, "rb") as fh:
            check, payload = marshal.loads(fh.read())  # load(fh) reads item by item: ~20x slower
        if check != digest(payload):
            return {}
        data = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _mark_changed() -> None:
    global _changed
    if not _changed:
        _changed = True
        atexit.register(save)


def save() -> None:
    """Write the cache if this run compiled something new (registered at exit)."""
    global _changed
    if _changed and _path and _store is not None:
        _changed = False
        try:
            payload = marshal.dumps(_store)
        except ValueError:  # pragma: no cover - only marshal-able values are stored
            return
        write(_path, (digest(payload), payload))

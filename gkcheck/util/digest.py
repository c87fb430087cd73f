"""sha256 of bytes and files, for the run record.

hashlib's sha256 (OpenSSL, with the CPU's SHA instructions) is five times faster than Python's
built-in module, but importing it loads OpenSSL (~3 ms). A cold `gkcheck check` hashes one file
and takes the built-in module; a batch worker hashes thousands and asks for `many=True`.
"""

from __future__ import annotations

try:
    from _sha2 import sha256 as _builtin  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256 as _builtin  # Python 3.10, 3.11
    except ImportError:  # pragma: no cover - other Python implementations
        _builtin = None


def _sha256(many: bool):
    if many or _builtin is None:
        from hashlib import sha256

        return sha256
    return _builtin


def sha256_bytes(data: bytes, many: bool = False) -> bytes:
    return _sha256(many)(data).digest()


def sha256_hex(data: bytes, many: bool = False) -> str:
    return _sha256(many)(data).hexdigest()


def file_sha256(path: str, many: bool = False) -> str:
    """Read in pieces: a file refused for its size is hashed too, without holding it whole."""
    h = _sha256(many)()
    with open(path, "rb") as fh:
        while piece := fh.read(1 << 20):
            h.update(piece)
    return h.hexdigest()

"""sha256 of bytes and files, for the run record, without loading OpenSSL.

hashlib imports _hashlib (OpenSSL, ~3 ms) on every cold start; the built-in module gives the
same digest.
"""

from __future__ import annotations

try:
    from _sha2 import sha256 as _sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256 as _sha256  # Python 3.10, 3.11
    except ImportError:  # pragma: no cover - other Python implementations
        from hashlib import sha256 as _sha256


def sha256_bytes(data: bytes) -> bytes:
    return _sha256(data).digest()


def sha256_hex(data: bytes) -> str:
    return _sha256(data).hexdigest()


def file_sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return sha256_hex(fh.read())

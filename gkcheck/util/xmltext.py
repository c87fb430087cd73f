"""Text that XML 1.0 can hold: the control characters it forbids (PDF text brings \f and \v),
U+FFFE/U+FFFF and lone surrogates are taken out. ElementTree and python-docx write such
characters as they are, and no XML parser then reads the file."""

from __future__ import annotations

from gkcheck.util import regex

_XML_ILLEGAL = regex.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text, replacement: str = "") -> str:
    """str(text) without the characters XML 1.0 forbids (each replaced by `replacement`)."""
    return _XML_ILLEGAL.sub(replacement, str(text))

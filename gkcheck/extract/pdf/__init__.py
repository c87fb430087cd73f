"""PDF: characters and ruling lines from pypdfium2 (reader.py), table geometry from the ruling
lines (ruled.py), which only the PDF reader uses."""

from gkcheck.extract.pdf.reader import read_pdf

__all__ = ["read_pdf"]

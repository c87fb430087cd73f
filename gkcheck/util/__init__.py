"""Small helpers every layer may use: package data files (files.py), YAML as gkcheck reads it (yamlio.py),
the limits on what one input may cost (limits.py), CSV cells a spreadsheet will not evaluate (spreadsheet.py)."""

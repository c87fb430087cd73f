"""Small helpers every layer may use: package data files (files.py) and YAML as gkcheck reads it (yamlio.py)."""

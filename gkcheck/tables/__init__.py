"""The standard tables of an annual report (T1 主动公开, T2 依申请, T3 复议诉讼).

Extractors turn a source table into a grid of printed cell texts; this package
identifies the table, maps its labels to canonical keys (catalogue.yaml) and
gives the schema's table dict. Nothing heavy is imported here.
"""

from gkcheck.tables.assemble import collect_tables, harmonise_formats, overlay
from gkcheck.tables.cells import CellValue, parse_cell, parse_number
from gkcheck.tables.labels import Match, clean_text, load_catalogue, match_label
from gkcheck.tables.place import Placement, place, place_grid

__all__ = [
    "CellValue", "Match", "Placement", "clean_text", "collect_tables", "harmonise_formats",
    "load_catalogue", "match_label", "overlay", "parse_cell", "parse_number", "place", "place_grid",
]

"""What one input may cost: the limits, their defaults, options and configuration keys.

A report is untrusted input. Past a limit the input is refused with an InputError (exit 2; in
a batch, an error verdict) that names the limit and the option that raises it. The readers
ask limit(key); the command line (check, audit, extract) and gkcheck.yaml set the values with
configure(), and a batch passes them to its worker processes.
"""

from __future__ import annotations

from gkcheck.errors import InputError


class Limit:
    """One limit (a plain class: this module is imported on every cold start)."""

    __slots__ = ("key", "default", "label", "unit", "about")

    def __init__(self, key: str, default: int, label: str, unit: str, about: str):
        self.key = key          # configuration key (gkcheck.yaml, [tool.gkcheck])
        self.default = default
        self.label = label      # what is limited, in a few words (error messages)
        self.unit = unit
        self.about = about      # what is counted (help texts, docs/security.md)

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")


LIMITS = (
    Limit("max_input_mb", 50, "文件大小", " MB", "一个输入文件的大小"),
    Limit("max_pdf_pages", 300, "PDF 页数", " 页", "一个 PDF 的页数"),
    Limit("max_table_cells", 20000, "表格的单元格数", " 个", "一个表格展开合并单元格后的单元格数"),
    Limit("max_span", 1000, "单元格跨度", "", "一个单元格跨的行数或列数（HTML rowspan/colspan、Word gridSpan）"),
    Limit("max_inflated_mb", 64, "Word 正文解压后的大小", " MB", "Word 文件中正文（word/document.xml）解压后的大小"),
    Limit("max_depth", 100, "嵌套层数", " 层", "嵌套层数：YAML/JSON 的结构、报告的章节、HTML 的元素"),
)
BY_KEY = {lim.key: lim for lim in LIMITS}
DEFAULTS = {lim.key: lim.default for lim in LIMITS}
MB = 2 ** 20
TIMEOUT = 60  # seconds a batch gives each task of a report (reading, checking); 0: no limit

_active = dict(DEFAULTS)


def configure(values: dict | None) -> None:
    """Set the limits of this process (missing or None values: the defaults)."""
    _active.clear()
    _active.update(DEFAULTS)
    _active.update({k: v for k, v in (values or {}).items() if k in BY_KEY and v is not None})


def current() -> dict:
    """The limits in force (for handing to worker processes)."""
    return dict(_active)


def limit(key: str) -> int:
    return _active[key]


def exceeded(key: str, actual=None, file: str | None = None, what: str | None = None) -> InputError:
    """The error for an input past a limit: which limit, by how much (when known), how to raise it."""
    lim = BY_KEY[key]
    if actual is None:
        found = "超过上限"
    else:
        found = "为 " + (f"{actual / MB:.1f}" if lim.unit == " MB" else str(actual)) + lim.unit + "，超过上限"
    what = what or lim.label
    if what[-1:].isascii():
        found = " " + found
    return InputError(f"{what}{found} {_active[key]}{lim.unit}（可用 {lim.option} 或配置项 {key} 调高）",
                      file=file)


def check_span(n: int, attribute: str) -> int:
    """A cell's span (rowspan, colspan, gridSpan …) within max_span."""
    if n > _active["max_span"]:
        raise exceeded("max_span", n, what=f"单元格的 {attribute}")
    return n


def check_table(rows: int, columns: int) -> None:
    """A table's grid (merged cells expanded) within max_table_cells."""
    if rows * columns > _active["max_table_cells"]:
        raise exceeded("max_table_cells", rows * columns, what=f"表格的单元格数（{rows} 行 × {columns} 列）")

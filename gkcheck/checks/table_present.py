"""The standard tables are in the report, with cells; optionally in the format version
expected for the report year.

The version is the table reader's verdict, table["format"]: "2019" or "2021" when the
printed row and column labels match only that format's (e.g. T1 本年制发件数 / 现行有效件数,
T2 （六） split into three rows, for 2021), "unknown" when they fit both or neither. A table
of unknown version is not judged (noted in the evidence); T3 is the same in both formats.
"""

from __future__ import annotations

from gkcheck.checks.tablecells import (
    TABLES,
    axis_keys,
    cell_location,
    col_label,
    table_title,
    usable_table,
)
from gkcheck.result import Outcome

PARAMS = {
    "type": "object",
    "required": ["tables"],
    "additionalProperties": False,
    "properties": {
        "tables": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(TABLES)}},
        "expect_format": {"enum": ["2019", "2021"],
                          "description": "each table present must be in this format (judged by table.format)"},
        "missing": {"enum": ["fail", "skip"],
                    "description": "a missing table fails (default), or is left to a presence rule"},
    },
}

FORMAT_NAMES = {"2019": "2019年版格式（国办公开办函〔2019〕60号）", "2021": "2021年版格式（国办公开办函〔2021〕30号）"}


def compile(params: dict):
    names = params["tables"]
    expected = params.get("expect_format")
    skip_missing = params.get("missing", "fail") == "skip"

    def run(report) -> Outcome:
        missing, present, wrong, unknown = [], [], [], []
        for name in names:
            table, why = usable_table(report, name)
            if table is None:
                missing.append((name, why))
                continue
            present.append({"text": f"{table_title(name)}：{len(table['cells'])} 个单元格",
                            "location": cell_location(table, None)})
            if expected:
                fmt = table.get("format") or "unknown"
                if fmt == "unknown":
                    unknown.append({"text": f"{table_title(name)}的版式未能识别，不作判断",
                                    "location": cell_location(table, None)})
                elif fmt != expected:
                    cols = "、".join(col_label(name, k, None) for k in axis_keys(table, "col"))
                    wrong.append({"text": f"{table_title(name)}按{FORMAT_NAMES[fmt]}填报（列：{cols}），"
                                          f"{report.year} 年度应使用{FORMAT_NAMES[expected]}",
                                  "value": fmt, "location": cell_location(table, None)})
        miss_text = "、".join(table_title(n) for n, _ in missing)
        values = {"missing": miss_text, "wrong": "；".join(w["text"] for w in wrong),
                  "expected": FORMAT_NAMES.get(expected, "")}
        failing = ([] if skip_missing else [{"text": why} for _, why in missing]) + wrong
        if failing:
            return Outcome.failed(failing + unknown, (wrong[0]["location"] if wrong else None), **values)
        if expected and not (len(present) - len(unknown)):
            reason = "没有可判断版式的表格" + (f"（{miss_text}缺失）" if missing else "")
            return Outcome.not_applicable(reason, **values)
        return Outcome.passed(present + unknown, None, **values)

    return run

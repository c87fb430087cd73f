"""Load a structured report (YAML or JSON) and validate it against the report schema.

Errors name the file, the JSON path and, for YAML, the line.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter

import yaml

from gkcheck.errors import InputError
from gkcheck.util import regex
from gkcheck.util.files import read_text
from gkcheck.util.limits import exceeded
from gkcheck.util.yamlio import TreeError, check_tree, load_checked, yaml_line


@lru_cache(maxsize=None)
def report_schema() -> dict:
    return json.loads(read_text(__file__, "schema.json"))


def parse_structured(text: str, path: str, form: str) -> dict:
    # NaN and infinity are valid YAML/JSON numbers but no report prints them. The JSON parser tells
    # when it met NaN / Infinity or a number written large enough to overflow to infinity (1e999),
    # the walk that checks YAML's nesting and aliases tells for YAML.
    if form == "json":
        data = _strict_json(text)
        if data is not None:  # strict JSON: no NaN, infinity or lone surrogate got through
            return _checked(data, path, len(text), None)
    try:
        if form == "json":
            non_finite = []

            def number(word: str) -> float:
                value = float(word)
                if value in _INFINITIES:
                    non_finite.append(word)
                return value

            data = json.loads(text, parse_float=number,
                              parse_constant=lambda word: non_finite.append(word) or float(word))
        else:
            data, non_finite = load_checked(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误: {exc.msg}", file=path, where=f"第{exc.lineno}行第{exc.colno}列") from None
    except RecursionError:  # the parser's own nesting limit (about 1,000): the input's fault
        raise exceeded("max_depth", None, path, what="结构的嵌套层数") from None
    except TreeError as exc:  # too deep, or an alias bomb
        raise InputError(str(exc), file=path) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise InputError("数值无效：整数位数过多（超过 4300 位）", file=path) from None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's own limit (1,000 levels)
            raise exceeded("max_depth", None, path, what="结构的嵌套层数") from None
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else None
        raise InputError(f"YAML 格式错误: {getattr(exc, 'problem', None) or exc}", file=path, where=where) from None
    _checked(data, path, len(text), text if form != "json" else None)
    if non_finite:
        _refuse(data, path, _non_finite, "数值 {} 无效")
    # "\ud800" escapes a lone surrogate, which is no text at all (nothing can print or save it)
    if _SURROGATE_ESCAPE.search(text):
        _refuse(data, path, _lone_surrogate, "文字 {!r} 含有孤立的 Unicode 代理项（\\ud800–\\udfff），不是有效的文本")
    return data


def parse_json_bytes(data: bytes | memoryview, path: str, validate: bool = True) -> dict | None:
    """A strict JSON report read from its UTF-8 bytes, or None when orjson refuses them (a byte
    order mark, another encoding, NaN, a syntax error): parse_structured of the decoded text then
    reads it, or says what is wrong and where. orjson reads UTF-8 itself; decoding first and
    handing it a str costs half as much again. validate=False only for bytes validated before."""
    parsed = _strict_json(data)
    if parsed is None or not validate:
        return parsed
    return _checked(parsed, path, len(data), None)


def _strict_json(text: str | bytes | memoryview):
    """The data by orjson (a third of the standard parser's time), or None when orjson is missing
    or refuses the text: then the standard parser reads it and says what is wrong, and where."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _checked(data, path: str, size: int, yaml_text: str | None) -> dict:
    """The parsed report validated; `size` (of the text) bounds its nodes, a YAML text gives lines."""
    if not isinstance(data, dict):
        kind = "空文件" if data is None else f"顶层是 {type(data).__name__}"
        raise InputError(f"不是结构化年度报告（{kind}，应为映射/对象）", file=path)
    sections = data.get("sections")
    # before validation, which recurses: in the schema only sections nest without bound (YAML's
    # loader has walked its tree already)
    if yaml_text is None and type(sections) is list and any(type(s) is not dict or "sections" in s for s in sections):
        try:
            check_tree(sections, size, 2)
        except TreeError as exc:
            raise InputError(str(exc), file=path) from None
    validate_report(data, path, yaml_text)
    return data


_INFINITIES = (float("inf"), float("-inf"))
_SURROGATE_ESCAPE = regex.compile(r"\\u[dD][89a-fA-F]")


def _non_finite(value) -> bool:
    return isinstance(value, float) and (value != value or value in _INFINITIES)


def _lone_surrogate(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse(data, path: str, bad, message: str, where: str = "$") -> None:
    """InputError at the first value (or key) for which bad() holds, with its JSON path."""
    if bad(data):
        raise InputError(f"不符合报告结构: {message.format(data)}", file=path, where=where)
    if isinstance(data, dict):
        for k, v in data.items():
            _refuse(k, path, bad, message, where)
            _refuse(v, path, bad, message, f"{where}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _refuse(v, path, bad, message, f"{where}[{i}]")


# A cell of the common shape: these keys only, each of a type the schema allows, and a location
# (as extractors write it) of positive integers only. Such a cell is valid by construction
# (tests/test_report_schema.py checks this against the generated validator with hypothesis), so
# tables whose cells are all plain are validated with their cells set aside: a report's 600
# cells cost less than half as much.
PLAIN_CELL_KEYS = frozenset({"row", "col", "kind", "printed", "value", "unit", "row_label", "column_label"})
PLAIN_LOCATION_KEYS = frozenset({"table", "page", "row", "column", "line"})
CELL_KINDS = frozenset({"number", "blank", "dash", "text", "ambiguous"})
_TEXT_OR_NULL = (str, type(None))
_WITH_LOCATION = PLAIN_CELL_KEYS | {"location"}


def _plain_location(loc) -> bool:
    return loc is None or (type(loc) is dict and loc.keys() <= PLAIN_LOCATION_KEYS
                           and all(type(v) is int and v >= 1 for v in loc.values()))


def plain_cell(cell) -> bool:
    if type(cell) is not dict:
        return False
    if not cell.keys() <= PLAIN_CELL_KEYS and not (cell.keys() <= _WITH_LOCATION and _plain_location(cell["location"])):
        return False
    get = cell.get  # written out, not looped: this runs for every cell of every report
    kind, value = get("kind"), get("value")
    return (type(get("row")) is str and type(get("col")) is str and type(kind) is str and kind in CELL_KINDS
            and (value is None or type(value) is int or type(value) is float)
            and type(get("printed")) in _TEXT_OR_NULL and type(get("unit")) in _TEXT_OR_NULL
            and type(get("row_label")) in _TEXT_OR_NULL and type(get("column_label")) in _TEXT_OR_NULL)


_NONE = type(None)
_TEXT_FIELDS = ("printed", "unit", "row_label", "column_label")


def plain_cells(cells: list) -> bool:
    """all(map(plain_cell, cells)), field by field: a pass of map() in C over each field of all
    the cells costs less than a Python call per cell (a report has 600), and says the same
    (tests/test_report_schema.py checks that with hypothesis)."""
    if not cells:
        return True
    columns = _cell_columns(cells)
    if columns is None:
        return False

    def types(*fields: str) -> set:  # a field no cell has reads as None in every cell
        return set(map(type, chain.from_iterable(columns.get(f, _ABSENT) for f in fields)))

    if not (types("row", "col", "kind") <= {str} and set(columns["kind"]) <= CELL_KINDS
            and types("value") <= {_NONE, int, float} and types(*_TEXT_FIELDS) <= {str, _NONE}):
        return False
    located = types("location")
    if not located <= {_NONE, dict}:
        return False
    if dict not in located:
        return True
    locations = list(filter(None, columns["location"]))
    if not set().union(*locations) <= PLAIN_LOCATION_KEYS:
        return False
    numbers = list(chain.from_iterable(map(dict.values, locations)))
    return set(map(type, numbers)) <= {int} and min(numbers, default=1) >= 1


_ABSENT = (None,)


def _cell_columns(cells: list) -> dict | None:
    """field → the cells' values of it (None where a cell lacks it); None when a cell is not a
    dict or has a key no plain cell has. Cells written by one program have the same keys: then
    one itemgetter per cell and a transposition make the columns."""
    if not set(map(type, cells)) <= {dict}:
        return None
    first = cells[0]
    if len(first) > 1 and first.keys() <= _WITH_LOCATION and set(map(len, cells)) == {len(first)}:
        order = tuple(first)
        try:  # each cell has as many keys as the first, and each of them (else KeyError): the same keys
            return dict(zip(order, zip(*map(itemgetter(*order), cells))))
        except KeyError:
            pass
    keys = set().union(*cells)
    if not keys <= _WITH_LOCATION:
        return None
    return {k: list(map(dict.get, cells, repeat(k))) for k in keys}


def _plain_cells_set_aside(data: dict) -> dict:
    """`data` with the cells of every table whose cells are all plain replaced by [] (a copy;
    a table with any other cell keeps its cells, so an error in it is reported in full)."""
    tables = data.get("tables")
    if type(tables) is not dict:
        return data
    lighter = {name: {**t, "cells": []} if type(t) is dict and type(t.get("cells")) is list
               and plain_cells(t["cells"]) else t for name, t in tables.items()}
    return {**data, "tables": lighter}


def validate_report(data: dict, path: str, yaml_text: str | None = None) -> None:
    """Validate against schema.json through the validator fastjsonschema generated from it."""
    from fastjsonschema import JsonSchemaValueException

    from gkcheck.report._report_validator import validate

    try:
        validate(_plain_cells_set_aside(data))
    except JsonSchemaValueException as exc:
        steps = [int(p) if isinstance(p, str) and p.isdigit() else p for p in (exc.path or [])[1:]]
        json_path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in steps)
        where = json_path
        line = yaml_line(yaml_text, steps) if yaml_text else None
        if line:
            where += f" (第{line}行)"
        raise InputError(f"不符合报告结构: {_explain(exc)}", file=path, where=where) from None


_RULES = {
    "type": "类型不对，应为 {definition}",
    "enum": "取值应为以下之一：{definition}",
    "const": "取值应为 {definition}",
    "required": "缺少必填字段 {definition}",
    "additionalProperties": "有不允许的字段",
    "anyOf": "取值不符合任何一种允许的形式（日期应写成 YYYY-MM-DD 且真实存在）",
    "oneOf": "取值不符合任何一种允许的形式",
    "pattern": "格式不对，应匹配 {definition}",
    "format": "格式不对，应为 {definition}",
    "minimum": "数值小于 {definition}",
    "maximum": "数值大于 {definition}",
    "minLength": "不能为空",
}


def _explain(exc) -> str:
    """Chinese first; the validator's own English wording stays in parentheses."""
    english = exc.message.removeprefix(exc.name or "").strip() if exc.message else str(exc)
    template = _RULES.get(exc.rule)
    if template is None:
        return english
    shown = f"（实际：{exc.value!r}）" if exc.rule not in ("required", "additionalProperties") else ""
    return template.format(definition=exc.rule_definition) + shown + f"（{english}）"

"""Configuration: gkcheck.yaml (or [tool.gkcheck] in pyproject.toml) in the working directory
or a parent; command-line options override it. Each effective value remembers its source.

Validated against config_schema.json; errors name the file, the key and the line.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

from gkcheck.errors import UsageError
from gkcheck.util.files import read_text
from gkcheck.util.limits import DEFAULTS as LIMIT_DEFAULTS
from gkcheck.util.limits import TIMEOUT

CONFIG_NAME = "gkcheck.yaml"
DEFAULTS = {"profile": [], "rules_dirs": [], "agency_kind": None, "agency_level": None, "province": None,
            "format": "text", "fail_on": "error", "disable": [], "severity": {}, "waivers": None,
            "baseline": None, "scorecard": None, **LIMIT_DEFAULTS, "timeout": TIMEOUT}
DEFAULT, COMMAND_LINE = "默认", "命令行"
PATH_KEYS = ("waivers", "baseline", "scorecard")


@lru_cache(maxsize=None)
def _schema_text() -> str:
    return read_text(__file__, "config_schema.json")


def config_schema() -> dict:
    import json

    return json.loads(_schema_text())


class Config:
    """The effective settings and where each came from (a plain class: this is on every cold start)."""

    def __init__(self, values: dict, sources: dict, path: str | None = None, text: str = "", kind: str = "yaml",
                 base: str = ".", notes: list | None = None):
        self.values = values
        self.sources = sources
        self.path = path      # the configuration file, as shown to the user
        self.text = text
        self.kind = kind      # yaml | toml
        self.base = base      # directory that relative paths in the file are resolved from
        self.notes = notes if notes is not None else []

    def __getitem__(self, key):
        return self.values[key]

    def where(self, *keypath) -> dict:
        """file / where for a UsageError about a key of the file."""
        return {"file": self.path, "where": _where(keypath, line_of(self.text, self.kind, list(keypath)))}


def _where(keypath, line) -> str:
    key = "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else str(k)) for i, k in enumerate(keypath))
    return f"键 {key or '(顶层)'}" + (f", 第{line}行" if line else "")


def _show_path(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def find_config(start: Path) -> Path | None:
    """gkcheck.yaml, or a pyproject.toml with a [tool.gkcheck] table, nearest to start."""
    for d in (start, *start.parents):
        if (d / CONFIG_NAME).is_file():
            return d / CONFIG_NAME
        pyproject = d / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "[tool.gkcheck" in pyproject.read_text("utf-8"):
                    return pyproject
            except (OSError, UnicodeDecodeError):
                continue
    return None


def _plain(value):
    """YAML/TOML dates become ISO strings (the schema speaks JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def read_data(path: Path, kind: str) -> tuple[object, str]:
    """Parse a YAML or TOML file into plain data; syntax errors name the file and line."""
    name = _show_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(f"无法读取: {exc.strerror}", file=name) from None
    except UnicodeDecodeError:
        raise UsageError("必须是 UTF-8 编码", file=name) from None
    if kind == "toml":
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib
        try:
            data = tomllib.loads(text).get("tool", {}).get("gkcheck", {})
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"TOML 格式错误: {exc}", file=name) from None
        return _plain(data), text
    import yaml

    from gkcheck.util.yamlio import TreeError
    from gkcheck.util.yamlio import load as load_yaml

    try:
        data = load_yaml(text)
    except TreeError as exc:
        raise UsageError(str(exc), file=name) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise UsageError("数值无效：整数位数过多", file=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UsageError(f"YAML 格式错误: {getattr(exc, 'problem', None) or exc}", file=name,
                         where=f"第{mark.line + 1}行" if mark else None) from None
    return _plain(data), text


def validate(data, name: str, text: str, kind: str, definition: str | None = None) -> None:
    """Check data against the config schema (or one of its $defs); cached by content."""
    from gkcheck.util.cache import ContentCache, digest

    # the schema is part of the key: it may change while the version number does not
    key = digest(f"{_schema_text()}\0{definition}\0{kind}\0{text}".encode())
    cache = ContentCache()
    if cache.valid(key):
        return
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    schema = config_schema()
    if definition:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    error = best_match(Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = [k for k in error.instance if k not in (error.schema.get("properties") or {})]
            path += extra[:1]
        raise UsageError(f"配置不符合要求: {schema_message(error)}", file=name,
                         where=_where(path, line_of(text, kind, path)))
    cache.add(key)


# -- validation messages: Chinese first, jsonschema's English in parentheses ------------------------

_TYPE_NAMES = {"string": "字符串", "integer": "整数", "number": "数字", "array": "列表", "object": "映射（键: 值）",
               "boolean": "布尔值（true/false）", "null": "空值（null）"}
_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DETAIL_MAX = 160


def _type_of(value) -> str:
    if value is None:
        return "null"
    for kind, types in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                        ("array", list), ("object", dict)):
        if isinstance(value, types):
            return kind
    return type(value).__name__


def _show(value) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _types(expected) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return "或".join(_TYPE_NAMES.get(n, n) for n in names)


def _alternative(error) -> str | None:
    """What one branch of an anyOf/oneOf wanted, in words (None when it is not simple)."""
    v, expected = error.validator, error.validator_value
    if error.relative_path:
        return None
    if v == "type":
        return _types(expected)
    if v == "enum":
        return "、".join(map(_show, expected)) + " 之一"
    if v == "const":
        return _show(expected)
    if v == "required":
        return "含 " + "、".join(expected) + " 的映射"
    if v == "minLength":
        return "非空字符串"
    if v == "pattern" and expected == _DATE_PATTERN:
        return "YYYY-MM-DD 格式的日期"
    return None


def schema_message(error) -> str:
    """A jsonschema ValidationError in Chinese for the common keywords (type, enum, required,
    additionalProperties, pattern, format, minimum/maximum, …), with jsonschema's own English
    message kept in parentheses."""
    v, expected, inst = error.validator, error.validator_value, error.instance
    if v == "type":
        zh = f"类型不对：应为{_types(expected)}，实际是{_TYPE_NAMES.get(_type_of(inst), _type_of(inst))} {_show(inst)}"
    elif v == "enum":
        zh = f"取值 {_show(inst)} 不允许，应为 {'、'.join(map(_show, expected))} 之一"
    elif v == "const":
        zh = f"取值 {_show(inst)} 不允许，应为 {_show(expected)}"
    elif v == "required":
        missing = [k for k in expected if not isinstance(inst, dict) or k not in inst]
        zh = f"缺少必填的键 {'、'.join(missing or expected)}"
    elif v == "additionalProperties":
        known = list((error.schema or {}).get("properties") or {})
        extra = [str(k) for k in inst if k not in known] if isinstance(inst, dict) else []
        zh = f"不认识的键 {'、'.join(extra)}" if extra else "有不允许的键"
        if known:
            zh += f"，可用的键：{'、'.join(known)}"
    elif v == "pattern":
        zh = (f"{_show(inst)} 不是 YYYY-MM-DD 格式的日期" if expected == _DATE_PATTERN
              else f"{_show(inst)} 的格式不对，应匹配 {expected}")
    elif v == "format":
        zh = f"{_show(inst)} 不是有效的 {expected} 格式"
    elif v in ("minimum", "exclusiveMinimum"):
        zh = f"数值 {_show(inst)} 太小，应{'大于' if v == 'exclusiveMinimum' else '不小于'} {expected}"
    elif v in ("maximum", "exclusiveMaximum"):
        zh = f"数值 {_show(inst)} 太大，应{'小于' if v == 'exclusiveMaximum' else '不大于'} {expected}"
    elif v == "minLength":
        zh = "不能为空" if expected == 1 else f"至少 {expected} 个字符"
    elif v == "maxLength":
        zh = f"最多 {expected} 个字符"
    elif v == "minItems":
        zh = f"至少要有 {expected} 项"
    elif v in ("anyOf", "oneOf"):
        context = error.context or []
        if context and all(e.validator == "required" and not e.relative_path for e in context):
            keys = [k for e in context for k in e.validator_value]
            zh = f"缺少 {' 或 '.join(dict.fromkeys(keys))}，至少要写一个"
        else:
            alts = [a for a in map(_alternative, context) if a]
            zh = ("" if isinstance(inst, (dict, list)) else f"{_show(inst)} ") + "不符合任何一种允许的写法"
            if alts:
                zh += "：应为" + "，或".join(dict.fromkeys(alts))
    else:
        zh = "不符合要求"
    detail = error.message if len(error.message) <= _DETAIL_MAX else error.message[:_DETAIL_MAX - 1] + "…"
    return f"{zh}（{detail}）"


def line_of(text: str, kind: str, keypath: list) -> int | None:
    if not text:
        return None
    if kind == "toml":
        return _toml_line(text, keypath)
    from gkcheck.util.yamlio import yaml_line

    return yaml_line(text, keypath)


def _toml_line(text: str, keypath: list) -> int | None:
    """Best effort: the line of the top-level key inside [tool.gkcheck] (TOML parsers keep no marks)."""
    inside, header = False, None
    key = str(keypath[0]) if keypath else None
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("["):
            inside = line.startswith("[tool.gkcheck")
            if inside and header is None:
                header = i
            if key and line.strip("[]").strip() in (f"tool.gkcheck.{key}",):
                return i
            continue
        if inside and key and line.split("=", 1)[0].strip().strip('"') == key and "=" in line:
            return i
    return header


def _from_file(key: str, value, base: str):
    if key == "profile":
        return [value] if isinstance(value, str) else list(value)
    if key == "rules_dirs":
        return [os.path.normpath(os.path.join(base, p)) for p in value]
    if key in PATH_KEYS and isinstance(value, str):
        return os.path.normpath(os.path.join(base, value))
    return value


def _given(value) -> bool:
    return value not in (None, (), [])


def resolve(cli: dict, config: str | None = None, start: str | None = None) -> Config:
    """Effective settings: command line, else the configuration file, else the default."""
    if config:
        path = Path(config)
        if not path.is_file():
            raise UsageError("配置文件不存在", file=config)
    else:
        path = find_config(Path(start or os.getcwd()).resolve())
    data, text, kind, shown, base = {}, "", "yaml", None, "."
    if path is not None:
        kind = "toml" if path.name == "pyproject.toml" else "yaml"
        shown = _show_path(path)
        base = os.path.dirname(shown) or "."
        data, text = read_data(path, kind)
        if data is None:
            data = {}
        validate(data, shown, text, kind)
    values, sources = {}, {}
    for key, default in DEFAULTS.items():
        if _given(cli.get(key)):
            value = cli[key]
            values[key] = list(value) if isinstance(value, tuple) else value
            sources[key] = COMMAND_LINE
        elif key in data:
            values[key] = _from_file(key, data[key], base)
            sources[key] = f"{shown}: {key}"
        else:
            values[key] = default
            sources[key] = DEFAULT
    return Config(values, sources, shown, text, kind, base)


# -- disabled and re-levelled rules ----------------------------------------------------------------

def rule_settings(ruleset, cfg: Config) -> tuple[dict, dict]:
    """{rule: reason} to disable and {rule: {"from","to","reason"}} to re-level; unknown rules are errors."""
    disabled, levels = {}, {}
    for i, item in enumerate(cfg["disable"]):
        if ruleset.get(item["rule"]) is None:
            raise UsageError(f"没有编号为 {item['rule']} 的规则", **cfg.where("disable", i, "rule"))
        disabled[item["rule"]] = item["reason"]
    for rule_id, spec in cfg["severity"].items():
        rule = ruleset.get(rule_id)
        if rule is None:
            raise UsageError(f"没有编号为 {rule_id} 的规则", **cfg.where("severity", rule_id))
        level, reason = (spec, f"按配置 {cfg.path} 调整") if isinstance(spec, str) else (spec["level"], spec["reason"])
        if level == "error" and not all(b.get("confirmed", True) for b in rule.basis):
            raise UsageError("依据未经核实的规则不能调整为 error", **cfg.where("severity", rule_id))
        levels[rule_id] = {"from": rule.severity, "to": level, "reason": reason}
    return disabled, levels


def adjust_ruleset(ruleset, disabled: dict, levels: dict):
    """A copy of the rule set without the disabled rules and with the new severities."""
    from gkcheck.ruleset.model import RuleSet

    if not disabled and not levels:
        return ruleset
    packs = []
    for pack in ruleset.packs:
        rules = [r._replace(severity=levels[r.id]["to"]) if r.id in levels else r
                 for r in pack.rules if r.id not in disabled]
        packs.append(pack._replace(rules=rules))
    return RuleSet(packs)


def annotate(entries: list[dict], pack_rules: dict, disabled: dict, levels: dict) -> None:
    """Record in each report entry which of its rules were disabled, and why severities changed
    (pack_rules: pack id → the ids of its rules before any was disabled)."""
    for entry in entries:
        ids = [rid for p in entry.get("packs") or [] for rid in pack_rules.get(p["id"], [])]
        entry["disabled"] = [{"rule": rid, "reason": disabled[rid]} for rid in ids if rid in disabled]
        for res in entry.get("results") or []:
            if res["rule"] in levels:
                res["severity_override"] = dict(levels[res["rule"]])


# -- gkcheck config ----------------------------------------------------------------------------------

def _value_text(key: str, value) -> str:
    if value in (None, [], {}):
        return "（无）"
    if key == "disable":
        return "；".join(f"{d['rule']}（{d['reason']}）" for d in value)
    if key == "severity":
        return "；".join(f"{k} → {v if isinstance(v, str) else v['level']}"
                        + ("" if isinstance(v, str) else f"（{v['reason']}）") for k, v in value.items())
    if key == "waivers" and isinstance(value, list):
        return f"{len(value)} 条（写在配置文件中）"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def describe(cfg: Config) -> str:
    lines = [f"配置文件：{cfg.path or '（未找到 gkcheck.yaml 或含 [tool.gkcheck] 的 pyproject.toml）'}"]
    width = max(map(len, cfg.values))
    for key, value in cfg.values.items():
        lines.append(f"{key:<{width}}  {_value_text(key, value)}    ← {cfg.sources[key]}")
    return "\n".join(lines) + "\n"


def as_json(cfg: Config) -> dict:
    return {"file": cfg.path, "values": cfg.values, "sources": cfg.sources}

"""Read rule files, validate them against the rule schema and each kind's parameters, compile them.

Validated files are remembered by content (gkcheck.util.cache), so a cold single check neither
imports jsonschema nor parses YAML for rule files it has seen. Every error names the file,
the rule id, the field and the line.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

from gkcheck.checks import KINDS
from gkcheck.errors import ParamError, RuleError
from gkcheck.ruleset.model import Pack, Rule, RuleSet
from gkcheck.util.cache import ContentCache, digest
from gkcheck.util.files import read_text
from gkcheck.util.yamlio import TreeError, check_tree, yaml_line

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader

__all__ = ["Pack", "Rule", "RuleSet", "builtin_rules_dir", "load_ruleset", "rule_schema"]


def builtin_rules_dir() -> Path:
    """rules/ ships as gkcheck.builtin_rules; in a source tree it is the top-level rules/."""
    from importlib.util import find_spec

    spec = find_spec("gkcheck.builtin_rules")  # a namespace package: rules/ holds only YAML
    if spec and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parents[2] / "rules"


@lru_cache(maxsize=None)
def rule_schema() -> dict:
    import json

    return json.loads(read_text(__file__, "schema.json"))


def rule_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise RuleError("规则目录不存在", file=str(directory))
    return sorted(p for p in directory.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")
                  and "cases" not in p.relative_to(directory).parts)


def load_ruleset(extra_dirs: list[str] | None = None, builtin: bool = True) -> RuleSet:
    files: list[Path] = []
    if builtin:
        files += rule_files(builtin_rules_dir())
    for d in extra_dirs or []:
        files += rule_files(Path(d))
    cache = ContentCache()
    language = _language_fingerprint()
    packs = [load_file(f, cache, language) for f in files]
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise RuleError(f"规则编号重复（已在 {seen[rule.id]} 中定义）", file=rule.file,
                                where=f"规则 {rule.id}")
            seen[rule.id] = rule.file
    return RuleSet(packs)


def _language_fingerprint() -> bytes:
    """What a rule file is validated against: the rule schema and every kind's parameters —
    for built-in kinds, the source of gkcheck/checks (read, not imported)."""
    import gkcheck.checks as checks

    folder = os.path.dirname(checks.__file__)
    parts = [read_text(__file__, "schema.json")]
    for f in sorted(os.listdir(folder)):  # size and time of each source file: cheaper than reading it
        if f.endswith((".py", ".yaml")):
            st = os.stat(os.path.join(folder, f))
            parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
    extra = {k: KINDS[k].PARAMS for k in sorted(KINDS) if k not in checks.BUILTIN}  # registered by others
    if extra:
        import json

        parts.append(json.dumps(extra, sort_keys=True))
    return digest("\0".join(parts).encode()).encode()


def load_file(path: Path, cache: ContentCache | None = None, language: bytes = b"") -> Pack:
    raw = path.read_bytes()
    name = str(path)
    key = digest(language + b"\0" + raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleError("规则文件必须是 UTF-8 编码", file=name) from None
    data = cache.data(key) if cache is not None else None
    if isinstance(data, dict):
        # Validated and compiled cleanly before: each rule compiles on first use.
        return compile_pack(data, name, text, lazy=True)
    try:
        data = yaml.load(text, Loader=SafeLoader)
        check_tree(data, len(text))
    except TreeError as exc:
        raise RuleError(str(exc), file=name) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise RuleError("数值无效：整数位数过多", file=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(f"YAML 格式错误: {getattr(exc, 'problem', exc)}", file=name,
                        where=f"第{mark.line + 1}行" if mark else None) from None
    validate(data, name, text)
    pack = compile_pack(data, name, text)  # a new or changed file: every fault shows now
    if cache is not None:
        cache.add(key, data)
    return pack


def validate(data, name: str, text: str) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(rule_schema()).iter_errors(data))
    if error is not None:
        raise _positioned(error.message, list(error.absolute_path), data, name, text)
    for i, rule in enumerate(data["rules"]):
        kind = rule["check"]["kind"]
        if kind not in KINDS:
            raise _positioned(f"未知的检查类型 '{kind}'（可用：{', '.join(sorted(KINDS))}）",
                              ["rules", i, "check", "kind"], data, name, text)
        params = {k: v for k, v in rule["check"].items() if k != "kind"}
        error = best_match(Draft202012Validator(KINDS[kind].PARAMS).iter_errors(params))
        if error is not None:
            raise _positioned(error.message, ["rules", i, "check", *error.absolute_path], data, name, text)


def _check_years(applies: dict | None, path: list, data, name: str, text: str) -> None:
    years = (applies or {}).get("years") or {}
    if "from" in years and "to" in years and years["from"] > years["to"]:
        raise _positioned(f"年度范围颠倒：from {years['from']} 晚于 to {years['to']}", path + ["years"], data, name, text)


def compile_pack(data: dict, name: str, text: str, lazy: bool = False) -> Pack:
    p = data["pack"]
    _check_years(p.get("applies"), ["pack", "applies"], data, name, text)
    pack = Pack(p["id"], p["title"], p.get("applies") or {}, name, p.get("description", ""), [])
    shared: dict[str, dict] = {}  # equal conditions are one object: the engine asks once per report
    for i, r in enumerate(data["rules"]):
        basis = r["basis"] if isinstance(r["basis"], list) else [r["basis"]]
        if r["severity"] == "error" and not all(b["confirmed"] for b in basis):
            raise _positioned("依据未经核实（confirmed: false）的规则，严重程度只能是 warning 或 info",
                              ["rules", i, "severity"], data, name, text)
        _check_years(r.get("applies"), ["rules", i, "applies"], data, name, text)
        kind = r["check"]["kind"]
        if kind not in KINDS:  # also caught by validate(); a cached file may predate a removed kind
            raise _positioned(f"未知的检查类型 '{kind}'", ["rules", i, "check", "kind"], data, name, text)
        params = {k: v for k, v in r["check"].items() if k != "kind"}
        run = _LazyCheck(kind, params) if lazy else _compile_check(kind, params, i, data, name, text)
        applies = {**pack.applies, **(r.get("applies") or {})}
        if "years" in pack.applies and "years" in (r.get("applies") or {}):
            applies["years"] = {**pack.applies["years"], **r["applies"]["years"]}
        applies = shared.setdefault(repr(applies), applies)  # same conditions written the same way
        pack.rules.append(Rule(
            id=r["id"], title=r["title"], severity=r["severity"], basis=basis, applies=applies,
            kind=kind, params=params, run=run, message=r["message"], pack=pack.id, file=name,
            description=r.get("description", ""),
            title_en=r.get("title_en", ""), pass_message=r.get("pass_message"), own_applies=r.get("applies") or {}))
    return pack


class _LazyCheck:
    """A check compiled when first run (its file compiled cleanly before, per the cache)."""

    def __init__(self, kind: str, params: dict):
        self.kind, self.params, self.run = kind, params, None

    def __call__(self, report):
        if self.run is None:
            self.run = KINDS[self.kind].compile(self.params)
        return self.run(report)


def _compile_check(kind: str, params: dict, i: int, data, name: str, text: str):
    try:
        return KINDS[kind].compile(params)
    except re.error as exc:
        raise _positioned(f"正则表达式错误: {exc} （{exc.pattern!r}）", ["rules", i, "check"],
                          data, name, text) from None
    except ParamError as exc:
        raise _positioned(str(exc), ["rules", i, "check", exc.field], data, name, text) from None
    except ValueError as exc:  # e.g. a date that does not exist
        raise _positioned(f"检查参数错误: {exc}", ["rules", i, "check"], data, name, text) from None


def _positioned(message: str, path: list, data, name: str, text: str) -> RuleError:
    rule_id = None
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            rule_id = data["rules"][path[1]].get("id")
        except (KeyError, IndexError, AttributeError, TypeError):
            rule_id = None
    field = ".".join(str(p) for p in (path[2:] if rule_id or path[:1] == ["rules"] else path)) or "(顶层)"
    where = []
    if path[:1] == ["rules"] and len(path) >= 2:
        where.append(f"规则 {rule_id or '#' + str(path[1] + 1)}")
    where.append(f"字段 {field}")
    line = yaml_line(text, path)
    if line:
        where.append(f"第{line}行")
    return RuleError(message, file=name, where=", ".join(where))

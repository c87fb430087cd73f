"""YAML as gkcheck reads it: dates stay strings, and errors can point at the line of a node."""

from __future__ import annotations

from functools import lru_cache

import yaml

from gkcheck.util.limits import exceeded, limit

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader


class DataLoader(SafeLoader):
    """Safe loading with timestamps kept as written: the schema checks "2017-01-30" itself, and
    an impossible date (2019-02-30) becomes a schema error naming the field, not a crash."""


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class TreeError(ValueError):
    """Data nested past max_depth, or YAML whose aliases expand far beyond the text (an alias bomb)."""


def load(text: str):
    """Safe YAML, refused (TreeError) when nested too deep or made huge by aliases."""
    return load_checked(text)[0]


def load_checked(text: str) -> tuple:
    """load(text), and whether a float in it is NaN or infinite (which no report prints)."""
    data = yaml.load(text, Loader=DataLoader)
    return data, check_tree(data, len(text))


_INFINITIES = (float("inf"), float("-inf"))


def check_tree(value, size: int, depth: int = 1) -> bool:
    """Refuse a value nested deeper than max_depth (the value itself counting `depth`), or with
    more nodes than a text of `size` characters can write out without aliases. Runs before
    anything recursive (schema validation, the checks) sees the value. Tells, while at it,
    whether a float in it is NaN or infinite."""
    most, budget, non_finite = limit("max_depth"), size + 100, False
    stack = [(value, depth)]
    while stack:
        node, d = stack.pop()
        if d > most:
            raise TreeError(exceeded("max_depth", what="结构的嵌套层数").message)
        budget -= 1
        if budget < 0:
            raise TreeError("YAML 别名（&、*）展开后的内容远大于文件本身")
        if type(node) is dict:
            values = node.values()
            non_finite = non_finite or any(type(k) is float and (k != k or k in _INFINITIES) for k in node)
        else:
            values = node if type(node) is list else ()
        for v in values:
            kind = type(v)
            if kind is dict or kind is list:
                stack.append((v, d + 1))
            elif kind is float and (v != v or v in _INFINITIES):
                non_finite = True
    return non_finite


@lru_cache(maxsize=4)
def _composed(text: str):
    try:
        return yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return None


def yaml_line(text: str, path: list) -> int | None:
    """1-based line of the node at `path` (keys and list indexes), or of its nearest ancestor.

    The text is composed again only when an error is reported (or lines are asked for), so loading
    stays fast; the last texts' nodes are kept, so asking for many lines costs one composition.
    """
    node = _composed(text)
    if node is None:
        return None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            nxt = node.value[step]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node.start_mark.line + 1 if node is not None else None

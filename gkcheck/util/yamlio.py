"""YAML as gkcheck reads it: dates stay strings, and errors can point at the line of a node."""

from __future__ import annotations

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader


class DataLoader(SafeLoader):
    """Safe loading with timestamps kept as written: the schema checks "2017-01-30" itself, and
    an impossible date (2019-02-30) becomes a schema error naming the field, not a crash."""


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load(text: str):
    return yaml.load(text, Loader=DataLoader)


def yaml_line(text: str, path: list) -> int | None:
    """1-based line of the node at `path` (keys and list indexes), or of its nearest ancestor.

    The text is composed again only when an error is reported, so loading stays fast.
    """
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
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

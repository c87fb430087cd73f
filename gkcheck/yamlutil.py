"""The line of a node in a YAML text, for error messages that point at the line."""

from __future__ import annotations

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader


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

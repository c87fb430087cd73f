"""The layout's rules, kept by a test: no import loops, and dependencies that point one way.

Every import counts, also the ones inside functions (gkcheck imports lazily for a fast cold
start, and a lazy import is still a dependency). Layers, from the bottom:

    errors, result, util, chinese
    report, tables                      the report model and the table model
    checks                              check kinds (read the model, return outcomes)
    ruleset                             rule packs (compile their checks)
    engine                              run the rules on a report
    extract                             documents → the report model (and tables)
    api                                 read + check, the library entry points
    policy                              config, waivers, baseline, verdicts
    output                              render what it is given: neither policy nor engine
    testing                             the rule-case runner
    batch, cli                          the programs
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "gkcheck"

# component → the components it may import (besides itself and the package root for __version__)
ALLOWED = {
    "errors": set(),
    "result": {"util"},
    "util": {"errors"},
    "chinese": {"util"},
    "report": {"errors", "util", "chinese"},
    "tables": {"util", "chinese"},
    "checks": {"errors", "result", "util", "chinese", "report", "tables"},
    "ruleset": {"errors", "util", "checks"},
    "engine": {"util", "report", "result", "ruleset"},
    "extract": {"errors", "util", "chinese", "report", "tables"},
    "api": {"errors", "util", "report", "extract", "engine"},
    "policy": {"errors", "result", "util", "ruleset", "engine"},
    "output": {"result", "ruleset", "chinese", "util"},
    "testing": {"errors", "util", "report", "extract", "engine", "api"},
    "batch": {"errors", "util", "chinese", "report", "extract", "engine", "api", "ruleset", "policy", "output"},
    "cli": {"errors", "util", "report", "extract", "engine", "api", "ruleset", "policy", "output", "testing", "batch"},
    "__main__": {"cli"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The gkcheck modules `name` imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from gkcheck.x import y` imports gkcheck.x.y when y is a module, else gkcheck.x
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _component(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None  # None: the package root (only __version__)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    scc = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        scc.append(member)
                        if member == node:
                            break
                    if len(scc) > 1:
                        out.append(sorted(scc))
    return out


def test_every_component_is_known():
    unknown = {_component(m) for m in _modules()} - set(ALLOWED) - {None}
    assert not unknown, f"new top-level modules or packages need a place in ALLOWED: {sorted(unknown)}"


def test_no_import_loops():
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _violations(graph):
    for module, targets in sorted(graph.items()):
        own = _component(module)
        for target in sorted(targets):
            other = _component(target)
            if other is None or other == own or own is None:
                continue
            if other not in ALLOWED.get(own, set()):
                yield f"{module} → {target}"


def test_dependencies_point_one_way():
    assert list(_violations(_graph())) == []


def test_a_forbidden_import_is_reported():
    graph = {"gkcheck.output.text": {"gkcheck.policy.waivers"}, "gkcheck.policy.waivers": set()}
    assert list(_violations(graph)) == ["gkcheck.output.text → gkcheck.policy.waivers"]


@pytest.mark.parametrize("low, high", [("report", "extract"), ("output", "policy"), ("output", "engine"),
                                       ("checks", "engine"), ("extract", "checks"), ("tables", "extract")])
def test_layers_named_in_the_issue_stay_apart(low, high):
    assert high not in ALLOWED[low]

"""The ground floor is honest: no module imports from a layer above its own, and no two apps
import each other (directly or around a loop), counting imports written inside functions
(the usual way to hide a cycle) as much as module-level ones.

The layers, lowest first (DESIGN.md "Layers"): the project's configuration and ``core``
(plumbing) at the bottom, then the pure engine, the policy profiles, the audit log, the
registry (``orgs``), jobs (infrastructure every app uses), accounts, notifications, the
capabilities in the order they build on each other, the API and the demo wing (it writes into
every app; only tests and benchmarks import it), and the project's URL configuration on top.
A package may import its own layer's modules and any lower layer.

``KNOWN`` lists the upward imports and cycles that remain, each a debt to pay (#13 point 7);
the test fails on a new one and on a listed one that has gone (so the list only shrinks).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "gongjian"

LAYERS: list[set[str]] = [
    {"settings", "celery", "core"},
    {"matching"},
    {"policies"},
    {"audit"},
    {"orgs"},
    {"jobs"},
    {"accounts"},
    {"notifications"},
    {"rounds"},
    {"records"},
    {"funds"},
    {"members"},
    {"dispatch"},
    {"compliance"},
    {"portal"},
    {"api", "demo"},
    {"urls", "wsgi", "cli", "__init__"},
]
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}

# (importing package, imported package): why it is still there. Pay these off, then delete.
KNOWN: dict[tuple[str, str], str] = {
    ("audit", "orgs"): "the audit log's pages (selectors, views) read the scope; they belong above the registry",
    ("orgs", "jobs"): "the registry's upload pages use jobs.uploads (one upload page, #13 point 4)",
    ("orgs", "rounds"): "orgs.selectors / selectors_joint read live pairings at call time (pages of the registry)",
    ("jobs", "rounds"): "jobs.work names each job kind's function at call time; apps should register theirs",
    ("jobs", "compliance"): "as jobs -> rounds",
    ("jobs", "dispatch"): "as jobs -> rounds",
    ("jobs", "members"): "as jobs -> rounds",
}


def _package_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(package, imported package) -> "module:line" of every import between two packages of
    gongjian, at any depth of the code (module level, functions, TYPE_CHECKING blocks)."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = _package_of(path)
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = (
                    [f"gongjian.{alias.name}" for alias in node.names] if node.module == "gongjian" else [node.module]
                )
            else:
                continue  # relative imports stay inside their package
            for name in names:
                parts = name.split(".")
                if parts[0] == "gongjian" and len(parts) > 1 and parts[1] != source:
                    edges[(source, parts[1])].append(f"{module}:{node.lineno}")
    return edges


def upward(edges: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]]:
    return {pair: where for pair, where in edges.items() if LEVEL[pair[0]] < LEVEL[pair[1]]}


def cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """The groups of packages that reach each other (strongly connected, Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_package_has_a_layer() -> None:
    packages = {_package_of(path) for path in ROOT.glob("*") if path.suffix == ".py" or (path / "__init__.py").exists()}
    assert packages - set(LEVEL) == set(), "put the new package in LAYERS"


def test_the_graph_sees_imports_hidden_in_functions() -> None:
    # the test reads function-level imports, or it would miss the usual way a cycle is hidden
    edges = import_edges()
    assert (
        any(where.startswith("gongjian.jobs.work:") for where in edges.get(("jobs", "rounds"), []))
        or ("jobs", "rounds") not in KNOWN
    )


def test_no_import_runs_upward() -> None:
    found = upward(import_edges())
    new = {pair: where for pair, where in found.items() if pair not in KNOWN}
    assert new == {}, "an import runs from a lower layer to a higher one"
    gone = sorted(pair for pair in KNOWN if pair not in found and LEVEL[pair[0]] < LEVEL[pair[1]])
    assert gone == [], "paid off: remove from KNOWN"


def test_no_cycle_between_packages() -> None:
    # once every import runs downward no cycle is possible; this names a cycle if one appears
    # inside a layer or through a KNOWN upward import
    known = {pair for pair in KNOWN}
    edges = {pair: where for pair, where in import_edges().items() if pair not in known}
    assert cycles(edges) == []

"""The ground floor is honest: no module imports from a layer above its own, and no two apps
import each other (directly or around a loop), counting imports written inside functions
(the usual way to hide a cycle) as much as module-level ones.

The layers, lowest first (DESIGN.md "Layers"): the project's configuration and ``core``
(plumbing) at the bottom, then the pure engine, the policy profiles, the audit log's writer
(``audit``: ``audited``, the chain), the jobs, the registry (``orgs``), the audit log's pages
(``auditlog``: they read the registry's scope), accounts, notifications, the capabilities in
the order they build on each other (joint organizations, ``joint``, right above the rounds:
their pages list their members' pairings), the API and the demo wing (it writes into every
app; only tests and benchmarks import it), and the project's URL configuration on top. A
package may import its own layer's modules and any lower layer.

Why the jobs sit below the registry: they are infrastructure that knows no app. Each app
registers its long work, its imports and its exports from its ``AppConfig.ready`` (its
``jobs.py``: ``jobs.work.register``, ``register_importer``, ``jobs.exports.register_exporter``),
and the registry registers how a job started from a page is filed (the starter's subtree,
``jobs.services.register_filing``). So every app, the registry's upload pages included, may
use the one upload page (``jobs.uploads``) and the jobs import none of them. Likewise the
registry's organization page shows what the rounds know of it (a unit may read a village it is
paired with; an organization's standing pairs) through reads the rounds register with it
(``orgs.selectors.register_page_grant``, ``register_partners``).

``KNOWN`` lists the upward imports and cycles that remain, each a debt to pay (#13 point 7);
the test fails on a new one and on a listed one that has gone (so the list only shrinks).
It is empty: keep it so.
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
    {"jobs"},
    {"orgs"},
    {"auditlog"},
    {"accounts"},
    {"notifications"},
    {"rounds"},
    {"joint"},
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
KNOWN: dict[tuple[str, str], str] = {}


def _package_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def imported_packages(tree: ast.AST, source: str) -> list[tuple[str, int]]:
    """(package of gongjian, line) of every import in ``tree`` (a module of package
    ``source``) that reaches another package, at any depth: module level, functions,
    TYPE_CHECKING blocks."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"gongjian.{alias.name}" for alias in node.names] if node.module == "gongjian" else [node.module]
        else:
            continue  # relative imports stay inside their package
        for name in names:
            parts = name.split(".")
            if parts[0] == "gongjian" and len(parts) > 1 and parts[1] != source:
                found.append((parts[1], node.lineno))
    return found


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(package, imported package) -> "module:line" of every import between two packages of
    gongjian (:func:`imported_packages`)."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = _package_of(path)
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        for target, line in imported_packages(ast.parse(path.read_text("utf-8"), str(path)), source):
            edges[(source, target)].append(f"{module}:{line}")
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
    code = (
        "from typing import TYPE_CHECKING\n"
        "from gongjian.orgs import scope\n"
        "if TYPE_CHECKING:\n"
        "    from gongjian.records.models import Visit\n"
        "def page():\n"
        "    from gongjian.rounds.models import Pairing\n"
        "    import gongjian.funds.services\n"
        "    from gongjian import dispatch\n"
        "    from . import selectors\n"
    )
    found = imported_packages(ast.parse(code), "joint")
    assert found == [("orgs", 2), ("records", 4), ("rounds", 6), ("funds", 7), ("dispatch", 8)]
    # and a function-level import upward would be reported
    edges = {("orgs", target): [f"gongjian.orgs.x:{line}"] for target, line in found}
    assert ("orgs", "rounds") in upward(edges)


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

"""The engine's boundary: outside ``gongjian/matching`` only its public API
(``gongjian.matching.__all__``) is imported; its private modules stay private.

The command's entry point ``gongjian.matching.cli`` is the one module others may name
(``gongjian allocate`` dispatches to it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import gongjian.matching

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "gongjian" / "matching"
ENTRY_POINTS = {"gongjian.matching.cli"}


def _outside_files() -> list[Path]:
    files = []
    for folder in ("gongjian", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if ENGINE in path.parents or (ROOT / "tests" / "matching") in path.parents:
                continue
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            files.append(path)
    return files


def private_imports(path: Path) -> list[str]:
    """The engine's private names a file imports: ``module:line name``."""
    public = set(gongjian.matching.__all__)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("gongjian.matching.") and alias.name not in ENTRY_POINTS:
                    found.append(f"{node.lineno} {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("gongjian.matching.") and node.module not in ENTRY_POINTS:
                found.append(f"{node.lineno} {node.module}")
            elif node.module == "gongjian.matching":
                found += [f"{node.lineno} {a.name}" for a in node.names if a.name not in public]
            elif node.module == "gongjian":
                found += [f"{node.lineno} matching" for a in node.names if a.name == "matching"]
    return found


def test_no_module_outside_the_engine_imports_its_private_modules() -> None:
    leaks = {str(p.relative_to(ROOT)): hits for p in _outside_files() if (hits := private_imports(p))}
    assert leaks == {}


def test_the_check_catches_a_leak(tmp_path: Path) -> None:
    """The check can fail: each way of reaching inside the engine is caught."""
    sample = tmp_path / "leak.py"
    sample.write_text(
        "from gongjian.matching.problem import Problem\n"
        "import gongjian.matching.optimal\n"
        "from gongjian.matching import COMPONENTS, allocate\n"
        "from gongjian import matching\n",
        encoding="utf-8",
    )
    assert private_imports(sample) == [
        "1 gongjian.matching.problem",
        "2 gongjian.matching.optimal",
        "3 COMPONENTS",
        "4 matching",
    ]


def test_every_public_name_exists() -> None:
    for name in gongjian.matching.__all__:
        assert hasattr(gongjian.matching, name), name

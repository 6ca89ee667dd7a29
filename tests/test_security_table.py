"""docs/security.md's table of level-3 items cannot rot (issue 12, Must show): every item the
issue names has a row, every row names at least one test, and every test it names exists
(found by reading the test file's syntax tree, without importing it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")

# The items of the Must show, and the hardening items of the holes.
ITEMS = [
    "Unique IDs",
    "Password rules and expiry",
    "Lockout",
    "Idle timeout",
    "Two factors",
    "三员分立",
    "Least privilege",
    "Record-level access",
    "Audit content",
    "Audit protection and retention",
    "Input validation",
    "Integrity",
    "Confidentiality",
    "Residual data",
    "Backup and restore",
    "Personal information",
    "XSS and CSP",
    "Formula injection",
    "Uploads",
    "Throttling",
    "No 500 under fuzzing",
]


def table_rows(text: str) -> dict[str, str]:
    """The table's rows by item: ``| n | item | how | tests |``."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            rows[cells[1]] = cells[3]
    return rows


def defined_tests(path: Path) -> set[str]:
    """The test functions of a file: module-level and inside test classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
    return {n for n in names if n.startswith("test_")}


def missing_references(text: str) -> list[str]:
    """The references of the text to a test file or a test that does not exist."""
    missing = []
    for file, name in REFERENCE.findall(text):
        path = ROOT / file
        if not path.is_file() or name not in defined_tests(path):
            missing.append(f"{file}::{name}")
    return missing


def test_every_item_has_a_row_that_names_a_test() -> None:
    rows = table_rows(TABLE.read_text(encoding="utf-8"))
    for item in ITEMS:
        found = [cell for title, cell in rows.items() if title.startswith(item)]
        assert found, f"no row for {item}"
        assert REFERENCE.search(found[0]), f"the row for {item} names no test"


def test_every_referenced_test_exists() -> None:
    assert not missing_references(TABLE.read_text(encoding="utf-8"))


def test_a_renamed_or_missing_test_is_caught() -> None:
    """The check itself: a name that is not a test of the file, and a file that is not there."""
    text = (
        "`tests/test_security_table.py::test_every_referenced_test_exists` "
        "`tests/test_security_table.py::test_that_was_renamed` `tests/nowhere.py::test_x`"
    )
    assert missing_references(text) == [
        "tests/test_security_table.py::test_that_was_renamed",
        "tests/nowhere.py::test_x",
    ]

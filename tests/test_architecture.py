"""Layer rules that hold across the whole code base (issue 13).

1. Subtree rules live in one module: no module of ``gongjian/`` outside
   ``gongjian/orgs/scope.py`` spells a path-prefix test on organization paths
   (``path__startswith``, ``….path.startswith(``, ``startswith(….path)``) — it asks
   :class:`gongjian.orgs.scope.Scope` (the user's subtree) or ``under`` / ``subtree`` /
   ``is_within`` (the subtree of a given organization).
2. Views stay thin: a ``views*.py`` module opens no transaction (a write that must be atomic
   is one service) and imports no app's models (it reads through selectors, writes through
   services). The modules that still import models are listed in ``VIEWS_IMPORTING_MODELS``:
   the list may only shrink — a new offender fails, and so does a listed module that no
   longer offends (take it off the list).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gongjian"
SCOPE_MODULES = {PACKAGE / "orgs" / "scope.py"}

# A path-prefix test on an organization (or scope) path. ``request.path`` is a URL.
SUBTREE_PATTERNS = (
    re.compile(r"path__startswith"),
    re.compile(r"(?<!request)(?<!request\.)\bpath\.startswith\("),
    re.compile(r"_path\.startswith\("),
    re.compile(r"\.startswith\([^)]*\bpath\b"),
)
URL_PATH = re.compile(r"request\.(get_full_)?path")

# Views that import models (23 on 2026-12-04, issue 13; 24 before members/views_pairs.py
# lost its own; 11 once rounds, dispatch, portal and orgs/views.py read through selectors
# and name their vocabulary from ``choices``; none once members, records, funds, compliance,
# accounts, jobs and joint organizations do too): the list may only stay empty.
VIEWS_IMPORTING_MODELS: frozenset[str] = frozenset()


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def subtree_offences(text: str) -> list[tuple[int, str]]:
    """Lines of ``text`` that spell a path-prefix test (comments and docstrings included:
    an example there is copied sooner or later)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code = URL_PATH.sub("", line)
        if any(p.search(code) for p in SUBTREE_PATTERNS):
            found.append((number, line.strip()))
    return found


def _imports_models(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gongjian."):
            parts = node.module.split(".")
            if "models" in parts[2:] or any(alias.name == "models" for alias in node.names):
                return True
        if isinstance(node, ast.Import) and any(
            a.name.startswith("gongjian.") and "models" in a.name.split(".")[2:] for a in node.names
        ):
            return True
    return False


def _opens_transaction(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "django.db"
            and any(a.name == "transaction" for a in node.names)
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "atomic":
            return True
    return False


def _views() -> list[Path]:
    return [p for p in _sources() if p.name.startswith("views") and p.suffix == ".py"]


def test_subtree_rules_only_in_the_scope_module() -> None:
    offenders = {
        f"{_rel(path)}:{number}: {line}"
        for path in _sources()
        if path not in SCOPE_MODULES
        for number, line in subtree_offences(path.read_text(encoding="utf-8"))
    }
    assert not offenders, "ask gongjian.orgs.scope (Scope, under, subtree, is_within):\n" + "\n".join(sorted(offenders))


def test_views_open_no_transaction() -> None:
    offenders = [_rel(p) for p in _views() if _opens_transaction(ast.parse(p.read_text(encoding="utf-8")))]
    assert not offenders, "move the atomic write into a service: " + ", ".join(offenders)


def test_views_import_no_models_beyond_the_shrinking_list() -> None:
    importing = {_rel(p) for p in _views() if _imports_models(ast.parse(p.read_text(encoding="utf-8")))}
    new = importing - VIEWS_IMPORTING_MODELS
    fixed = VIEWS_IMPORTING_MODELS - importing
    assert not new, "views read through selectors and write through services, not models: " + ", ".join(sorted(new))
    assert not fixed, "no longer imports models — take it off VIEWS_IMPORTING_MODELS: " + ", ".join(sorted(fixed))


def _export_rows_written_by_hand(tree: ast.AST) -> list[int]:
    """Lines calling ``audit_event`` with an action naming an export (a string or f-string)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_event":
            first = node.args[0] if node.args else None
            words = (
                first.value
                if isinstance(first, ast.Constant) and isinstance(first.value, str)
                else "".join(v.value for v in first.values if isinstance(v, ast.Constant))
                if isinstance(first, ast.JoinedStr)
                else ""
            )
            if "export" in words:
                lines.append(node.lineno)
    return lines


def test_export_audit_rows_are_written_in_one_place() -> None:
    """Every export's audit row through ``audit.services.export_recorded``, called by the module
    that builds the file — never by a view (#13 point 4)."""
    by_hand = [
        f"{_rel(p)}:{n}" for p in _sources() for n in _export_rows_written_by_hand(ast.parse(p.read_text("utf-8")))
    ]
    assert not by_hand, "record exports with gongjian.audit.services.export_recorded: " + ", ".join(by_hand)
    in_views = [_rel(p) for p in _views() if "export_recorded" in p.read_text("utf-8")]
    assert not in_views, "the export module records the export, not the view: " + ", ".join(in_views)
    assert _export_rows_written_by_hand(ast.parse('audit_event(f"dispatch.{sheet}.export", actor=user)')) == [1]


def test_the_checks_catch_what_they_forbid() -> None:
    """The detectors themselves: each forbidden spelling is caught, a URL path is not."""
    caught = [
        'Pairing.objects.filter(unit__path__startswith="/1/")',
        "Q(**{f'{prefix}village__path__startswith': path})",
        "return organization.path.startswith(path)",
        "return scope_path.startswith(root.path)",
        "if committee.path.startswith(round_.scope.path):",
        "AuditEntry.objects.filter(scope_path__startswith=path)",
    ]
    for line in caught:
        assert subtree_offences(line), line
    assert not subtree_offences('if request.path.startswith("/api/"):')
    assert not subtree_offences('if data.startswith(b"\\xef\\xbb\\xbf"):')
    assert _imports_models(ast.parse("from gongjian.rounds.models import Round"))
    assert _imports_models(ast.parse("from gongjian.members import models"))
    assert _imports_models(ast.parse("from gongjian.members.models.pairs import CadrePair"))
    assert not _imports_models(ast.parse("from gongjian.rounds import selectors"))
    assert _opens_transaction(ast.parse("from django.db import transaction"))
    assert _opens_transaction(ast.parse("with transaction.atomic():\n    pass"))

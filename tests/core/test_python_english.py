"""Every Chinese message of the Python code has its English: each gettext, gettext_lazy,
_, pgettext and ngettext call of gongjian/ with a literal message (what makemessages
extracts) is looked up in English, as a page or the API shows it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import gongjian
from tests.core.test_template_english import Message, english

PACKAGE = Path(gongjian.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
# function name -> (index of the context, index of the msgid, index of the plural)
CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def messages() -> dict[Message, list[str]]:
    """The Chinese messages of gongjian/**/*.py (migrations aside), with where they are."""
    found: dict[Message, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in CALLS:
                continue
            context_at, msgid_at, plural_at = CALLS[name]
            args = [_literal(a) for a in node.args]
            if len(args) <= max(i for i in (context_at, msgid_at, plural_at) if i is not None):
                continue
            msgid = args[msgid_at]
            context = args[context_at] if context_at is not None else None
            plural = args[plural_at] if plural_at is not None else None
            if msgid is None or not CJK.search(msgid) or (context_at is not None and context is None):
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            found.setdefault((context, msgid, plural), []).append(where)
    return found


MESSAGES = messages()


def test_the_code_is_read() -> None:
    """The walk finds the code's messages (a walk that finds nothing passes all)."""
    assert len(MESSAGES) > 1500
    assert (None, "结对帮扶方案已保存", None) in MESSAGES


def area(place: str) -> str:
    """The app of a place ("gongjian/rounds/views.py:12" is in rounds), or the package."""
    parts = place.split(":")[0].split("/")
    return parts[1] if len(parts) > 2 else "gongjian"


AREAS = sorted({area(place) for places in MESSAGES.values() for place in places})


@pytest.mark.parametrize("app", AREAS)
def test_every_message_of_the_code_has_english(app: str) -> None:
    missing = [
        (msgid, places[0])
        for (context, msgid, plural), places in MESSAGES.items()
        if any(area(place) == app for place in places)
        and any(CJK.search(text) for text in english((context, msgid, plural)))
    ]
    assert missing == []

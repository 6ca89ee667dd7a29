"""Every word a page puts on screen has its English (the browser walk found pages half
Chinese in English): each {% translate %}, {% blocktranslate %} and _("…") of every
template is looked up in English, as makemessages extracts it (Django's own templatize)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from django.utils.translation.template import templatize

import gongjian

PACKAGE = Path(gongjian.__file__).parent
TEMPLATES = PACKAGE / "templates"
# the project's templates and the apps' own (gongjian/<app>/templates)
PAGES = sorted(
    str(path.relative_to(PACKAGE)) for path in [*TEMPLATES.rglob("*.html"), *PACKAGE.glob("*/templates/**/*.html")]
)
CJK = re.compile(r"[\u4e00-\u9fff]")
LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
CALL = re.compile(rf"(?<![\w.])(_|gettext|pgettext|ngettext|npgettext)\(((?:{LITERAL}(?:, )?)+)(?:, count)?\)")

Message = tuple[str | None, str, str | None]  # context, msgid, plural


def words(template: str) -> list[Message]:
    """The messages of ``template`` (a path under gongjian/), as makemessages writes them:
    templatize turns the template into the gettext calls that xgettext reads."""
    found: list[Message] = []
    for name, args in CALL.findall(templatize((PACKAGE / template).read_text())):
        strings = [ast.literal_eval(s) for s in re.findall(LITERAL, args)]
        if name == "_":  # _("…") in a tag: the template escapes % when it looks it up
            found.append((None, strings[0].replace("%", "%%"), None))
        elif name == "gettext":
            found.append((None, strings[0], None))
        elif name == "pgettext":
            found.append((strings[0], strings[1], None))
        elif name == "ngettext":
            found.append((None, strings[0], strings[1]))
        else:
            found.append((strings[0], strings[1], strings[2]))
    return found


def english(message: Message) -> list[str]:
    """``message`` in English: both forms of a plural."""
    context, msgid, plural = message
    with translation.override("en"):
        if plural is None:
            return [pgettext(context, msgid) if context else gettext(msgid)]
        if context:
            return [npgettext(context, msgid, plural, n) for n in (1, 2)]
        return [ngettext(msgid, plural, n) for n in (1, 2)]


def test_the_pages_are_read() -> None:
    """The extraction finds the pages' words (an extractor that finds nothing passes all)."""
    assert len(PAGES) > 150
    assert {"templates/rounds/unit_plans.html", "jobs/templates/jobs/job_list.html"} <= set(PAGES)
    found = [message for page in PAGES for message in words(page)]
    assert len(found) > 2000
    assert (None, "%(covered)s / %(total)s 个乡镇党委已有结对单位（%(pct)s%%）。", None) in found
    assert any(context for context, _msgid, _plural in found)
    assert any(plural for _context, _msgid, plural in found)


@pytest.mark.parametrize("template", PAGES)
def test_every_word_of_the_page_has_english(template: str) -> None:
    missing = [message for message in words(template) if any(CJK.search(text) for text in english(message))]
    assert missing == []

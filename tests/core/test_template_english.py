"""Every word the seed-004 pages put on screen has its English (the browser walk found the
adjustments, village duties and members' reports pages half Chinese in English): each
{% translate %} and {% blocktranslate %} of these templates is looked up in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

import gongjian

TEMPLATES = Path(gongjian.__file__).parent / "templates"
PAGES = [
    "rounds/adjustments.html",
    "rounds/pairing_replace.html",
    "records/village_duties.html",
    "records/member_reports.html",
]
SIMPLE = re.compile(r'{% translate "([^"]+)"|_\("([^"]+)"\)')
BLOCK = re.compile(r"{% blocktranslate(?: [^%]*)? %}(.*?){% (?:plural|endblocktranslate) %}", re.S)


def words(template: str) -> list[str]:
    """The msgids of ``template``, as makemessages would write them."""
    text = (TEMPLATES / template).read_text()
    found = [a or b for a, b in SIMPLE.findall(text)]
    found += [re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", block) for block in BLOCK.findall(text)]
    return found


@pytest.mark.parametrize("template", PAGES)
def test_every_word_of_the_page_has_english(template: str) -> None:
    assert words(template)
    with translation.override("en"):
        missing = [w for w in words(template) if re.search(r"[\u4e00-\u9fff]", gettext(w))]
    assert missing == []

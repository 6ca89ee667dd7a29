"""The joint appraisal's figures are tiles (the browser walk found the <dl class="figures">
with no rule at all: six numbers stacked and indented as a bare definition list)."""

from __future__ import annotations

import re
from pathlib import Path

import gongjian

PACKAGE = Path(gongjian.__file__).parent


def test_the_figures_class_of_the_joint_table_has_a_style() -> None:
    template = (PACKAGE / "templates/compliance/_joint_table.html").read_text()
    assert '<dl class="figures"' in template
    css = (PACKAGE / "compliance/static/compliance/compliance.css").read_text()
    assert re.search(r"^\.figures \{[^}]*display: flex", css, re.M)
    assert re.search(r"^\.figures dd \{[^}]*margin: 0", css, re.M)


def test_the_share_of_villages_that_met_every_duty_reads_in_the_readers_language() -> None:
    from django.template import Context, Template
    from django.utils import translation

    source = (PACKAGE / "templates/compliance/_joint_table.html").read_text()
    assert '{% blocktranslate with share=joint.all_met_percent|floatformat:"-2" %}（{{ share }}%）' in source
    template = Template('{% load i18n %}{% blocktranslate with share="62.5" %}（{{ share }}%）{% endblocktranslate %}')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "（62.5%）"
    with translation.override("en"):
        assert template.render(Context()) == " (62.5%)"  # no full-width brackets in English

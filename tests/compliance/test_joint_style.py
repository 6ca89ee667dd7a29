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

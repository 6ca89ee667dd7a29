"""``{% practices_summary pairing %}``: the pair's 五个一, commitments and public evaluation,
one line of links on its archive page (the pairing comes from a scoped selector)."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.records.selectors_practices import practices_summary as summary_of
from gongjian.rounds.models import Pairing

register = template.Library()


@register.inclusion_tag("records/_practices_summary.html")
def practices_summary(pairing: Pairing) -> dict[str, Any]:
    return {"pairing": pairing, "summary": summary_of(pairing)}

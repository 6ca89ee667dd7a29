"""``{% practices_summary pairing %}``: the pair's 五个一, commitments and public evaluation,
one line of links on its archive page (the pairing comes from a scoped selector)."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.policies import load_profile
from gongjian.records.selectors_practices import practices_summary as summary_of
from gongjian.rounds.models import Pairing

register = template.Library()


@register.inclusion_tag("records/_practices_summary.html")
def practices_summary(pairing: Pairing) -> dict[str, Any]:
    # The survey's link only where the pair's profile has a public evaluation (seed 002).
    surveyed = load_profile(pairing.round.policy_key).public_evaluation is not None
    return {"pairing": pairing, "summary": summary_of(pairing), "surveyed": surveyed}

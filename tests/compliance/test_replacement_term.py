"""A replacement made in a dynamic adjustment (seed 004 doc 2 二、1) owes from the day it was
made: a pair that takes a village over in the autumn does not answer for the visits, cards and
duties of the months before it existed. The round's other pairs keep the round's term."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongjian.compliance.facts import signed_pairs
from gongjian.rounds.models import Pairing, PairingAdjustment, PairingStatus, Round
from gongjian.rounds.services_adjustment import pairing_replace
from tests.conftest import Cast
from tests.rounds.seed_rounds import close_schedule, pair, profile_round

pytestmark = pytest.mark.django_db


def test_a_replacement_owes_from_the_day_it_was_made(cast: Cast) -> None:
    round_ = profile_round(cast, "anhui")  # a profile with dynamic adjustment
    made_on = timezone.localdate() - datetime.timedelta(days=30)
    began = made_on - datetime.timedelta(days=200)
    Round.objects.filter(pk=round_.pk).update(term_start=began, term_end=began + datetime.timedelta(days=3 * 365))
    old = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    kept = pair(round_, cast.unit, cast.other_village, PairingStatus.SIGNED)
    close_schedule(round_)
    adjustment = pairing_replace(actor=cast.city_admin, pairing=old, new_unit=cast.sibling_unit, reason="共建效果不好")
    Pairing.objects.filter(pk=adjustment.new_pairing_id).update(status=PairingStatus.SIGNED)
    at_nine = datetime.datetime.combine(made_on, datetime.time(9), tzinfo=timezone.get_current_timezone())
    PairingAdjustment.objects.filter(pk=adjustment.pk).update(created_at=at_nine)

    rows = {row.pairing_id: row for row in signed_pairs(Pairing.objects.filter(round=round_))}

    assert set(rows) == {adjustment.new_pairing_id, kept.pk}  # the replaced pair ended
    assert rows[adjustment.new_pairing_id].term_start == made_on
    assert rows[kept.pk].term_start == began
    ends = began + datetime.timedelta(days=3 * 365)
    assert rows[adjustment.new_pairing_id].term_end == rows[kept.pk].term_end == ends

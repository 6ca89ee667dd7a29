"""Issue 16 point 8 — the monthly performance card as seed 000 states it: "工作实绩卡由各单位党组织
每月将联村工作记录，经所联村党组织签注意见，报上级党委".

Read by hand: the village countersigns by writing its comment (签注意见) on the card — a
countersignature without a comment is not one; the countersigned card goes to the unit's
superior committee, which receives and acknowledges it (an administrator above the unit,
not the unit, not the village, not an outsider).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.audit.models import AuditEntry
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import PerformanceCard
from gongjian.records.services_cards import performance_card_countersign, performance_card_save
from gongjian.rounds.models import Pairing
from tests.conftest import Cast

LAST_YEAR = datetime.date.today().year - 1


def _submitted(cast: Cast, signed: Pairing) -> PerformanceCard:
    return performance_card_save(
        actor=cast.unit_user,
        pairing=signed,
        month=datetime.date(LAST_YEAR, 3, 1),
        work="走访农户，落实项目",
        submit=True,
    )


def test_the_village_countersigns_with_its_comment(cast: Cast, signed: Pairing) -> None:
    card = _submitted(cast, signed)
    with pytest.raises((ValidationError, RecordActionRefused)):
        performance_card_countersign(actor=cast.village_user, card=card, comment="  ")
    card.refresh_from_db()
    assert card.status == "submitted"
    card = performance_card_countersign(actor=cast.village_user, card=card, comment="情况属实，群众满意")
    card.refresh_from_db()
    assert card.status == "countersigned" and card.village_comment == "情况属实，群众满意"
    entry = AuditEntry.objects.filter(action="performance_card.countersign", success=True).latest("pk")
    assert entry.after["village_comment"] == "情况属实，群众满意"


def test_the_superior_committee_receives_and_acknowledges_countersigned_cards(cast: Cast, signed: Pairing) -> None:
    from gongjian.records.selectors_cards import cards_to_acknowledge
    from gongjian.records.services_cards import performance_card_acknowledge

    card = _submitted(cast, signed)
    # Not countersigned yet: nothing reaches the committee, nothing to acknowledge.
    assert list(cards_to_acknowledge(user=cast.committee_admin)) == []
    with pytest.raises(RecordActionRefused):
        performance_card_acknowledge(actor=cast.committee_admin, card=card)
    card = performance_card_countersign(actor=cast.village_user, card=card, comment="情况属实")
    assert [c.pk for c in cards_to_acknowledge(user=cast.committee_admin)] == [card.pk]
    # Neither side of the pair, nor another county's admin, nor an outsider acknowledges it.
    for user in (cast.unit_user, cast.village_user, cast.sibling_admin, cast.outsider):
        assert list(cards_to_acknowledge(user=user)) == []
        with pytest.raises((PermissionDenied, RecordActionRefused)):
            performance_card_acknowledge(actor=user, card=card)
    card = performance_card_acknowledge(actor=cast.committee_admin, card=card)
    card.refresh_from_db()
    assert card.acknowledged_by == cast.committee_admin and card.acknowledged_at is not None
    assert list(cards_to_acknowledge(user=cast.committee_admin)) == []
    with pytest.raises(RecordActionRefused):
        performance_card_acknowledge(actor=cast.committee_admin, card=card)  # once
    assert AuditEntry.objects.filter(action="performance_card.acknowledge", success=True).count() == 1
    assert AuditEntry.objects.filter(action="performance_card.acknowledge", success=False).count() == 6

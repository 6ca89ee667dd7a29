"""Every event that waits for someone's action notifies exactly them, once; the next step
of the work settles (marks done) the notification of the step before."""

from __future__ import annotations

import datetime

import pytest

from gongjian.members.services_reports import query_answer, query_ask
from gongjian.notifications.models import Event, Notification
from gongjian.notifications.services import notify
from gongjian.records.services_cards import (
    feedback_answer,
    feedback_close,
    feedback_enter,
    performance_card_acknowledge,
    performance_card_countersign,
    performance_card_return,
    performance_card_save,
)
from gongjian.rounds.models import Pairing, PairingStatus
from gongjian.rounds.services_agreement import agreement_generate, agreement_sign
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_pairing import pairing_confirm, pairing_decline_renewal, pairing_end
from tests.conftest import Cast
from tests.notifications.conftest import about
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.django_db
THIS_MONTH = datetime.date.today().replace(day=1)


def addressees(rows: list[Notification]) -> list[int]:
    return sorted(n.organization_id for n in rows)


def test_a_submitted_card_asks_the_village_once_and_the_countersignature_settles_it(
    cast: Cast, signed: Pairing
) -> None:
    draft = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=False)
    assert about(draft) == []  # a draft waits for nobody
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访2次", submit=True)
    [asked] = about(card)
    assert (asked.event, asked.organization_id, asked.user_id) == (Event.CARD_COUNTERSIGN, cast.village.pk, None)
    assert "商南县农业农村局机关党委" in asked.title and "请签注意见并会签" in asked.title
    assert asked.url == f"/records/cards/{card.pk}/" and asked.done_at is None

    # The same event again (a retried request): nothing new.
    assert notify(event=Event.CARD_COUNTERSIGN, object=card, occasion=str(card.submitted_at)) == []
    assert len(about(card)) == 1

    performance_card_countersign(actor=cast.village_user, card=card, comment="情况属实")
    asked.refresh_from_db()
    assert asked.done_at is not None
    # Next: the unit's superior committee (商南县委, the county) acknowledges it.
    [acknowledge] = about(card, Event.CARD_ACKNOWLEDGE)
    assert acknowledge.organization_id == cast.county.pk
    # a unit helping two villages sends two cards a month: the title names the village
    assert card.pairing.village.name in acknowledge.title and card.pairing.unit.name in acknowledge.title
    performance_card_acknowledge(actor=cast.committee_admin, card=card)
    acknowledge.refresh_from_db()
    assert acknowledge.done_at is not None
    assert Notification.objects.filter(organization__in=[cast.sibling_county, cast.other_city]).count() == 0


def test_a_returned_card_tells_the_unit_and_a_second_submission_asks_again(cast: Cast, signed: Pairing) -> None:
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    performance_card_return(actor=cast.village_user, card=card, comment="请补充走访人员")
    [returned] = about(card, Event.CARD_RETURNED)
    assert returned.organization_id == cast.unit.pk and "退回" in returned.title
    assert about(card, Event.CARD_COUNTERSIGN)[0].done_at is not None

    again = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访王芳", submit=True)
    returned.refresh_from_db()
    assert returned.done_at is not None  # the unit did what was asked
    asks = about(again, Event.CARD_COUNTERSIGN)
    assert len(asks) == 2 and asks[1].done_at is None  # a new submission is a new request


def test_feedback_card_answer_then_close(cast: Cast, signed: Pairing) -> None:
    card = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="王大爷", opinion="修路")
    [ask] = about(card)
    assert (ask.event, ask.organization_id) == (Event.FEEDBACK_ANSWER, cast.unit.pk)
    feedback_answer(actor=cast.unit_user, card=card, answer="已联系交通局")
    [close] = about(card, Event.FEEDBACK_CLOSE)
    assert close.organization_id == cast.village.pk
    ask.refresh_from_db()
    assert ask.done_at is not None
    feedback_close(actor=cast.village_user, card=card)
    close.refresh_from_db()
    assert close.done_at is not None
    assert len(about(card)) == 2


def test_pairings_to_confirm_then_agreements_to_sign(cast: Cast) -> None:
    round_ = make_round(cast)
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)
    asks = about(pairing, Event.PAIRING_CONFIRM)
    assert addressees(asks) == sorted([cast.unit.pk, cast.village.pk])
    everyone = set(Notification.objects.values_list("organization_id", flat=True))
    published = Pairing.objects.filter(round=round_)
    assert everyone == set(published.values_list("unit_id", flat=True)) | set(
        published.values_list("village_id", flat=True)
    )  # only the sides of published pairs; no committee, no outsider

    pairing = pairing_confirm(actor=cast.unit_user, pairing=pairing)
    by_org = {n.organization_id: n for n in about(pairing, Event.PAIRING_CONFIRM)}
    assert by_org[cast.unit.pk].done_at is not None and by_org[cast.village.pk].done_at is None
    assert about(pairing, Event.AGREEMENT_SIGN) == []  # not yet confirmed by both

    pairing = pairing_confirm(actor=cast.village_user, pairing=pairing)
    assert all(n.done_at is not None for n in about(pairing, Event.PAIRING_CONFIRM))
    signs = about(pairing, Event.AGREEMENT_SIGN)
    assert addressees(signs) == sorted([cast.unit.pk, cast.village.pk])

    agreement_generate(actor=cast.unit_user, pairing=pairing)
    agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name="李建国", signer_post="党委书记")
    by_org = {n.organization_id: n for n in about(pairing, Event.AGREEMENT_SIGN)}
    assert by_org[cast.unit.pk].done_at is not None and by_org[cast.village.pk].done_at is None
    agreement_sign(actor=cast.village_user, pairing=pairing, signer_name="张秀英", signer_post="党支部书记")
    assert all(n.done_at is not None for n in about(pairing, Event.AGREEMENT_SIGN))


def test_renewal_offers_ask_both_sides_and_a_decline_tells_both(cast: Cast, signed: Pairing) -> None:
    new_round = make_round(cast, previous_round=signed.round)
    offer = Pairing.objects.get(round=new_round, unit=cast.unit, village=cast.village, origin="renewal")
    asks = about(offer, Event.RENEWAL_ANSWER)
    assert addressees(asks) == sorted([cast.unit.pk, cast.village.pk]) and about(offer, Event.PAIRING_CONFIRM) == []
    assert "续签" in asks[0].title
    pairing_decline_renewal(actor=cast.village_user, pairing=offer)
    assert all(n.done_at is not None for n in about(offer, Event.RENEWAL_ANSWER))
    told = about(offer, Event.PAIR_ADJUSTED)
    assert addressees(told) == sorted([cast.unit.pk, cast.village.pk]) and told[0].title == "结对不续签"


def test_an_adjustment_tells_both_sides_once(cast: Cast, signed: Pairing) -> None:
    pairing_end(actor=cast.city_admin, pairing=signed, reason="长期未开展活动")
    told = about(signed, Event.PAIR_ADJUSTED)
    assert addressees(told) == sorted([cast.unit.pk, cast.village.pk])
    assert "长期未开展活动" in told[0].body
    assert Pairing.objects.get(pk=signed.pk).status == PairingStatus.ENDED


def test_donor_feedback_is_read_by_the_unit(cast: Cast, signed: Pairing) -> None:
    from gongjian.funds.services_disclosure import feedback_mark_read, feedback_send

    feedback = feedback_send(actor=cast.village_user, pairing=signed, body="资金用于修建茶园道路")
    [ask] = about(feedback)
    assert (ask.event, ask.organization_id) == (Event.DONOR_FEEDBACK, cast.unit.pk)
    feedback_mark_read(actor=cast.unit_user, feedback=feedback)
    ask.refresh_from_db()
    assert ask.done_at is not None


def test_a_host_query_asks_the_origin(cast: Cast) -> None:
    from gongjian.members.services_mobile import member_register
    from tests.members.conftest import make_person

    person = make_person(cast.village, "赵流动", "61102319800101001")
    member = member_register(
        actor=cast.committee_admin,
        person=person,
        location="丹凤县",
        work="木工",
        left_on=datetime.date.today() - datetime.timedelta(days=30),
        phone="13700002222",
        host=cast.sibling_village,
    )
    query = query_ask(actor=cast.sibling_admin, member=member, question="请告知党费交纳情况")
    [ask] = about(query)
    assert (ask.event, ask.organization_id) == (Event.HOST_QUERY, cast.village.pk)
    assert "联系函" in ask.title
    query_answer(actor=cast.village_user, query=query, answer="已按月交纳")
    ask.refresh_from_db()
    assert ask.done_at is not None


def test_a_refused_action_leaves_no_notification(cast: Cast, signed: Pairing) -> None:
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    from gongjian.records.errors import RecordActionRefused

    with pytest.raises(RecordActionRefused):
        performance_card_countersign(actor=cast.village_user, card=card, comment="")
    assert about(card, Event.CARD_ACKNOWLEDGE) == [] and about(card)[0].done_at is None

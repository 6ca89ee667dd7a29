"""Renewal offers (issue #11.4–5, #16.4; seed 004 (八) "在上一轮已经形成结对帮扶关系的单位，
在双方自愿基础上，可续签…需调整的，可进入全市帮扶平台重新选择结对单位"): only signed,
not ended pairs are offered; an offer holds its village's place (续签待定) and intents on it
are refused with the reason until it is declined; the run names held villages, explains
"覆盖 0 / 0" and lists every automatic forbid with its source."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import DirectoryEntry, Intent, Pairing, PairingOrigin, PairingStatus, Round
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_choosing import intent_submit
from gongjian.rounds.services_pairing import pairing_confirm, pairing_decline_renewal, pairing_end
from tests.conftest import Cast
from tests.rounds.conftest import make_round
from tests.rounds.test_views import HTMX, client_for, text

pytestmark = pytest.mark.django_db


def _pair(round_: Round, unit: object, village: object, status: str) -> Pairing:
    entry = DirectoryEntry.objects.get(round=round_, village=village)
    return Pairing.objects.create(
        round=round_, entry=entry, unit=unit, village=village, origin=PairingOrigin.ALLOCATION, status=status
    )


def _previous_all_signed(cast: Cast) -> Round:
    """Last round: all three villages signed (花家村 and 王家沟村 with the unit, 清泉村 with the hospital)."""
    previous = make_round(cast)
    _pair(previous, cast.unit, cast.village, PairingStatus.SIGNED)
    _pair(previous, cast.unit, cast.other_village, PairingStatus.SIGNED)
    _pair(previous, cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED)
    return previous


def _row(page: str, village_name: str) -> str:
    start = page.index(village_name)
    return page[start : page.index("</tr>", start)]


def test_only_signed_pairs_that_were_not_ended_are_offered_renewal(cast: Cast) -> None:
    previous = make_round(cast)
    _pair(previous, cast.unit, cast.village, PairingStatus.SIGNED)
    _pair(previous, cast.unit, cast.other_village, PairingStatus.CONFIRMED)  # never signed
    ended = _pair(previous, cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED)
    Pairing.objects.filter(pk=ended.pk).update(status=PairingStatus.ENDED, end_reason="调整")
    following = make_round(cast, previous_round=previous)
    offers = set(
        Pairing.objects.filter(round=following, origin=PairingOrigin.RENEWAL).values_list("unit_id", "village_id")
    )
    assert offers == {(cast.unit.pk, cast.village.pk)}
    held = dict(DirectoryEntry.objects.filter(round=following).values_list("village_id", "renewal_held"))
    assert held == {cast.village.pk: 1, cast.other_village.pk: 0, cast.sibling_village.pk: 0}


def test_a_held_village_shows_renewal_pending_and_refuses_intents_until_declined(cast: Cast) -> None:
    following = make_round(
        cast,
        previous_round=_previous_all_signed(cast),
        confirmation_deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    entry = DirectoryEntry.objects.get(round=following, village=cast.village)
    hospital = client_for(_hospital_user(cast))
    renewals = text(client_for(cast.village_user).get(reverse("rounds:renewals", args=[following.pk])))
    assert f"请在 {following.confirmation_deadline:%Y-%m-%d} 前决定" in renewals
    page = text(hospital.get(reverse("rounds:directory", args=[following.pk])))
    row = _row(page, cast.village.name)
    assert "续签待定" in row and "1 / 1" not in row and 'name="rank"' not in row
    assert "双方决定前不接受新的意向" in page  # the rule is stated above the table
    # The service refuses with the reason (decision: a pending renewal's place is not open).
    with pytest.raises(RoundActionRefused) as caught:
        intent_submit(actor=_hospital_user(cast), entry=entry)
    assert caught.value.code == "renewal_pending" and "续签待定" in caught.value.message
    assert not Intent.objects.filter(round=following).exists()
    # The village declines: the place is open again, in the directory and for intents.
    offer = Pairing.objects.get(round=following, unit=cast.unit, village=cast.village)
    pairing_decline_renewal(actor=cast.village_user, pairing=offer)
    entry.refresh_from_db()
    assert entry.renewal_held == 0 and entry.places_left == 1
    row = _row(text(hospital.get(reverse("rounds:directory", args=[following.pk]))), cast.village.name)
    assert "续签待定" not in row and "1 / 1" in row and 'name="rank"' in row
    assert intent_submit(actor=_hospital_user(cast), entry=entry).rank == 1


def _hospital_user(cast: Cast) -> object:
    from gongjian.accounts.models import Role, User
    from tests.conftest import make_user

    found = User.objects.filter(username="hospital").first()
    return found or make_user("hospital", Role.UNIT_USER, cast.sibling_unit)


def test_the_run_names_held_villages_and_explains_zero_of_zero(cast: Cast) -> None:
    following = make_round(cast, previous_round=_previous_all_signed(cast))
    run = allocation_run(actor=cast.city_admin, round_=following)
    assert (run.covered_slots, run.required_slots) == (0, 0)
    admin = client_for(cast.city_admin)
    url = reverse("rounds:run", args=[following.pk, run.number])
    page = text(admin.get(url))
    assert "本方案没有需要分配的名额" in page and "另有 3 个村的名额在运行时已被占用" in page
    assert "都在等上一轮结对双方决定是否续签" in page
    held = text(admin.get(url + "?show=held"))
    for village in (cast.village, cast.other_village, cast.sibling_village):
        assert village.name in held
    assert held.count("续签待定") >= 3 and cast.sibling_unit.name in held
    # One renewal agreed by both sides: that village is now held by an agreed renewal.
    offer = Pairing.objects.get(round=following, unit=cast.unit, village=cast.village)
    pairing_confirm(actor=cast.unit_user, pairing=offer)
    pairing_confirm(actor=cast.village_user, pairing=offer)
    second = allocation_run(actor=cast.city_admin, round_=following)
    second_url = reverse("rounds:run", args=[following.pk, second.number])
    held = text(admin.get(second_url + "?show=held"))
    assert "已续签" in _row(held, cast.village.name)
    assert "其中 2 个村续签待定，1 个村已续签或已有发布的结对" in text(admin.get(second_url))
    # The first run still explains itself as it stood (all three pending then).
    assert "另有 3 个村的名额在运行时已被占用，不再分配：都在等" in text(admin.get(url))
    # Only the round's admins open a run; an outsider gets a 404.
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.unit_user).get(url + "?show=rules").status_code in (403, 404)


def test_every_automatic_forbid_is_listed_with_its_source_next_to_the_admins_own(cast: Cast) -> None:
    following = make_round(cast, previous_round=_previous_all_signed(cast))
    declined = Pairing.objects.get(round=following, unit=cast.unit, village=cast.other_village)
    pairing_decline_renewal(actor=cast.unit_user, pairing=declined)
    hospital_offer = Pairing.objects.get(round=following, unit=cast.sibling_unit, village=cast.sibling_village)
    pairing_end(actor=cast.city_admin, pairing=hospital_offer, reason="帮扶效果不好，调整")
    run = allocation_run(
        actor=cast.city_admin, round_=following, forbids=[(cast.sibling_unit.pk, cast.other_village.pk)]
    )
    stored = {(f["unit"], f["village"]) for f in run.instance["forbids"]}
    assert (str(cast.unit.pk), str(cast.other_village.pk)) in stored  # the hidden ban reaches the engine
    page = text(client_for(cast.city_admin).get(reverse("rounds:run", args=[following.pk, run.number]) + "?show=rules"))
    assert "管理员禁止 0" not in page and "自动禁止 2" in page
    rows = page[page.index("pair-rules") :]
    declined_row = _row(rows, f"<td>{cast.unit.name}</td><td>{cast.other_village.name}</td>")
    assert "不续签" in declined_row and "不续签（单位）" in declined_row
    adjusted_row = _row(rows, f"<td>{cast.sibling_unit.name}</td><td>{cast.sibling_village.name}</td>")
    assert "调整（结对已终止）" in adjusted_row and "帮扶效果不好，调整" in adjusted_row
    admin_row = _row(rows, f"<td>{cast.sibling_unit.name}</td><td>{cast.other_village.name}</td>")
    assert "管理员禁止" in admin_row


def test_publishing_before_the_intent_deadline_warns_and_then_the_directory_says_choosing_is_over(
    cast: Cast,
) -> None:
    round_ = make_round(cast)
    run = allocation_run(actor=cast.city_admin, round_=round_)
    admin = client_for(cast.city_admin)
    page = text(admin.get(reverse("rounds:run", args=[round_.pk, run.number])))
    form = page[page.index('id="publish-form"') :]
    assert "尚未到：发布后本轮选择即结束" in form[: form.index(">")]
    unit = client_for(cast.unit_user)
    before = text(unit.get(reverse("rounds:directory", args=[round_.pk])))
    assert 'name="rank"' in before and "选择中" in before
    allocation_publish(actor=cast.city_admin, run=run)
    after = text(unit.get(reverse("rounds:directory", args=[round_.pk])))
    assert "本轮选择已提前结束" in after and 'name="rank"' not in after
    assert "本轮选择已提前结束" in text(admin.get(reverse("rounds:detail", args=[round_.pk])))
    entry = DirectoryEntry.objects.get(round=round_, village=cast.other_village)
    refused = unit.post(reverse("rounds:intent_submit", args=[round_.pk, entry.pk]), {"rank": "1"}, **HTMX)
    assert "分配方案已发布" in text(refused)


def test_the_run_page_and_the_tree_read_in_english(cast: Cast) -> None:
    following = make_round(cast, previous_round=_previous_all_signed(cast))
    run = allocation_run(actor=cast.city_admin, round_=following)
    admin = client_for(cast.city_admin)
    url = reverse("rounds:run", args=[following.pk, run.number])
    # The requests switch the thread's language; override puts Chinese back afterwards so
    # that the tests after this one read the services' refusals in Chinese.
    with translation.override("zh-hans"):
        page = text(admin.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        held = text(admin.get(url + "?show=held", HTTP_ACCEPT_LANGUAGE="en"))
        tree = text(admin.get(reverse("orgs:tree"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "This plan had no places left to allocate" in page and "Villages already held (3)" in page
    assert "本方案没有需要分配的名额" not in page
    assert "Renewal pending" in held
    assert "Organization tree" in tree and "villages" in tree

"""Intent ranks (issue #11.8): one first choice, one second… per unit and round (service and
database constraint), reordering, the directory row refreshed in place after choosing, and
群众选对 ticks kept across pages and searches; the round schedule per profile (#16.3)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongjian.policies import RoundRules, load_profile, profile_keys
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import DirectoryEntry, Intent, IntentStatus, Pairing, PairingOrigin, Round, RoundUnit
from gongjian.rounds.services_choosing import intent_reorder, intent_submit
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast
from tests.rounds.conftest import make_round
from tests.rounds.test_views import HTMX, client_for, text

pytestmark = pytest.mark.django_db


def _entry(round_: Round, village: object) -> DirectoryEntry:
    return DirectoryEntry.objects.get(round=round_, village=village)


def test_two_first_choices_are_refused_and_the_database_agrees(cast: Cast, open_round: Round) -> None:
    intent_submit(actor=cast.unit_user, entry=_entry(open_round, cast.village), rank=1)
    with pytest.raises(RoundActionRefused) as caught:
        intent_submit(actor=cast.unit_user, entry=_entry(open_round, cast.other_village), rank=1)
    assert caught.value.code == "rank_taken" and caught.value.field == "rank"
    assert cast.village.name in caught.value.message
    # Without a rank the next free one is given.
    assert intent_submit(actor=cast.unit_user, entry=_entry(open_round, cast.other_village)).rank == 2
    # The constraint holds even past the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Intent.objects.create(
            round=open_round,
            entry=_entry(open_round, cast.sibling_village),
            unit=cast.unit,
            rank=1,
            submitted_by=cast.unit_user,
        )
    # Another unit's first choice is its own.
    from tests.rounds.test_renewal_holds import _hospital_user

    assert intent_submit(actor=_hospital_user(cast), entry=_entry(open_round, cast.sibling_village), rank=1).rank == 1


def test_a_rank_beyond_the_units_intents_is_refused(cast: Cast, open_round: Round) -> None:
    capacity = RoundUnit.objects.get(round=open_round, unit=cast.unit).capacity
    limit = capacity + load_profile("shangnan").round.extra_intents
    with pytest.raises(RoundActionRefused) as caught:
        intent_submit(actor=cast.unit_user, entry=_entry(open_round, cast.village), rank=limit + 1)
    assert caught.value.code == "rank_out_of_range"


def test_reordering_swaps_ranks_and_a_stale_order_is_refused(cast: Cast, open_round: Round) -> None:
    first = intent_submit(actor=cast.unit_user, entry=_entry(open_round, cast.village), rank=1)
    second = intent_submit(actor=cast.unit_user, entry=_entry(open_round, cast.other_village), rank=2)
    intent_reorder(actor=cast.unit_user, round_=open_round, intent_ids=[second.pk, first.pk])
    ranks = dict(Intent.objects.filter(round=open_round).values_list("pk", "rank"))
    assert ranks == {second.pk: 1, first.pk: 2}
    with pytest.raises(RoundActionRefused):
        intent_reorder(actor=cast.unit_user, round_=open_round, intent_ids=[first.pk])
    # The page's ↑ on the second choice makes it first again.
    unit = client_for(cast.unit_user)
    moved = unit.post(reverse("rounds:intent_move", args=[open_round.pk, first.pk]), {"direction": "up"})
    assert moved.status_code == 302
    assert Intent.objects.get(pk=first.pk).rank == 1 and Intent.objects.get(pk=second.pk).rank == 2
    mine = text(unit.get(reverse("rounds:my_intents", args=[open_round.pk])))
    assert mine.index(cast.village.name) < mine.index(cast.other_village.name)
    # Another unit's intent cannot be moved (404).
    from tests.rounds.test_renewal_holds import _hospital_user

    hospital = client_for(_hospital_user(cast))
    move = reverse("rounds:intent_move", args=[open_round.pk, first.pk])
    assert hospital.post(move, {"direction": "down"}).status_code == 404


def test_choosing_refreshes_the_whole_directory_row_and_the_count_above(cast: Cast, open_round: Round) -> None:
    entry = _entry(open_round, cast.village)
    response = client_for(cast.unit_user).post(
        reverse("rounds:intent_submit", args=[open_round.pk, entry.pk]), {"rank": "1"}, **HTMX
    )
    body = text(response)
    row = body[: body.index("</tr>")]
    assert row.startswith(f'<tr id="row-{entry.pk}">')
    assert '<td class="num intent-count">1</td>' in row and "0 / 1" in row and "已选（第 1 志愿）" in row
    oob = body[body.index("<template>") :]
    assert 'id="intent-summary"' in oob and 'hx-swap-oob="true"' in oob and "已提交 1 个" in oob
    # The directory's choose form targets the row, not only its cell.
    page = text(client_for(cast.unit_user).get(reverse("rounds:directory", args=[open_round.pk])))
    other = _entry(open_round, cast.other_village)
    assert f'hx-target="#row-{other.pk}"' in page and "<script" not in page.split("<main", 1)[1]


def test_wish_ticks_survive_pages_and_searches(cast: Cast, open_round: Round) -> None:
    village = client_for(cast.village_user)
    url = reverse("rounds:wishes", args=[open_round.pk])
    # The village ticked the hospital on page 1, then searched for "snx" (the unit): the
    # request carries the tick, and the answer keeps it under 已选单位.
    answer = text(village.get(url, {"picked": "1", "units": [str(cast.sibling_unit.pk)], "q": "snx"}, **HTMX))
    selected = answer[answer.index('id="wish-selected"') : answer.index("其他参与单位")]
    assert cast.sibling_unit.name in selected and "checked" in selected
    options = answer[answer.index("其他参与单位") :]
    assert cast.unit.name in options and cast.sibling_unit.name not in options
    # Unticking everything is kept too (the stored wishes do not come back).
    from gongjian.rounds.services_choosing import village_wish_set

    village_wish_set(actor=cast.village_user, entry=_entry(open_round, cast.village), units=[cast.unit])
    cleared = text(village.get(url, {"picked": "1"}, **HTMX))
    assert "尚未选择" in cleared[cleared.index('id="wish-selected"') : cleared.index("其他参与单位")]


# --- schedule (issue #16.3, seed 004 (八)) ----------------------------------------------------


def test_the_shanghai_schedule_is_the_seeds_and_the_term_ends_on_its_fixed_month() -> None:
    # Seed 004 (八): intents and both sides' confirmation by 30 April, signing by 1 July,
    # "新一轮结对帮扶协议期限至2013年7月份结束" for the round of 2010.
    schedule = load_profile("shanghai").round.default_schedule(2010)
    assert schedule == {
        "intent_deadline": datetime.date(2010, 4, 30),
        "confirmation_deadline": datetime.date(2010, 4, 30),
        "signing_deadline": datetime.date(2010, 7, 1),
        "term_start": datetime.date(2010, 7, 1),
        "term_end": datetime.date(2013, 7, 31),
    }


def test_profiles_whose_place_gives_no_date_propose_none() -> None:
    for key in profile_keys():
        rules = load_profile(key).round
        if key == "shanghai":
            assert rules.undated == []
            continue
        assert rules.undated == ["intent_deadline", "confirmation_deadline", "signing_deadline"], key
        assert set(rules.default_schedule(2030).values()) == {None}, key


def test_a_bad_schedule_value_is_named_in_chinese() -> None:
    with pytest.raises(ValueError, match=r"round\.intent_deadline 应为“月-日”"):
        RoundRules(intent_deadline="4/30")
    with pytest.raises(ValueError, match="term_end_month"):
        RoundRules(term_end_month=13)


def test_confirmation_closes_at_the_rounds_confirmation_deadline(cast: Cast) -> None:
    today = datetime.date.today()
    round_ = make_round(cast, confirmation_deadline=today + datetime.timedelta(days=40))
    assert round_.confirmation_deadline is not None
    entry = _entry(round_, cast.village)
    pairing = Pairing.objects.create(
        round=round_, entry=entry, unit=cast.unit, village=cast.village, origin=PairingOrigin.ALLOCATION
    )
    Round.objects.filter(pk=round_.pk).update(confirmation_deadline=timezone.now() - datetime.timedelta(hours=1))
    pairing.refresh_from_db()
    with pytest.raises(RoundActionRefused, match="双方意向确认已于"):
        pairing_confirm(actor=cast.unit_user, pairing=pairing)
    assert not Intent.objects.filter(status=IntentStatus.ACTIVE).exists()


def test_a_confirmation_deadline_outside_the_schedule_is_refused(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        make_round(cast, open_it=False, confirmation_deadline=datetime.date.today() + datetime.timedelta(days=400))
    assert "confirmation_deadline" in caught.value.message_dict

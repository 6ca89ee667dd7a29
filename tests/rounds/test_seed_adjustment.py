"""Dynamic adjustment (issue 16 point 7; seed 004 doc 2 二、1 "加强对结对共建工作的动态管理，对共建
效果不太好的单位，要及时进行优化调整"; doc 1 (八) "需调整的，可进入全市帮扶平台重新选择结对单位").

By hand: after the round's 1 July, a signed pair that works badly is replaced — the old pair
ends, the replacement unit and the village confirm and sign outside the round's deadline (that
pair alone: another pair of the round is still refused), and the adjustment is recorded with
who, why, the old and the new unit, audited, and shown to both sides and on the board.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.notifications.models import Notification
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingStatus, Stage
from gongjian.rounds.services_agreement import agreement_generate, agreement_sign
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast
from tests.rounds.seed_rounds import client_for, close_schedule, pair, profile_round, user_of

pytestmark = pytest.mark.django_db
REASON = "连续两年结对义务未完成，共建效果不好"


def test_a_flagged_pair_is_replaced_and_the_replacement_signs_after_the_rounds_deadline(cast: Cast) -> None:
    from gongjian.rounds.models import PairingAdjustment
    from gongjian.rounds.services_adjustment import pairing_replace

    round_ = profile_round(cast, "anhui")
    old = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    other = pair(round_, cast.unit, cast.other_village, PairingStatus.PROPOSED)
    close_schedule(round_)  # 7月1日 has passed

    adjustment = pairing_replace(actor=cast.city_admin, pairing=old, new_unit=cast.sibling_unit, reason=REASON)

    old.refresh_from_db()
    assert old.status == PairingStatus.ENDED and REASON in old.end_reason
    new = adjustment.new_pairing
    assert (new.unit, new.village, new.status, new.origin) == (
        cast.sibling_unit,
        cast.village,
        PairingStatus.PROPOSED,
        "adjustment",
    )
    stored = PairingAdjustment.objects.get()
    assert (stored.old_unit, stored.new_unit, stored.reason, stored.created_by) == (
        cast.unit,
        cast.sibling_unit,
        REASON,
        cast.city_admin,
    )
    assert stored.deadline > round_.signing_deadline
    entry = AuditEntry.objects.get(action="pairing.replace", success=True)
    assert REASON in str(entry.after) and cast.sibling_unit.name in str(entry.after)
    assert set(Notification.objects.filter(event="pair_adjusted").values_list("organization_id", flat=True)) == {
        cast.unit.pk,
        cast.sibling_unit.pk,
        cast.village.pk,
    }

    # The replacement confirms and signs after the round's deadline …
    sibling_user = user_of(cast.sibling_unit)
    pairing_confirm(actor=sibling_user, pairing=new)
    new = pairing_confirm(actor=cast.village_user, pairing=new)
    assert new.status == PairingStatus.CONFIRMED
    agreement_generate(actor=sibling_user, pairing=new)
    agreement_sign(actor=sibling_user, pairing=new, signer_name="王医生", signer_post="党委书记")
    signed = agreement_sign(actor=cast.village_user, pairing=new, signer_name="张秀英", signer_post="村党支部书记")
    assert signed.pairing.status == PairingStatus.SIGNED
    assert DirectoryEntry.objects.get(round=round_, village=cast.village).stage == Stage.SIGNED

    # … and that pair alone: another pair of the round is still held to the round's dates.
    with pytest.raises(RoundActionRefused) as refused:
        pairing_confirm(actor=cast.unit_user, pairing=other)
    assert refused.value.code == "deadline"


def test_the_replacement_has_its_own_deadline(cast: Cast) -> None:
    import datetime

    from gongjian.rounds.models import PairingAdjustment
    from gongjian.rounds.services_adjustment import pairing_replace

    round_ = profile_round(cast, "anhui")
    old = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    close_schedule(round_)
    adjustment = pairing_replace(actor=cast.city_admin, pairing=old, new_unit=cast.sibling_unit, reason=REASON)
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    PairingAdjustment.objects.filter(pk=adjustment.pk).update(deadline=past)
    with pytest.raises(RoundActionRefused) as refused:
        pairing_confirm(actor=user_of(cast.sibling_unit), pairing=adjustment.new_pairing)
    assert refused.value.code == "deadline"


def test_refusals_no_rule_no_place_not_admin(cast: Cast) -> None:
    from django.core.exceptions import PermissionDenied

    from gongjian.rounds.services_adjustment import pairing_replace

    shangnan = profile_round(cast, "shangnan")  # seed 002 gives no adjustment: the profile has none
    old = pair(shangnan, cast.unit, cast.village, PairingStatus.SIGNED)
    with pytest.raises(RoundActionRefused) as refused:
        pairing_replace(actor=cast.city_admin, pairing=old, new_unit=cast.sibling_unit, reason=REASON)
    assert refused.value.code == "no_adjustment"
    assert Pairing.objects.get(pk=old.pk).status == PairingStatus.SIGNED  # nothing changed
    assert AuditEntry.objects.filter(action="pairing.replace", success=False).count() == 1

    Pairing.objects.filter(round=shangnan).delete()
    anhui = profile_round(cast, "anhui")
    old = pair(anhui, cast.unit, cast.village, PairingStatus.SIGNED)
    pair(anhui, cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED)  # its only place is taken
    with pytest.raises(RoundActionRefused) as refused:
        pairing_replace(actor=cast.city_admin, pairing=old, new_unit=cast.sibling_unit, reason=REASON)
    assert refused.value.code == "no_place"
    with pytest.raises(PermissionDenied):
        pairing_replace(actor=cast.unit_user, pairing=old, new_unit=cast.sibling_unit, reason=REASON)


def test_pages_both_sides_see_it_the_board_shows_it_an_outsider_gets_404(cast: Cast) -> None:
    round_ = profile_round(cast, "anhui")
    old = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    admin = client_for(cast.city_admin)
    page = admin.get(reverse("rounds:pairing_replace", args=[old.pk]))
    assert page.status_code == 200 and cast.sibling_unit.name in page.content.decode()
    done = admin.post(
        reverse("rounds:pairing_replace", args=[old.pk]), {"new_unit": cast.sibling_unit.pk, "reason": REASON}
    )
    assert done.status_code == 302
    new = Pairing.objects.get(round=round_, unit=cast.sibling_unit)

    url = reverse("rounds:adjustments", args=[round_.pk])
    for user in (cast.unit_user, cast.village_user, user_of(cast.sibling_unit)):
        text = client_for(user).get(url).content.decode()
        assert cast.unit.name in text and cast.sibling_unit.name in text and REASON in text
    outsider = client_for(cast.outsider)
    assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("rounds:pairing_replace", args=[new.pk])).status_code == 404
    assert client_for(cast.unit_user).get(reverse("rounds:pairing_replace", args=[new.pk])).status_code in (403, 404)

    # The public board names the replacement once both sides agree; never the reason.
    public = client_for(cast.outsider).get(reverse("portal:board", args=[round_.pk])).content.decode()
    assert "动态调整" not in public
    Pairing.objects.filter(pk=new.pk).update(status=PairingStatus.CONFIRMED)
    public = client_for(cast.outsider).get(reverse("portal:board", args=[round_.pk])).content.decode()
    assert cast.sibling_unit.name in public and REASON not in public
    internal = client_for(cast.city_admin).get(reverse("portal:internal_board", args=[round_.pk])).content.decode()
    assert REASON in internal

"""A pair's agreement, renewal and adjustments over the API, with the standing cast: the two
sides generate and sign the 共建协议书, a side declines a renewal, the round's admin ends or
replaces a pair; an outsider gets 404; a refusal is a 409/422 with a Chinese detail."""

from __future__ import annotations

import datetime

from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, Round
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_pairing import pairing_confirm
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast
from tests.rounds.conftest import make_round
from tests.rounds.seed_rounds import pair, profile_round

TODAY = datetime.date.today()


def confirmed(cast: Cast) -> Pairing:
    """The unit and 花家村, allocated and confirmed by both sides (not yet signed)."""
    round_ = make_round(cast)
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    return pairing_confirm(actor=cast.village_user, pairing=pairing)


def test_agreement_generated_and_signed(cast: Cast) -> None:
    pairing = confirmed(cast)
    url = f"/api/rounds/{pairing.round_id}/pairings/{pairing.pk}/agreement"
    sign = {"signer_name": "李建国", "signer_post": "党委书记"}
    assert session(cast.outsider).get(url).status_code == 404
    assert post(session(cast.outsider), url).status_code == 404
    assert assert_refused(post(session(cast.unit_user), f"{url}/sign", sign), (409,))["code"] == "no_agreement"
    unit, _secret = bearer(cast.unit_user)
    generated = post(unit, url)
    assert generated.status_code == 200, generated.content
    assert len(generated.json()["sha256"]) == 64 and not generated.json()["signed"]
    assert post(session(cast.outsider), f"{url}/sign", sign).status_code == 404
    assert post(unit, f"{url}/sign", sign).json()["unit_signer_name"] == "李建国"
    assert assert_refused(post(unit, f"{url}/sign", sign), (409,))["code"] == "already_signed"
    done = post(session(cast.village_user), f"{url}/sign", {"signer_name": "张秀英", "signer_post": "党支部书记"})
    assert done.status_code == 200 and done.json()["signed"]
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.SIGNED
    pdf = unit.get(f"{url}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert session(cast.outsider).get(f"{url}/pdf").status_code == 404


def test_renewal_declined(cast: Cast) -> None:
    previous = make_round(cast)
    entry = DirectoryEntry.objects.get(round=previous, village=cast.village)
    Pairing.objects.create(round=previous, entry=entry, unit=cast.unit, village=cast.village,
                           origin=PairingOrigin.ALLOCATION, status=PairingStatus.SIGNED)  # fmt: skip
    following = make_round(cast, previous_round=previous, confirmation_deadline=TODAY + datetime.timedelta(days=30))
    offer = Pairing.objects.get(round=following, origin=PairingOrigin.RENEWAL)
    url = f"/api/rounds/{following.pk}/pairings/{offer.pk}/decline"
    assert post(session(cast.outsider), url).status_code == 404
    declined = post(session(cast.village_user), url)
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == PairingStatus.ENDED
    assert assert_refused(post(session(cast.unit_user), url), (409,))


def test_end_and_replace(cast: Cast) -> None:
    signed = pair(profile_round(cast, "shangnan"), cast.unit, cast.village, PairingStatus.SIGNED)
    base = f"/api/rounds/{signed.round_id}"
    url = f"{base}/pairings/{signed.pk}"
    reason = {"reason": "连续两年考核未完成结对义务"}
    assert post(session(cast.outsider), f"{url}/end", reason).status_code == 404
    assert post(session(cast.unit_user), f"{url}/end", reason).status_code == 403
    assert session(cast.outsider).get(f"{url}/replace-candidates").status_code == 404
    page = session(cast.city_admin).get(f"{url}/replace-candidates").json()
    candidates = page["items"]
    assert page["count"] == 1 and [c["unit"] for c in candidates] == ["丹凤县人民医院党委"]
    replace = {**reason, "new_unit_id": candidates[0]["unit_id"]}
    assert post(session(cast.outsider), f"{url}/replace", replace).status_code == 404
    # 商南's profile has no dynamic adjustment: only ending the pair.
    no_rule = assert_refused(post(session(cast.city_admin), f"{url}/replace", replace), (409,))
    assert no_rule["code"] == "no_adjustment"
    wrong = assert_refused(post(session(cast.city_admin), f"{url}/replace", {**replace, "new_unit_id": cast.unit.pk}))
    assert wrong["field"] == "new_unit_id"
    Round.objects.filter(pk=signed.round_id).update(policy_key="anhui")  # a profile with adjustment rules
    replaced = post(session(cast.city_admin), f"{url}/replace", replace)
    assert replaced.status_code == 201, replaced.content
    assert replaced.json()["new_unit"] == "丹凤县人民医院党委" and replaced.json()["old_unit"] == cast.unit.name
    assert [a["village"] for a in session(cast.village_user).get(f"{base}/adjustments").json()] == ["花家村党支部"]
    assert session(cast.outsider).get(f"{base}/adjustments").status_code == 404
    # The old pair ended with the replacement: ending it again is refused.
    assert assert_refused(post(session(cast.city_admin), f"{url}/end", reason), (409,))
    new_pair = Pairing.objects.get(round_id=signed.round_id, unit=cast.sibling_unit)
    ended = post(session(cast.city_admin), f"{base}/pairings/{new_pair.pk}/end", reason)
    assert ended.status_code == 200 and ended.json()["status"] == PairingStatus.ENDED

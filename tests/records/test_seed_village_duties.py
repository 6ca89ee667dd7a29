"""Duties running from the village to the unit (issue 16 point 15; seed 002 "农村党组织……每季度组织
党员进入共建单位开展一次座谈交流、反映一次社情民意，每年帮机关培养一名年轻党员，选派一批党员群众代表
参与共建单位党员评议"; seed 004 doc 2 二、3 城乡党员共过组织生活、年轻干部挂职; 二、4 考评一体进行).

By hand under Shangnan's profile, for last year of a signed pair: the village held forums in
Q1, Q2 and Q4 (none in Q3), reported opinions every quarter, trained no young member and sent
delegates once. So: forum Q3 missed, the young member missed, the rest met.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from gongjian.rounds.models import PairingStatus
from tests.conftest import Cast
from tests.rounds.seed_rounds import client_for, pair, profile_round

pytestmark = pytest.mark.django_db


def test_the_village_is_assessed_on_what_it_owes_the_unit(cast: Cast) -> None:
    from gongjian.records.selectors_village_duties import village_duty_status
    from gongjian.records.services_village_duties import village_duty_record

    round_ = profile_round(cast, "shangnan")
    pairing = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    year = datetime.date.today().year - 1
    for month in (2, 5, 11):
        village_duty_record(
            actor=cast.village_user, pairing=pairing, kind="forum", date=datetime.date(year, month, 10), content="座谈"
        )
    for month in (1, 4, 7, 10):
        village_duty_record(
            actor=cast.village_user,
            pairing=pairing,
            kind="opinion",
            date=datetime.date(year, month, 20),
            content="民意",
        )
    village_duty_record(
        actor=cast.village_user, pairing=pairing, kind="review_delegates", date=datetime.date(year, 12, 1),
        content="3 名党员群众代表参加农业农村局机关党员评议",
    )  # fmt: skip
    status = {(line.kind, line.period): line for line in village_duty_status(pairing, year)}
    missed = sorted(k for k, line in status.items() if not line.met)
    assert missed == [("forum", f"{year}年第3季度"), ("young_member", f"{year}年")]
    assert all(line.overdue for line in status.values() if not line.met)  # the year is over
    assert len(status) == 4 + 4 + 1 + 1
    with translation.override("en"):  # the periods in the reader's language
        periods = {line.period for line in village_duty_status(pairing, year)}
    assert periods == {f"Q{q} {year}" for q in range(1, 5)} | {str(year)}

    with pytest.raises(PermissionDenied):  # the unit does not record for the village
        village_duty_record(
            actor=cast.unit_user, pairing=pairing, kind="forum", date=datetime.date(year, 8, 1), content="x"
        )


def test_a_profile_without_village_duties_checks_nothing(cast: Cast) -> None:
    from gongjian.records.selectors_village_duties import village_duty_status

    round_ = profile_round(cast, "shanghai")  # seed 004 doc 1 asks nothing of the village here
    pairing = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    assert village_duty_status(pairing, datetime.date.today().year) == []


def test_page_village_records_unit_sees_outsider_404(cast: Cast) -> None:
    round_ = profile_round(cast, "shangnan")
    pairing = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    url = reverse("records:village_duties", args=[pairing.pk])
    today = datetime.date.today().isoformat()
    done = client_for(cast.village_user).post(
        url, {"kind": "young_member", "date": today, "content": "培养入党积极分子王小明", "people": "王小明"}
    )
    assert done.status_code == 302
    page = client_for(cast.unit_user).get(url).content.decode()
    assert "培养入党积极分子王小明" in page and "帮共建单位培养年轻党员" in page
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.sibling_admin).get(url).status_code == 404

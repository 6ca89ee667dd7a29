"""The members demo generator on the standing cast."""

from __future__ import annotations

import datetime
import random

import pytest

from gongjian.audit.models import AuditEntry
from gongjian.demo.activity.members import generate_members
from gongjian.members import selectors_mobile, selectors_pairs
from gongjian.members.models import CadrePair, HostingPeriod, MobileMember, ServiceStation
from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.members.conftest import sign_pairing

pytestmark = pytest.mark.django_db


def test_generate_members_writes_pairs_and_mobile_members(cast: Cast) -> None:
    sign_pairing(cast, cast.unit, cast.village)
    today = datetime.date(2026, 11, 20)
    counts = generate_members(Pairing.objects.all(), random.Random(7), today=today, mobile_per_village=5, stations=3)
    assert counts["cadre_pair"] == CadrePair.objects.count() == 1  # the unit lists one person
    assert counts["mobile_member"] == MobileMember.objects.count() == 5
    assert HostingPeriod.objects.count() == 5 and counts["station"] == ServiceStation.objects.count() >= 1
    assert counts["total"] == sum(v for k, v in counts.items() if k != "total")
    overview = selectors_pairs.unit_overview(user=cast.unit_user, unit=cast.unit, today=today)
    assert "李建国" in {row.name for row in overview.rows}
    members = list(selectors_mobile.member_list(user=cast.village_user))
    assert len(members) == 5 and all(m.origin == cast.village for m in members)
    assert AuditEntry.objects.filter(action="demo.members").count() == 1
    again = generate_members(Pairing.objects.none(), random.Random(7), today=today)
    assert again["total"] == 0

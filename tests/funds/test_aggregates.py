"""The aggregates other apps use add up (by pairing and by district)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from gongjian.funds.aggregates import ancestor_path, paid_by_pairing, pledged_and_paid_by_organization_path
from gongjian.funds.models import Pledge
from gongjian.funds.services import receipt_confirm, transfer_create
from tests.conftest import Cast
from tests.funds.conftest import Pairs

D = Decimal


def test_aggregates_group_by_district(cast: Cast, pairs: Pairs) -> None:
    day = datetime.date(2026, 2, 3)
    t1 = transfer_create(actor=cast.unit_user, pairing=pairs.main, date=day, amount=D("100.10"))
    transfer_create(actor=cast.unit_user, pairing=pairs.second, date=day, amount=D("0.20"))
    transfer_create(actor=cast.unit_user, pairing=pairs.main, date=datetime.date(2025, 12, 31), amount=D("7"))
    receipt_confirm(actor=cast.village_user, transfer=t1, received_on=day, amount=D("100.10"))
    Pledge.objects.create(
        pairing=pairs.sibling, year=2026, amount=D("500"), purpose="x", pledged_at=day, recorded_by=cast.city_admin
    )
    paid = paid_by_pairing([pairs.main.pk, pairs.second.pk, pairs.sibling.pk], day, day)
    assert paid == {pairs.main.pk: D("100.10"), pairs.second.pk: D("0.20"), pairs.sibling.pk: D("0")}
    by_district = pledged_and_paid_by_organization_path(root_path=cast.city.path, depth=cast.city.depth + 1, year=2026)
    county = by_district[cast.county.path]
    assert (county.pledged, county.paid, county.received) == (D("0"), D("100.30"), D("100.10"))
    assert by_district[cast.sibling_county.path].pledged == D("500.00")
    assert set(by_district) == {cast.county.path, cast.sibling_county.path}
    assert ancestor_path("/1/4/17/30/", 1) == "/1/4/"
    # A subtree of the root only: the sibling county is not under the county.
    assert set(
        pledged_and_paid_by_organization_path(root_path=cast.county.path, depth=cast.county.depth + 1, year=2026)
    ) == {cast.town.path}

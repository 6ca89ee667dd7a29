"""The demo's funds generator keeps the ledger's rules."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import Sum

from gongjian.demo.activity.funds import generate_funds
from gongjian.funds.aggregates import paid_by_pairing
from gongjian.funds.ledger import ZERO, pairing_ledgers, village_totals
from gongjian.funds.models import Disclosure, Pledge, Receipt, Transfer, Use
from gongjian.orgs.models import AgencyLine, OrgKind, OrgLevel
from gongjian.rounds.models import Round
from tests.conftest import Cast, make_org
from tests.funds.conftest import make_pairing, make_pairs

D = Decimal


def test_generate_funds_a_year(cast: Cast) -> None:
    pairs = make_pairs(cast)
    Round.objects.filter(pk=pairs.round.pk).update(policy_key="shanghai")  # has the ¥20,000 rule
    extra = [
        make_pairing(
            pairs.round,
            make_org(
                cast.county, f"U{i:04d}", f"帮扶单位{i}", OrgLevel.COMMITTEE, OrgKind.AGENCY, line=AgencyLine.OTHER
            ),
            cast.village,
        )
        for i in range(40)
    ]
    weak = [pairs.main, pairs.other_donor, *extra]  # all with 花家村 (tag weak)
    year = datetime.date.today().year - 1
    result = generate_funds(
        [pairs.main, pairs.second, pairs.sibling, pairs.other_donor, *extra], year, random.Random(7)
    )
    assert result.counts["transfers"] == Transfer.objects.count() > 0
    assert result.counts["receipts"] == Receipt.objects.count()
    paid = paid_by_pairing([p.pk for p in weak], datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    reaching = sum(amount >= D("20000") for amount in paid.values())
    assert 0.6 * len(weak) <= reaching < len(weak)  # mostly at least ¥20,000, some short
    # Every row is within the year; no village ever spent more than it had received.
    assert not Transfer.objects.exclude(date__year=year).exists()
    for r in Receipt.objects.select_related("transfer"):
        assert r.amount == r.transfer.amount and r.received_on >= r.transfer.date
    ledgers = pairing_ledgers([p.pk for p in weak])
    assert all(ledger.balance >= ZERO and ledger.in_transit >= ZERO for ledger in ledgers.values())
    for use in Use.objects.all():
        received_before = Receipt.objects.filter(
            transfer__pairing_id=use.pairing_id, received_on__lte=use.date
        ).aggregate(s=Sum("amount"))["s"]
        used_before = Use.objects.filter(pairing_id=use.pairing_id, date__lte=use.date).aggregate(s=Sum("amount"))["s"]
        assert used_before <= received_before
    assert village_totals(cast.village.pk).balance >= ZERO
    # Disclosures are what the ledger says for their half year.
    assert Disclosure.objects.exists()
    for d in Disclosure.objects.all():
        got = Receipt.objects.filter(
            transfer__pairing__village=d.village, received_on__range=(d.period_start, d.period_end)
        )
        assert d.received_total == (got.aggregate(s=Sum("amount"))["s"] or ZERO)
        assert len(d.content["receipts"]) == got.count()
    assert Pledge.objects.filter(year=year).count() == result.counts["pledges"]

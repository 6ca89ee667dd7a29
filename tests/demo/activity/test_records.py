"""Demo data: a round with signed pairings on the county demo registry (through the services,
and in bulk), and a year of generated records with good, fair and lagging pairs."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min
from django.utils import timezone

from gongjian.demo.activity.records import generate_records
from gongjian.demo.activity.rounds import demo_round_with_signed_pairings
from gongjian.demo.registry import generate
from gongjian.orgs.models import Organization
from gongjian.policies import load_profile
from gongjian.records.choices import FeedbackStatus
from gongjian.records.models import Delivery, FeedbackCard, PerformanceCard, SixMustRecord, Visit
from gongjian.records.selectors_cards import missing_performance_months
from gongjian.rounds.models import Agreement, DirectoryEntry, Pairing, PairingStatus, Stage

TODAY = datetime.date.today()


def test_county_round_through_the_services_then_a_year_of_records(db: None) -> None:
    result = generate("county", seed=3, year=TODAY.year)
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["city_admin", "unit_user", "village_user"])
    }
    city = Organization.objects.get(pk=result.places["city_committee"])
    made = demo_round_with_signed_pairings(
        scope=city,
        actor=users["city_admin"],
        year=TODAY.year,
        policy_key="shanghai",
        unit_user=users["unit_user"],
        village_user=users["village_user"],
    )
    assert not made.bulk and made.pairings > 100
    round_ = made.round
    assert round_.term_start == datetime.date(TODAY.year, 1, 1)
    pairings = Pairing.objects.filter(round=round_)
    assert set(pairings.values_list("status", flat=True)) == {PairingStatus.SIGNED}
    # The demo accounts' own pair was signed by them, with the real agreement.
    own = pairings.get(unit=users["unit_user"].organization, village=users["village_user"].organization)
    agreement = Agreement.objects.get(pairing=own)
    assert agreement.signed_pdf and agreement.unit_signer_name and agreement.village_signer_name
    assert DirectoryEntry.objects.filter(round=round_, stage=Stage.SIGNED).count() == pairings.count()

    counts = generate_records(pairings, TODAY.year, random.Random(7), density=40, today=TODAY)
    per_pair = counts["total"] / pairings.count()
    assert 25 <= per_pair <= 55, counts
    assert counts["visit"] == Visit.objects.count() and counts["performancecard"] == PerformanceCard.objects.count()
    for model in (Visit, SixMustRecord, Delivery):
        span = model.objects.aggregate(first=Min("date"), last=Max("date"))
        assert span["first"] >= round_.term_start and span["last"] < TODAY
    # Varied compliance: some pairs miss months, others none; some opinions are overdue.
    if TODAY.month >= 3:
        missing = missing_performance_months(pairings, today=TODAY)
        assert 0 < len(missing) < pairings.count()
    assert FeedbackCard.objects.filter(status=FeedbackStatus.OPEN, due__lt=TODAY).exists()
    assert FeedbackCard.objects.filter(status=FeedbackStatus.CLOSED).exists()
    kinds = SixMustRecord.objects.values("pairing").annotate(n=Count("kind", distinct=True))
    assert {row["n"] for row in kinds} >= {6, 2}
    # Most cards are in by the profile's due day (a good pair is never late), some are late.
    due_day = load_profile("shanghai").records.performance_card_due_day
    lateness = [
        timezone.localdate(submitted) > (month + datetime.timedelta(days=31)).replace(day=due_day)
        for month, submitted in PerformanceCard.objects.exclude(submitted_at=None).values_list("month", "submitted_at")
    ]
    assert 0 < sum(lateness) < 0.2 * len(lateness), (sum(lateness), len(lateness))
    # One card per pair and month (the table's constraint held).
    assert not PerformanceCard.objects.values("pairing", "month").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_bulk_round_pairs_every_village_it_can(db: None) -> None:
    result = generate("county", seed=4, year=TODAY.year)
    city = Organization.objects.get(pk=result.places["city_committee"])
    made = demo_round_with_signed_pairings(scope=city, actor=None, year=TODAY.year, bulk=True, seed=2)
    assert made.bulk and made.pairings > 100
    pairings = Pairing.objects.filter(round=made.round)
    assert pairings.count() == made.pairings
    # No village twice, no unit beyond its capacity.
    assert pairings.values("village").distinct().count() == made.pairings
    over = pairings.values("unit", "unit__capacity").annotate(n=Count("pk")).filter(n__gt=1)
    assert all(row["n"] <= row["unit__capacity"] for row in over)
    counts = generate_records(pairings, TODAY.year, random.Random(1), density=60, today=TODAY)
    assert counts["total"] >= 40 * made.pairings

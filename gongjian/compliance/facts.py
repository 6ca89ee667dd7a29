"""Facts for the evaluation, gathered with a handful of GROUP BY queries over the records
and funds tables for all pairs at once (never one query per pair): a province's year of
records is read in a few seconds.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, TruncDate

from gongjian.compliance.evaluate import CardFact, FeedbackFact, PairFacts
from gongjian.compliance.facts_practices import five_one_facts
from gongjian.funds.models import DonorFeedback, Receipt, Transfer
from gongjian.members.models import IndividualDelivery
from gongjian.orgs.models import Organization, OrgLevel
from gongjian.records.choices import CardStatus, ReportStatus
from gongjian.records.models import (
    Delivery,
    FeedbackCard,
    PerformanceCard,
    Project,
    QuarterlyReport,
    SixMustRecord,
    Visit,
)
from gongjian.rounds.models import Pairing, PairingStatus

COMMITTEE_LEVELS = (OrgLevel.COUNTY_COMMITTEE, OrgLevel.WORK_COMMITTEE)


@dataclass(frozen=True)
class PairRow:
    """A signed pair and what the assessment groups it by."""

    pairing_id: int
    round_id: int
    policy_key: str
    unit_id: int
    village_id: int
    village_name: str
    county: str
    term_start: datetime.date
    term_end: datetime.date


def signed_pairs(pairings: QuerySet[Pairing]) -> list[PairRow]:
    """The signed pairs, each with its term: the round's, except that a replacement made in a
    dynamic adjustment owes from the day it was made, not from the round's start (a pair
    replaced in October does not owe the visits, cards and duties of January to September)."""
    rows = (
        pairings.filter(status=PairingStatus.SIGNED)
        .annotate(made=TruncDate("adjustment__created_at"))  # the replacement's adjustment, if any
        .values_list(
            "id", "round_id", "round__policy_key", "unit_id", "village_id", "village__name", "entry__county",
            "round__term_start", "round__term_end", "made",
        )
    )  # fmt: skip
    return [
        PairRow(pk, round_id, policy, unit, village, name, county, max(start, made) if made else start, end)
        for pk, round_id, policy, unit, village, name, county, start, end, made in rows
    ]


def _rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The query's rows as the database sends them: a million values through the ORM's
    per-value converters cost more than the query. Columns come in the order of the
    queryset's fields, then its annotations in the order they were added.

    SQLite (the embedded database of ``make run``) sends dates as text: there the ORM's
    converters run, at the small scale such a database holds."""
    if connection.vendor != "postgresql":  # .values() rows are dicts, .values_list() rows tuples
        return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in queryset]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _counts(queryset: QuerySet[Any], field: str) -> dict[int, dict[str, int]]:
    """pairing → value of ``field`` → rows, in one GROUP BY."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for pairing_id, value, n in _rows(queryset.values("pairing_id", field).annotate(n=Count("id"))):
        result[pairing_id][value] = n
    return result


def _monthly(queryset: QuerySet[Any], field: str) -> dict[int, dict[str, dict[int, int]]]:
    """pairing → value of ``field`` → month → rows, in one GROUP BY."""
    result: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = _rows(queryset.values("pairing_id", field).annotate(m=ExtractMonth("date"), n=Count("id")))
    for pairing_id, value, month, n in rows:
        result[pairing_id][value][int(month)] = n
    return result


# The individual pairs whose 五送 are the pair's (seed 000: "党员领导干部与贫困户结对帮扶，开展…‘五送’
# 活动"): a leading cadre with a poor household, and a "1+2" cadre with a needy member and villager.
# A branch's care for a needy member (双结对) is party care, not the unit's 五送.
_DELIVERING_PAIRS = ("household_pair__pairing_id", "cadre_pair__pairing_id")


def _add_individual_deliveries(
    deliveries: dict[int, dict[str, dict[int, int]]], ids: Any, start: datetime.date, end: datetime.date
) -> None:
    """Add the household and "1+2" pairs' 五送 of the year to ``deliveries`` (pairing → kind →
    month → times), one GROUP BY per pair kind."""
    for field in _DELIVERING_PAIRS:
        queryset = IndividualDelivery.objects.filter(**{f"{field}__in": ids}, delivered_on__range=(start, end))
        for pairing_id, kind, month, n in _rows(
            queryset.values(field, "kind").annotate(m=ExtractMonth("delivered_on"), n=Count("id"))
        ):
            by_month = deliveries[pairing_id][kind]
            by_month[int(month)] = by_month.get(int(month), 0) + n


def gather(pairings: QuerySet[Pairing], *, year: int, as_of: datetime.date) -> list[PairFacts]:
    """Facts of every signed pair of ``pairings`` for ``year``, counting what happened by ``as_of``."""
    rows = signed_pairs(pairings)
    if not rows:
        return []
    ids = pairings.filter(status=PairingStatus.SIGNED).values("id")  # a subquery, not a list of 20,000 ids
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), as_of)
    in_year = Q(pairing_id__in=ids, date__range=(start, end))

    tags: dict[int, set[str]] = defaultdict(set)
    through = Organization.tags.through.objects.filter(
        organization_id__in=pairings.filter(status=PairingStatus.SIGNED).values("village_id")
    )
    for village_id, code in through.values_list("organization_id", "tag__code"):
        tags[village_id].add(code)

    visits_year = _monthly(Visit.objects.filter(in_year), "visitor_level")
    visits_term = _counts(Visit.objects.filter(pairing_id__in=ids, date__lte=as_of), "visitor_level")
    six = _monthly(SixMustRecord.objects.filter(in_year), "kind")
    deliveries = _monthly(Delivery.objects.filter(in_year), "kind")
    _add_individual_deliveries(deliveries, ids, start, end)
    paid: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pairing_id, paid_month, amount in _rows(
        Transfer.objects.filter(in_year).values("pairing_id").annotate(m=ExtractMonth("date"), s=Sum("amount"))
    ):
        paid[pairing_id][int(paid_month)] = amount
    # A project counts for the year if it ran in it and shows progress: a percentage, a
    # milestone reached this year, or evidence uploaded this year.
    projects: dict[int, int] = dict(
        _rows(  # type: ignore[arg-type]
            Project.objects.filter(pairing_id__in=ids, start__lte=end, end__gte=start)
            .filter(
                Q(progress__gt=0) | Q(milestones__done_on__range=(start, end)) | Q(evidence__uploaded_at__year=year)
            )
            .values("pairing_id")
            .annotate(n=Count("id", distinct=True))
        )
    )
    cards: dict[int, dict[int, CardFact]] = defaultdict(dict)
    for pairing_id, first_day, submitted, signed in _rows(
        PerformanceCard.objects.filter(
            pairing_id__in=ids, month__range=(start, datetime.date(year, 12, 1)), status=CardStatus.COUNTERSIGNED
        )
        .values("pairing_id", "month")
        .annotate(s=TruncDate("submitted_at"), c=TruncDate("countersigned_at"))
    ):
        cards[pairing_id][first_day.month] = CardFact(
            submitted if submitted and submitted <= as_of else None, signed if signed and signed <= as_of else None
        )
    feedback: dict[int, list[FeedbackFact]] = defaultdict(list)
    for pairing_id, opened, answered in _rows(
        FeedbackCard.objects.filter(pairing_id__in=ids)
        .values("pairing_id")
        .annotate(o=TruncDate("entered_at"), a=TruncDate("answered_at"))
        .filter(o__gte=start, o__lte=end)
    ):
        feedback[pairing_id].append(FeedbackFact(opened, answered if answered and answered <= as_of else None))
    # 定期向援助单位反馈 (seed 004 doc 1 (十一)): from the first funds received, the village's
    # reports to the donor (a quarter's window reaches into the next year's January).
    first_received: dict[int, datetime.date] = dict(
        _rows(  # type: ignore[arg-type]
            Receipt.objects.filter(transfer__pairing_id__in=ids, received_on__lte=end)
            .values("transfer__pairing_id")
            .annotate(f=Min("received_on"))
        )
    )
    donor_feedback: dict[int, list[datetime.date]] = defaultdict(list)
    for pairing_id, day in _rows(
        DonorFeedback.objects.filter(
            pairing_id__in=ids, date__range=(start, min(as_of, datetime.date(year + 1, 3, 31)))
        ).values_list("pairing_id", "date")
    ):
        donor_feedback[pairing_id].append(day)
    five_ones = five_one_facts(ids, year)
    reports: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    for unit_id, quarter, submitted in _rows(
        QuarterlyReport.objects.filter(
            organization_id__in=pairings.filter(status=PairingStatus.SIGNED).values("unit_id"),
            year=year,
            status=ReportStatus.SUBMITTED,
        )
        .values("organization_id", "quarter")
        .annotate(s=TruncDate("submitted_at"))
        .filter(s__lte=as_of)
    ):
        reports[unit_id][quarter] = submitted

    return [
        PairFacts(
            pairing_id=row.pairing_id,
            unit_id=row.unit_id,
            village_id=row.village_id,
            term_start=row.term_start,
            term_end=row.term_end,
            village_tags=frozenset(tags.get(row.village_id, ())),
            visits_year=visits_year.get(row.pairing_id, {}),
            visits_term=visits_term.get(row.pairing_id, {}),
            six_musts=six.get(row.pairing_id, {}),
            deliveries=deliveries.get(row.pairing_id, {}),
            funds_paid=paid.get(row.pairing_id, {}),
            projects_with_progress=projects.get(row.pairing_id, 0),
            cards=cards.get(row.pairing_id, {}),
            funds_first_received=first_received.get(row.pairing_id),
            donor_feedback=tuple(donor_feedback.get(row.pairing_id, ())),
            feedback=tuple(feedback.get(row.pairing_id, ())),
            reports=reports.get(row.unit_id, {}),
            five_ones=five_ones.get(row.pairing_id, {}),
        )
        for row in rows
    ]


def committees_of(unit_ids: set[int]) -> dict[int, int | None]:
    """Each unit's nearest county or work committee above it (whose ranking it is in)."""
    paths = dict(Organization.objects.filter(id__in=unit_ids).values_list("id", "path"))
    ancestors: dict[int, list[int]] = {
        unit_id: [int(p) for p in path.strip("/").split("/") if p][:-1] for unit_id, path in paths.items()
    }
    wanted = {a for chain in ancestors.values() for a in chain}
    committees = set(
        Organization.objects.filter(id__in=wanted, level__in=COMMITTEE_LEVELS).values_list("id", flat=True)
    )
    result: dict[int, int | None] = {}
    for unit_id, chain in ancestors.items():
        nearest = [a for a in chain if a in committees]
        result[unit_id] = nearest[-1] if nearest else (chain[-1] if chain else None)
    return result

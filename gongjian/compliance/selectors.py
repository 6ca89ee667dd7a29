"""Reads of the compliance app, always within the user's scope (through ``orgs.scope``).

A pair is visible to whoever sees its unit or its village: the unit's and the village's own
users, and the admins of any subtree holding either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from gongjian.compliance.assess import money, rank_within
from gongjian.compliance.models import (
    ComplianceStatus,
    ObligationResult,
    PairStatus,
    SecretaryDeparture,
    SecretaryYearPay,
    UnitScore,
)
from gongjian.joint.selectors import organizations_visible
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import (
    ADMIN_ROLES,
    filter_by_organization,
    overlaps,
    scope_root,
    subtree_path,
)

NOT_MET = (ComplianceStatus.AT_RISK, ComplianceStatus.MISSED)


def _visible(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return filter_by_organization(queryset, user, "unit") | filter_by_organization(queryset, user, "village")


def status_choices() -> list[tuple[str, Any]]:
    """The statuses the overview may be filtered by (value, label)."""
    return list(ComplianceStatus.choices)


def is_admin(user: Any) -> bool:
    return getattr(user, "role", "") in ADMIN_ROLES and scope_root(user) is not None


def years(*, user: Any) -> list[int]:
    """Assessment years with stored results the user can see, newest first."""
    rows = _visible(PairStatus.objects.all(), user).values_list("year", flat=True).distinct()
    return sorted(set(rows), reverse=True)


@dataclass(frozen=True)
class Filters:
    year: int
    status: str = ""
    county: str = ""
    obligation: str = ""


def pair_statuses(*, user: Any, filters: Filters) -> QuerySet[PairStatus]:
    """The pairs of the year, worst first, filtered by status, county and obligation."""
    rows = _visible(PairStatus.objects.filter(year=filters.year), user)
    if filters.county:
        rows = rows.filter(county=filters.county)
    status = filters.status if filters.status in ComplianceStatus.values else ""
    if filters.obligation:
        # With an obligation the status is that obligation's (default: at risk or missed).
        wanted = ObligationResult.objects.filter(year=filters.year, obligation_id=filters.obligation)
        wanted = wanted.filter(status=status) if status else wanted.filter(status__in=NOT_MET)
        rows = rows.filter(pairing__in=wanted.values("pairing_id"))
    elif status:
        rows = rows.filter(status=status)
    return rows.select_related("unit", "village").order_by("-missed", "-at_risk", "next_deadline", "pk")


def status_counts(*, user: Any, year: int) -> dict[str, int]:
    rows = _visible(PairStatus.objects.filter(year=year), user).values("status").annotate(n=Count("id"))
    counts = {value: 0 for value in ComplianceStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def counties(*, user: Any, year: int) -> list[str]:
    rows = _visible(PairStatus.objects.filter(year=year), user).exclude(county="")
    return sorted(set(rows.values_list("county", flat=True)))


def obligation_choices(*, user: Any, year: int) -> list[tuple[str, str]]:
    """Obligations that appear in the user's pairs this year (id, label)."""
    pairs = _visible(PairStatus.objects.filter(year=year), user).values("pairing_id")
    rows = ObligationResult.objects.filter(year=year, pairing__in=pairs).values_list("obligation_id", "label")
    return sorted(set(rows))


def reasons_for(*, statuses: list[PairStatus]) -> dict[int, list[ObligationResult]]:
    """The open or missed obligations of a page of pairs (one query)."""
    result: dict[int, list[ObligationResult]] = {s.pairing_id: [] for s in statuses}
    for item in ObligationResult.objects.filter(
        pairing_id__in=list(result), year__in={s.year for s in statuses}, status__in=NOT_MET
    ).order_by("deadline"):
        result[item.pairing_id].append(item)
    return result


def pair_detail(*, user: Any, pairing_id: int, year: int) -> tuple[PairStatus, list[ObligationResult]]:
    """One pair's status and its obligations; 404 outside the scope."""
    status = (
        _visible(PairStatus.objects.filter(pairing_id=pairing_id, year=year), user)
        .select_related("unit", "village", "committee", "round")
        .first()
    )
    if status is None:
        raise Http404
    results = list(ObligationResult.objects.filter(pairing_id=pairing_id, year=year).order_by("obligation_id"))
    return status, results


def pair_history(*, user: Any, pairing_id: int) -> QuerySet[PairStatus]:
    return _visible(PairStatus.objects.filter(pairing_id=pairing_id), user).order_by("-year")


def unit_scores(*, user: Any, year: int, committee_id: int | None = None) -> QuerySet[UnitScore]:
    """Units' annual scores, by committee and rank."""
    rows = filter_by_organization(UnitScore.objects.filter(year=year), user, "unit")
    if committee_id:
        rows = rows.filter(committee_id=committee_id)
    return rows.select_related("unit", "committee").order_by("committee__path", "rank", "unit__name")


def committees(*, user: Any, year: int) -> QuerySet[Organization]:
    ids = filter_by_organization(UnitScore.objects.filter(year=year), user, "unit").values("committee_id")
    return Organization.objects.filter(pk__in=ids).order_by("path")


def pairs_to_adjust(*, user: Any, year: int) -> QuerySet[PairStatus]:
    return (
        _visible(PairStatus.objects.filter(year=year, to_adjust=True), user)
        .select_related("unit", "village")
        .order_by("score", "pk")
    )


def pair_scores(*, user: Any, year: int) -> QuerySet[PairStatus]:
    return (
        _visible(PairStatus.objects.filter(year=year), user)
        .select_related("unit", "village", "committee")
        .order_by("committee__path", "rank", "pk")
    )


@dataclass(frozen=True)
class CommitteeScore:
    """A county or work committee's line of the responsibility assessment (seed 004 doc 1 (十)
    "纳入年度基层党建责任制考核内容"): its units' pairs, their mean score (the ranking key: the
    seed gives none, so the platform ranks by the mean of the pairs' scores), and how many pairs
    met everything, missed something, or are to be adjusted."""

    committee: Organization
    rank: int
    pairs: int
    units: int
    score: Decimal
    met: int
    missed: int
    to_adjust: int

    @property
    def met_percent(self) -> Decimal:
        return money(Decimal(100) * self.met / self.pairs) if self.pairs else Decimal(0)


def committee_scores(*, user: Any, year: int) -> list[CommitteeScore]:
    """The committees being assessed, ranked among those under the same parent (the city's
    committees together), each shown to the admins of its subtree and of any subtree above;
    units, villages and outsiders get none."""
    path = subtree_path(user)
    if path is None or not is_admin(user):
        return []
    rows = list(
        PairStatus.objects.filter(year=year, committee__isnull=False)
        .values("committee_id")
        .annotate(
            pairs=Count("id"),
            units=Count("unit_id", distinct=True),
            mean=Avg("score"),
            met=Count("id", filter=Q(status=ComplianceStatus.MET)),
            missed=Count("id", filter=Q(missed__gt=0)),
            adjust=Count("id", filter=Q(to_adjust=True)),
        )
    )
    committees = Organization.objects.in_bulk([r["committee_id"] for r in rows])
    scores = {r["committee_id"]: money(r["mean"]) for r in rows}
    ranks = rank_within(scores, {cid: committees[cid].parent_id for cid in scores})
    out = [
        CommitteeScore(
            committee=committees[r["committee_id"]], rank=ranks[r["committee_id"]], pairs=r["pairs"],
            units=r["units"], score=scores[r["committee_id"]], met=r["met"], missed=r["missed"],
            to_adjust=r["adjust"],
        )
        for r in rows
        if overlaps(committees[r["committee_id"]], path)
    ]  # fmt: skip
    return sorted(out, key=lambda c: (c.committee.path.rsplit("/", 2)[0], c.rank, c.committee.name))


def secretary_pays(*, user: Any) -> QuerySet[SecretaryYearPay]:
    """Village secretaries' years (seed 004 doc 3) of the villages in the user's subtree."""
    rows = filter_by_organization(SecretaryYearPay.objects.all(), user, "village")
    return rows.select_related("village").order_by("-year", "village__path")


def secretary_departures(*, user: Any) -> QuerySet[SecretaryDeparture]:
    rows = filter_by_organization(SecretaryDeparture.objects.all(), user, "village")
    return rows.select_related("village").order_by("-left_on", "-pk")


def villages_for_secretaries(*, user: Any) -> QuerySet[Organization]:
    """The villages an administrator may record a secretary for (the services check the rule)."""
    if not is_admin(user):
        return Organization.objects.none()
    return organizations_visible(user).filter(kind=OrgKind.VILLAGE).order_by("path")


def scope_label(*, user: Any) -> str:
    root = scope_root(user)
    return root.name if root is not None else ""

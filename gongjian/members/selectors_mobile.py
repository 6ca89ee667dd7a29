"""Reads of mobile-member management, filtered to dual scope (origin side, current host
side, own account); anything outside is a 404."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.members.access import is_host_side, is_origin_side, member_scope_q
from gongjian.members.models import (
    HalfYearReport,
    HostingPeriod,
    HostQuery,
    MemberAgreement,
    MemberStatus,
    MobileMember,
    ServiceStation,
)
from gongjian.members.policy import MembersRules, half_label, halves_due, profile_key_for, rules_for_key
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.scope import Scope, filter_by_organization, organizations_in_scope, subtree_path
from gongjian.orgs.search import filter_by_name


def members_visible(user: Any) -> QuerySet[MobileMember]:
    q = member_scope_q(user)
    if q is None:
        return MobileMember.objects.none()
    return MobileMember.objects.filter(q)


def status_choices() -> list[tuple[str, Any]]:
    """The statuses a member list may be filtered by (value, label)."""
    return list(MemberStatus.choices)


def status_counts(user: Any) -> dict[str, int]:
    """How many members the user sees in each status (statuses without one are 0)."""
    counted = dict(members_visible(user).order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counted.get(status, 0) for status in MemberStatus.values}


def own_memberships(user: Any) -> QuerySet[MobileMember]:
    """The mobile-member records of the user's own account (a member sees their own page)."""
    if not getattr(user, "is_authenticated", False):
        return MobileMember.objects.none()
    return members_visible(user).filter(account=user)


def member_list(*, user: Any, status: str = "", query: str = "", station: int | None = None) -> QuerySet[MobileMember]:
    qs = members_visible(user).select_related("person", "origin", "host", "station", "agreement")
    if status:
        qs = qs.filter(status=status)
    if station:
        qs = qs.filter(station_id=station)
    if query:
        qs = filter_by_name(qs, query, prefix="person__")
    return qs.order_by("origin__path", "person__name", "pk")


def member_get(*, user: Any, pk: int) -> MobileMember:
    try:
        return members_visible(user).select_related("person", "origin", "host", "station").get(pk=pk)
    except MobileMember.DoesNotExist as exc:
        raise Http404 from exc


def member_agreement(member: MobileMember) -> MemberAgreement | None:
    return MemberAgreement.objects.filter(member=member).first()


def member_periods(member: MobileMember) -> QuerySet[HostingPeriod]:
    return member.periods.select_related("host", "station").order_by("started_on", "pk")


def member_reports(member: MobileMember) -> QuerySet[HalfYearReport]:
    return member.reports.select_related("entered_by").order_by("-year", "-half")


def member_queries(member: MobileMember) -> QuerySet[HostQuery]:
    """The hosts' queries about the member, newest first."""
    return member.queries.select_related("host", "origin").order_by("-asked_at")


@dataclass(frozen=True)
class MemberSide:
    """How the user stands to the member (decides which buttons the page shows)."""

    origin: bool
    host: bool
    own: bool


def member_side(*, user: Any, member: MobileMember) -> MemberSide:
    return MemberSide(
        origin=is_origin_side(user, member.origin),
        host=is_host_side(user, member.host),
        own=member.account_id is not None and getattr(user, "pk", None) == member.account_id,
    )


# ---------------------------------------------------------------- flags


class _RulesCache:
    """Rules per origin organization, one round lookup per organization per request."""

    def __init__(self) -> None:
        self._by_org: dict[int, MembersRules] = {}

    def __call__(self, origin: Organization) -> MembersRules:
        if origin.pk not in self._by_org:
            self._by_org[origin.pk] = rules_for_key(profile_key_for(origin))
        return self._by_org[origin.pk]


@dataclass(frozen=True)
class MissingReport:
    member: MobileMember
    year: int
    half: int
    due: datetime.date

    @property
    def label(self) -> str:
        return half_label(self.year, self.half)


def member_flags(
    member: MobileMember,
    *,
    rules: MembersRules,
    agreement: MemberAgreement | None,
    reported: set[tuple[int, int]],
    today: datetime.date,
) -> list[str]:
    """What is wrong with a member's record, in words (empty when all is in order)."""
    flags = []
    if member.status != MemberStatus.RETURNED and (agreement is None or agreement.signed_on is None):
        flags.append("未签订管理协议，登记未完成" if member.left_on > today else "已外出但未签订管理协议")
    elif (
        agreement is not None
        and agreement.signed_on is not None
        and rules.agreement_before_leaving
        and agreement.signed_on > member.left_on
    ):
        flags.append("管理协议晚于外出日期签订")
    for year, half, _due in halves_due(member.left_on, member.returned_on, today, rules.report_grace_days):
        if (year, half) not in reported:
            flags.append(f"缺{half_label(year, half)}思想汇报")
    return flags


def flags_for(members: list[MobileMember], today: datetime.date | None = None) -> dict[int, list[str]]:
    """Flags of many members in three queries (reports, agreements) plus one per origin."""
    today = today or timezone.localdate()
    ids = [m.pk for m in members]
    reported: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for member_id, year, half in HalfYearReport.objects.filter(member_id__in=ids).values_list(
        "member_id", "year", "half"
    ):
        reported[member_id].add((year, half))
    agreements = {a.member_id: a for a in MemberAgreement.objects.filter(member_id__in=ids)}
    rules = _RulesCache()
    return {
        m.pk: member_flags(
            m, rules=rules(m.origin), agreement=agreements.get(m.pk), reported=reported[m.pk], today=today
        )
        for m in members
    }


def missing_reports(*, user: Any, today: datetime.date | None = None) -> list[MissingReport]:
    """Every half-year report missing in the user's scope, oldest first."""
    today = today or timezone.localdate()
    members = list(members_visible(user).select_related("person", "origin", "host"))
    reported: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for member_id, year, half in HalfYearReport.objects.filter(member__in=members).values_list(
        "member_id", "year", "half"
    ):
        reported[member_id].add((year, half))
    rules = _RulesCache()
    out = []
    for member in members:
        grace = rules(member.origin).report_grace_days
        for year, half, due in halves_due(member.left_on, member.returned_on, today, grace):
            if (year, half) not in reported[member.pk]:
                out.append(MissingReport(member, year, half, due))
    return sorted(out, key=lambda m: (m.due, m.member.person.name))


# ---------------------------------------------------------------- counts


@dataclass(frozen=True)
class CountRow:
    name: str
    pk: int
    out: int
    pending: int
    returned: int


def _count_rows(qs: QuerySet[MobileMember], field: str) -> list[CountRow]:
    rows = (
        qs.exclude(**{f"{field}__isnull": True})
        .values(f"{field}_id", f"{field}__name")
        .annotate(
            out=Count("pk", filter=Q(status=MemberStatus.OUT)),
            pending=Count("pk", filter=Q(status=MemberStatus.PENDING)),
            returned=Count("pk", filter=Q(status=MemberStatus.RETURNED)),
        )
        .order_by("-out", f"{field}__name")
    )
    return [CountRow(r[f"{field}__name"], r[f"{field}_id"], r["out"], r["pending"], r["returned"]) for r in rows]


def counts(*, user: Any) -> dict[str, list[CountRow]]:
    """Members per origin organization, per host organization and per station (one GROUP BY each)."""
    qs = members_visible(user)
    return {"origin": _count_rows(qs, "origin"), "host": _count_rows(qs, "host"), "station": _count_rows(qs, "station")}


# ---------------------------------------------------------------- stations


def station_list(*, user: Any) -> QuerySet[ServiceStation]:
    """Stations run in the user's subtree, with their members out now."""
    return (
        filter_by_organization(ServiceStation.objects.all(), user, "organization")
        .select_related("organization", "region")
        .annotate(members_out=Count("members", filter=Q(members__status=MemberStatus.OUT)))
        .order_by("organization__path", "name")
    )


def station_organizations(*, user: Any) -> QuerySet[Organization]:
    """The organizations the user may set up a station for: its subtree, in tree order."""
    return organizations_in_scope(user).order_by("path")


def station_choices(*, user: Any) -> QuerySet[ServiceStation]:
    """Any station may host a member (they work far from home): all of them, by name."""
    if subtree_path(user) is None:
        return ServiceStation.objects.none()
    return ServiceStation.objects.select_related("organization").order_by("name")


# ---------------------------------------------------------------- queries


def query_status(query: HostQuery, today: datetime.date | None = None) -> str:
    if query.answered_at is not None:
        return "answered"
    return "overdue" if (today or timezone.localdate()) > query.due_on else "open"


QUERY_STATUS_LABELS = {"answered": "已答复", "open": "待答复", "overdue": "逾期未复"}


def query_list(*, user: Any, direction: str = "") -> QuerySet[HostQuery]:
    """Queries the user's side asked (``sent``) or must answer (``received``), or both."""
    scope = Scope.of(user)
    if scope.root is None:
        return HostQuery.objects.none()
    sent, received = scope.q("host"), scope.q("origin")
    q = sent if direction == "sent" else received if direction == "received" else sent | received
    return HostQuery.objects.filter(q).select_related("member__person", "host", "origin").order_by("-asked_at", "-pk")


def open_query_count(*, user: Any) -> int:
    """Queries the user's side must still answer."""
    return query_list(user=user, direction="received").filter(answered_at__isnull=True).count()


def query_get(*, user: Any, pk: int) -> HostQuery:
    try:
        return query_list(user=user).get(pk=pk)
    except HostQuery.DoesNotExist as exc:
        raise Http404 from exc


def person_by_id_number(*, user: Any, id_number: str) -> Person | None:
    """The party member with this ID number in the user's part of the registry, if any."""
    return Person.objects.filter(
        id_number=id_number.strip().upper(), organization__in=organizations_in_scope(user)
    ).first()


def host_by_code(code: str) -> Organization | None:
    """The active organization with this code, anywhere: a member may be hosted far from
    home, outside the user's subtree (the registration form's rule, for the API)."""
    code = (code or "").strip().upper()
    return Organization.objects.filter(code=code, is_active=True).first() if code else None

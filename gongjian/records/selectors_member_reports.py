"""Reading the first link of the reporting chain (seed 004 doc 5 三、3 "机关单位党员每季度向所在党组织
报告一次"): which party members of a unit have reported this quarter, when it is due (the profile's
``member_reports.due_days`` after the quarter; no due day where the profile has no such rule),
and the counts the unit's own report and its superior read."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.orgs.models import Organization, Person
from gongjian.orgs.scope import is_within, under
from gongjian.policies import load_profile
from gongjian.policies.member_reports import MemberReportRules
from gongjian.records.models import MemberReport
from gongjian.records.selectors_reports import quarter_bounds, reporting_unit, unit_pairings


def unit_members(unit: Organization) -> QuerySet[Person]:
    """The unit's party members (its branches' included) who owe a report; erased people do not."""
    return Person.objects.filter(under(unit, "organization"), is_party_member=True, erased_at__isnull=True).order_by(
        "organization__path", "name", "pk"
    )


def member_rules(unit: Organization) -> MemberReportRules | None:
    """The rule of the unit's latest round's profile (None: the profile sets no such duty)."""
    latest = unit_pairings(unit).order_by("-round__term_start").first()
    return load_profile(latest.round.policy_key).member_reports if latest else None


def member_report_due(rules: MemberReportRules | None, year: int, quarter: int) -> datetime.date | None:
    if rules is None:
        return None
    _start, end = quarter_bounds(year, quarter)
    return end + datetime.timedelta(days=rules.due_days)


@dataclass(frozen=True)
class MemberRow:
    """A party member of the unit and their report of the quarter (or none)."""

    person: Person
    report: MemberReport | None
    due: datetime.date | None
    overdue: bool


@dataclass(frozen=True)
class MemberSummary:
    members: int
    reported: int
    missing: tuple[str, ...]
    due: datetime.date | None

    @property
    def complete(self) -> bool:
        return self.reported >= self.members


def member_rows(unit: Organization, year: int, quarter: int, today: datetime.date | None = None) -> list[MemberRow]:
    today = today or timezone.localdate()
    due = member_report_due(member_rules(unit), year, quarter)
    reports = {r.person_id: r for r in MemberReport.objects.filter(organization=unit, year=year, quarter=quarter)}
    return [
        MemberRow(
            person=p,
            report=reports.get(p.pk),
            due=due,
            overdue=p.pk not in reports and due is not None and due < today,
        )
        for p in unit_members(unit).select_related("organization")
    ]


def member_report_rows(*, user: Any, year: int, quarter: int, today: datetime.date | None = None) -> list[MemberRow]:
    """For a unit user: every party member of the unit with the quarter's report. Anyone else: 404."""
    unit = reporting_unit(user)
    if unit is None:
        raise Http404
    return member_rows(unit, year, quarter, today)


def member_summary(unit: Organization, year: int, quarter: int) -> MemberSummary:
    rows = member_rows(unit, year, quarter)
    return MemberSummary(
        members=len(rows),
        reported=sum(r.report is not None for r in rows),
        missing=tuple(r.person.name for r in rows if r.report is None),
        due=rows[0].due if rows else member_report_due(member_rules(unit), year, quarter),
    )


def member_report_counts(unit_ids: list[int], year: int, quarter: int) -> dict[int, tuple[int, int]]:
    """(party members, reported) per unit, for the superior's list of its units — two queries."""
    members: Counter[int] = Counter()
    paths = dict(Organization.objects.filter(pk__in=unit_ids).values_list("pk", "path"))
    by_path = sorted(paths.items(), key=lambda kv: -len(kv[1]))
    people = Person.objects.filter(is_party_member=True, erased_at__isnull=True)
    q = None
    for _pk, path in by_path:
        q = under(path, "organization") if q is None else q | under(path, "organization")
    if q is not None:
        for org_path in people.filter(q).values_list("organization__path", flat=True).iterator(chunk_size=10_000):
            for pk, path in by_path:  # the deepest unit containing the person
                if is_within(org_path, path):
                    members[pk] += 1
                    break
    reported = Counter(
        MemberReport.objects.filter(organization_id__in=unit_ids, year=year, quarter=quarter).values_list(
            "organization_id", flat=True
        )
    )
    return {pk: (members[pk], reported[pk]) for pk in unit_ids}

"""Reading for the reports (seed 004 doc 5): the quarterly report a unit sends to its superior,
assembled from the quarter's records; who has and has not reported; and the figures of the
half-year inspection notice (半年督查通报)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import UNIT_USER, organizations_in_scope, pairings_under, scope_root
from gongjian.policies import RecordRules, load_profile
from gongjian.records.access import ARCHIVE_STATUSES, is_admin, pairings_in_scope
from gongjian.records.choices import CardStatus, FeedbackStatus, ReportStatus, VisitorLevel
from gongjian.records.models import (
    Delivery,
    FeedbackCard,
    InspectionNotice,
    PerformanceCard,
    Project,
    QuarterlyReport,
    SixMustRecord,
    Visit,
)
from gongjian.rounds.models import Pairing


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"季度应为 1–4：{quarter}")
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end - datetime.timedelta(days=1)


def current_quarter(today: datetime.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def unit_pairings(unit: Organization) -> QuerySet[Pairing]:
    """The unit's own pairings with an archive."""
    return Pairing.objects.filter(unit=unit, status__in=ARCHIVE_STATUSES).select_related("village", "round")


def rules_for_unit(unit: Organization) -> RecordRules:
    """The record rules of the unit's latest round (a unit reports to one superior)."""
    latest = unit_pairings(unit).order_by("-round__term_start").first()
    return load_profile(latest.round.policy_key).records if latest else RecordRules()


def rules_for_units(unit_ids: list[int]) -> dict[int, RecordRules]:
    """``rules_for_unit`` for many units in one query (each unit's latest round's profile)."""
    latest: dict[int, str] = {}
    rows = (
        Pairing.objects.filter(unit_id__in=unit_ids, status__in=ARCHIVE_STATUSES)
        .order_by("unit_id", "round__term_start")
        .values_list("unit_id", "round__policy_key")
    )
    for unit_id, key in rows.iterator(chunk_size=10_000):
        latest[unit_id] = key  # ordered by term start: the last one wins
    profiles = {key: load_profile(key).records for key in set(latest.values())}
    return {unit_id: profiles[key] for unit_id, key in latest.items()}


def report_due(unit: Organization, year: int, quarter: int, rules: RecordRules | None = None) -> datetime.date:
    """The day a unit's report of the quarter is due (the quarter's end + the profile's days)."""
    _start, end = quarter_bounds(year, quarter)
    return end + datetime.timedelta(days=(rules or rules_for_unit(unit)).quarterly_report_due_days)


def _lines(title: str, items: list[str]) -> list[str]:
    return [title, *(items or ["（无）"]), ""]


def assemble_report_body(unit: Organization, year: int, quarter: int) -> str:
    """The draft text of a unit's quarterly report, from the quarter's records of each of its
    pairings: visits, 六个一, 五送, projects' progress, monthly cards and villagers' opinions."""
    start, end = quarter_bounds(year, quarter)
    lines = [f"{unit.name}{year}年第{quarter}季度城乡基层党组织结对共建工作报告", ""]
    pairings = list(unit_pairings(unit).order_by("village__name"))
    if not pairings:
        lines.append("本季度无已签约的结对村。")
    for number, pairing in enumerate(pairings, start=1):
        period = {"pairing": pairing, "date__gte": start, "date__lte": end}
        lines.append(f"{number}. 结对村：{pairing.village.name}")
        visits = Visit.objects.filter(**period).order_by("date")
        lines += _lines(
            f"（一）走访（{visits.count()}次）",
            [
                f"  {v.date.month}月{v.date.day}日，{v.get_visitor_level_display()}{v.visitors}：{v.content}"
                for v in visits
            ],
        )
        six = SixMustRecord.objects.filter(**period).order_by("date")
        lines += _lines(
            f"（二）六个一（{six.count()}项）",
            [f"  {s.date.month}月{s.date.day}日，{s.get_kind_display()}：{s.content}" for s in six],
        )
        deliveries = Delivery.objects.filter(**period).order_by("date")
        lines += _lines(
            f"（三）五送（{deliveries.count()}次）",
            [
                f"  {d.date.month}月{d.date.day}日，{d.get_kind_display()}：{d.content}"
                + (f"（折合 {d.amount:,.2f} 元）" if d.amount is not None else "")
                for d in deliveries
            ],
        )
        projects = Project.objects.filter(pairing=pairing, start__lte=end, end__gte=start).order_by("start")
        lines += _lines(
            "（四）共建项目",
            [f"  {p.name}：{p.get_status_display()}，进度 {p.progress}%，预算 {p.budget:,.2f} 元" for p in projects],
        )
        cards = PerformanceCard.objects.filter(pairing=pairing, month__gte=start, month__lte=end).order_by("month")
        lines += _lines(
            "（五）工作实绩卡",
            [f"  {c.month.month}月：{c.get_status_display()}" for c in cards],
        )
        feedback = FeedbackCard.objects.filter(pairing=pairing, entered_at__date__gte=start, entered_at__date__lte=end)
        counts = Counter(feedback.values_list("status", flat=True))
        lines += _lines(
            "（六）群众意见",
            [
                f"  收到 {sum(counts.values())} 条，已答复 {counts[FeedbackStatus.ANSWERED]} 条，"
                f"已办结 {counts[FeedbackStatus.CLOSED]} 条，待答复 {counts[FeedbackStatus.OPEN]} 条"
            ],
        )
    # The first link (seed 004 doc 5 三、3): the unit's members reported to it this quarter.
    from gongjian.records.selectors_member_reports import member_summary  # imports this module

    members = member_summary(unit, year, quarter)
    lines += _lines(
        "党员季度报告（党员向本单位党组织报告）",
        [f"  应报 {members.members} 人，已报 {members.reported} 人"]
        + ([f"  未报：{'、'.join(members.missing)}"] if members.missing else []),
    )
    lines += ["下季度工作打算：", ""]
    return "\n".join(lines)


def reporting_unit(user: Any) -> Organization | None:
    """The unit a unit user reports for."""
    return scope_root(user) if getattr(user, "role", "") == UNIT_USER else None


def report_list(*, user: Any) -> QuerySet[QuarterlyReport]:
    """Quarterly reports the user may see: a unit its own, an admin its subtree's units'."""
    return (
        QuarterlyReport.objects.filter(organization__in=organizations_in_scope(user))
        .select_related("organization", "submitted_by")
        .order_by("-year", "-quarter", "organization__name")
    )


def report_get(*, user: Any, pk: int) -> QuarterlyReport:
    try:
        return report_list(user=user).get(pk=pk)
    except (QuarterlyReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class ReportStatusRow:
    """A unit of the superior's subtree and its report of the quarter (or none)."""

    unit: Organization
    report: QuarterlyReport | None
    due: datetime.date
    overdue: bool


def report_status_rows(
    *, user: Any, year: int, quarter: int, today: datetime.date | None = None
) -> list[ReportStatusRow]:
    """For an admin: every unit of its subtree that has a signed pairing, with the quarter's
    report status; units that have not submitted come first."""
    if not is_admin(user):
        return []
    today = today or timezone.localdate()
    unit_ids = pairings_in_scope(user).filter(unit__in=organizations_in_scope(user)).values("unit_id").distinct()
    units = list(Organization.objects.filter(pk__in=unit_ids).order_by("name"))
    reports = {
        r.organization_id: r
        for r in QuarterlyReport.objects.filter(organization__in=units, year=year, quarter=quarter).select_related(
            "organization"
        )
    }
    rules = rules_for_units([u.pk for u in units])
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        due = report_due(unit, year, quarter, rules.get(unit.pk, RecordRules()))
        submitted = report is not None and report.status == ReportStatus.SUBMITTED
        rows.append(ReportStatusRow(unit=unit, report=report, due=due, overdue=not submitted and due < today))
    return sorted(rows, key=lambda r: (r.report is not None and r.report.status == ReportStatus.SUBMITTED, r.unit.name))


# ---------------------------------------------------------------- half-year inspection notice


def half_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    if half not in (1, 2):
        raise ValueError(f"半年应为 1 或 2：{half}")
    return (
        (datetime.date(year, 1, 1), datetime.date(year, 6, 30))
        if half == 1
        else (
            datetime.date(year, 7, 1),
            datetime.date(year, 12, 31),
        )
    )


def notice_list(*, user: Any) -> QuerySet[InspectionNotice]:
    if not is_admin(user):
        return InspectionNotice.objects.none()
    return (
        InspectionNotice.objects.filter(organization__in=organizations_in_scope(user))
        .select_related("organization", "created_by")
        .order_by("-created_at")
    )


def notice_scopes(*, user: Any) -> list[tuple[int, str]]:
    """Committees an admin may publish a notice for: its own node and the committees below
    (at most 500, the highest first)."""
    kinds = (OrgKind.PARTY_COMMITTEE, OrgKind.TOWN)
    qs = organizations_in_scope(user).filter(kind__in=kinds).order_by("depth", "name")[:500]
    return [(o.pk, o.name) for o in qs]


def notice_get(*, user: Any, pk: int) -> InspectionNotice:
    try:
        return notice_list(user=user).get(pk=pk)
    except (InspectionNotice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def subtree_pairings(organization: Organization) -> QuerySet[Pairing]:
    """Pairings whose unit or village lies in the organization's subtree."""
    return Pairing.objects.filter(status__in=ARCHIVE_STATUSES).filter(pairings_under(organization))


def per_pair_counts(pairings: QuerySet[Pairing], start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
    """Visits, 六个一 (distinct kinds), 五送 and countersigned cards per pairing in a period:
    one GROUP BY per table."""
    out: dict[int, dict[str, int]] = {}

    def merge(name: str, rows: Any) -> None:
        for pairing_id, n in rows:
            out.setdefault(pairing_id, {})[name] = n

    period = {"pairing__in": pairings, "date__gte": start, "date__lte": end}
    merge(
        "visits",
        Visit.objects.filter(**period).values("pairing_id").annotate(n=Count("pk")).values_list("pairing_id", "n"),
    )
    merge(
        "six_kinds",
        SixMustRecord.objects.filter(**period)
        .values("pairing_id")
        .annotate(n=Count("kind", distinct=True))
        .values_list("pairing_id", "n"),
    )
    merge(
        "deliveries",
        Delivery.objects.filter(**period).values("pairing_id").annotate(n=Count("pk")).values_list("pairing_id", "n"),
    )
    merge(
        "countersigned",
        PerformanceCard.objects.filter(
            pairing__in=pairings, month__gte=start, month__lte=end, status=CardStatus.COUNTERSIGNED
        )
        .values("pairing_id")
        .annotate(n=Count("pk"))
        .values_list("pairing_id", "n"),
    )
    return out


def visit_level_counts(pairings: QuerySet[Pairing], start: datetime.date, end: datetime.date) -> dict[str, int]:
    rows = (
        Visit.objects.filter(pairing__in=pairings, date__gte=start, date__lte=end)
        .values("visitor_level")
        .annotate(n=Count("pk"))
        .values_list("visitor_level", "n")
    )
    found = dict(rows)
    return {str(label): found.get(value, 0) for value, label in VisitorLevel.choices}


def delivery_total(pairings: QuerySet[Pairing], start: datetime.date, end: datetime.date) -> Any:
    return Delivery.objects.filter(pairing__in=pairings, date__gte=start, date__lte=end).aggregate(s=Sum("amount"))["s"]


def overdue_feedback(pairings: QuerySet[Pairing], today: datetime.date) -> QuerySet[FeedbackCard]:
    return FeedbackCard.objects.filter(pairing__in=pairings, status=FeedbackStatus.OPEN, due__lt=today)

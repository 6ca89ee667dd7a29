"""Reading the archive, always through the user's scope (records.access → orgs.scope).

Every ``*_get`` raises ``Http404`` for an object outside the scope; every list is empty
for someone who may see nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gongjian.orgs.search import name_condition
from gongjian.records.access import pairings_in_scope, side_of
from gongjian.records.choices import ContactSide, FeedbackStatus, SixMust
from gongjian.records.models import (
    Contact,
    Delivery,
    Milestone,
    Project,
    SixMustRecord,
    Visit,
)
from gongjian.rounds.models import Pairing


def pairing_list(*, user: Any, query: str = "", status: str = "") -> QuerySet[Pairing]:
    """The pairings whose archive the user may see, searchable by unit or village name (or pinyin)."""
    qs = pairings_in_scope(user)
    if status:
        qs = qs.filter(status=status)
    village_match, unit_match = name_condition(query, prefix="village__"), name_condition(query, prefix="unit__")
    if village_match is not None and unit_match is not None:
        qs = qs.filter(village_match | unit_match)
    return qs.select_related("unit", "village", "entry", "round").order_by("unit__name", "village__name", "pk")


def pairing_get(*, user: Any, pk: int) -> Pairing:
    """One pairing whose archive the user may see, or 404."""
    try:
        return pairings_in_scope(user).select_related("round", "unit", "village", "entry").get(pk=pk)
    except (Pairing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _get(qs: QuerySet[Any], pk: int) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def project_get(*, user: Any, pk: int) -> Project:
    qs = Project.objects.filter(pairing__in=pairings_in_scope(user))
    return _get(qs.select_related("pairing", "pairing__round", "pairing__unit", "pairing__village"), pk)  # type: ignore[no-any-return]


def milestone_get(*, user: Any, pk: int) -> Milestone:
    qs = Milestone.objects.filter(project__pairing__in=pairings_in_scope(user))
    return _get(qs.select_related("project", "project__pairing", "project__pairing__village"), pk)  # type: ignore[no-any-return]


def contact_get(*, user: Any, pk: int) -> Contact:
    qs = Contact.objects.filter(pairing__in=pairings_in_scope(user))
    return _get(qs.select_related("pairing", "pairing__village"), pk)  # type: ignore[no-any-return]


# What an entry's page shows of its pairing (the title bar) and what its services read (the village's path).
_ENTRY_PAIRING = ("pairing", "pairing__round", "pairing__unit", "pairing__village")


def visit_get(*, user: Any, pk: int) -> Visit:
    """One visit of a pairing the user may see, with its photos, or 404."""
    qs = Visit.objects.filter(pairing__in=pairings_in_scope(user)).prefetch_related("photos")
    return _get(qs.select_related(*_ENTRY_PAIRING), pk)  # type: ignore[no-any-return]


def six_must_get(*, user: Any, pk: int) -> SixMustRecord:
    """One 六个一 record of a pairing the user may see, or 404."""
    qs = SixMustRecord.objects.filter(pairing__in=pairings_in_scope(user))
    return _get(qs.select_related(*_ENTRY_PAIRING), pk)  # type: ignore[no-any-return]


def delivery_get(*, user: Any, pk: int) -> Delivery:
    """One 五送 record of a pairing the user may see, or 404."""
    qs = Delivery.objects.filter(pairing__in=pairings_in_scope(user))
    return _get(qs.select_related(*_ENTRY_PAIRING), pk)  # type: ignore[no-any-return]


def visits_of(pairing: Pairing) -> QuerySet[Visit]:
    """A pairing's visits, newest first, with photos (the pairing comes from ``pairing_get``)."""
    return Visit.objects.filter(pairing=pairing).prefetch_related("photos").order_by("-date", "-pk")


def six_musts_of(pairing: Pairing) -> QuerySet[SixMustRecord]:
    return SixMustRecord.objects.filter(pairing=pairing).order_by("-date", "-pk")


def deliveries_of(pairing: Pairing) -> QuerySet[Delivery]:
    return Delivery.objects.filter(pairing=pairing).order_by("-date", "-pk")


def projects_of(pairing: Pairing) -> QuerySet[Project]:
    return Project.objects.filter(pairing=pairing).prefetch_related("milestones", "evidence").order_by("start", "pk")


def contacts_of(pairing: Pairing) -> dict[str, list[Contact]]:
    """The contact card's two sides."""
    out: dict[str, list[Contact]] = {ContactSide.UNIT: [], ContactSide.VILLAGE: []}
    for contact in Contact.objects.filter(pairing=pairing).order_by("side", "position", "pk"):
        out[contact.side].append(contact)
    return out


@dataclass(frozen=True)
class SixMustYear:
    """Which of the 六个一 a pair has done in a year (each needed at least once)."""

    year: int
    done: dict[str, int]  # kind → count

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.done.get(value, 0)) for value, label in SixMust.choices]

    @property
    def missing(self) -> list[str]:
        return [str(label) for value, label in SixMust.choices if not self.done.get(value)]


def six_must_year(pairing: Pairing, year: int) -> SixMustYear:
    counts = (
        SixMustRecord.objects.filter(pairing=pairing, date__year=year)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return SixMustYear(year=year, done=dict(counts))


@dataclass(frozen=True)
class ArchiveSummary:
    """The counts on top of a pairing's archive page."""

    visits: int
    six_musts: int
    deliveries: int
    delivered_yuan: Any
    projects: int
    open_feedback: int
    overdue_feedback: int


def archive_summary(pairing: Pairing, today: datetime.date | None = None) -> ArchiveSummary:
    today = today or timezone.localdate()
    feedback = pairing.feedback_cards.aggregate(
        open=Count("pk", filter=Q(status=FeedbackStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=FeedbackStatus.OPEN, due__lt=today)),
    )
    deliveries = Delivery.objects.filter(pairing=pairing).aggregate(n=Count("pk"), s=Sum("amount"))
    return ArchiveSummary(
        visits=Visit.objects.filter(pairing=pairing).count(),
        six_musts=SixMustRecord.objects.filter(pairing=pairing).count(),
        deliveries=deliveries["n"],
        delivered_yuan=deliveries["s"],
        projects=Project.objects.filter(pairing=pairing).count(),
        open_feedback=feedback["open"],
        overdue_feedback=feedback["overdue"],
    )


def user_side(user: Any, pairing: Pairing) -> str | None:
    """Which side the user speaks for (for the template's buttons)."""
    return side_of(user, pairing)


def visit_counts(pairings: list[Pairing], year: int) -> dict[int, int]:
    """pairing id → visits recorded in ``year``, for a page of pairings, in one query."""
    return dict(
        Visit.objects.filter(pairing__in=pairings, date__year=year)
        .values("pairing_id")
        .annotate(n=Count("pk"))
        .values_list("pairing_id", "n")
    )

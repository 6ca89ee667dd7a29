"""Reading the feedback and performance cards: scoped lists, overdue opinions and missing
months. :func:`missing_performance_months` is the one definition of a missing month; the
compliance and dashboard apps call it rather than re-deriving it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from gongjian.orgs.scope import ADMIN_ROLES, Scope
from gongjian.policies import RecordRules, load_profile
from gongjian.records.access import pairings_in_scope
from gongjian.records.choices import CardStatus, FeedbackStatus
from gongjian.records.models import FeedbackCard, PerformanceCard
from gongjian.rounds.models import Pairing, PairingStatus

# A month counts as reported once its card has been submitted (and not returned since).
REPORTED = (CardStatus.SUBMITTED, CardStatus.COUNTERSIGNED)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- feedback


def feedback_list(
    *,
    user: Any,
    status: str = "",
    overdue: bool = False,
    pairing: Pairing | None = None,
    today: datetime.date | None = None,
) -> QuerySet[FeedbackCard]:
    """Feedback cards the user may see, with ``is_overdue`` (open and past its due date)."""
    today = _today(today)
    qs = FeedbackCard.objects.filter(pairing__in=pairings_in_scope(user))
    if pairing is not None:
        qs = qs.filter(pairing=pairing)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=FeedbackStatus.OPEN, due__lt=today)
    return (
        qs.annotate(
            is_overdue=Case(
                When(Q(status=FeedbackStatus.OPEN, due__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("pairing", "pairing__unit", "pairing__village", "pairing__round")
        .order_by("-is_overdue", "status", "due", "-pk")
    )


def feedback_get(*, user: Any, pk: int) -> FeedbackCard:
    try:
        return feedback_list(user=user).get(pk=pk)
    except (FeedbackCard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def overdue_feedback_count(*, user: Any, today: datetime.date | None = None) -> int:
    return feedback_list(user=user, overdue=True, today=today).count()


# ---------------------------------------------------------------- performance cards


def card_list(
    *, user: Any, month: datetime.date | None = None, status: str = "", pairing: Pairing | None = None
) -> QuerySet[PerformanceCard]:
    """Performance cards the user may see (a committee: all of its subtree's), newest first."""
    qs = PerformanceCard.objects.filter(pairing__in=pairings_in_scope(user))
    if pairing is not None:
        qs = qs.filter(pairing=pairing)
    if month is not None:
        qs = qs.filter(month=month.replace(day=1))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("pairing", "pairing__unit", "pairing__village", "pairing__round").order_by(
        "-month", "pairing__unit__name", "pk"
    )


def cards_to_acknowledge(*, user: Any) -> QuerySet[PerformanceCard]:
    """Countersigned cards the user's committee has received and not yet acknowledged: those of
    units inside an administrator's subtree (the units' superior committee, seed 000 报上级党委);
    nothing for anyone else."""
    scope = Scope.of(user)
    if scope.root is None or getattr(user, "role", "") not in ADMIN_ROLES:
        return PerformanceCard.objects.none()
    return (
        PerformanceCard.objects.filter(
            scope.q("pairing__unit"),
            pairing__in=pairings_in_scope(user),
            status=CardStatus.COUNTERSIGNED,
            acknowledged_at__isnull=True,
        )
        .select_related("pairing", "pairing__unit", "pairing__village")
        .order_by("countersigned_at", "pk")
    )


def card_get(*, user: Any, pk: int) -> PerformanceCard:
    try:
        return card_list(user=user).get(pk=pk)
    except (PerformanceCard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def card_for_month(pairing: Pairing, month: datetime.date) -> PerformanceCard | None:
    """The card of ``month`` of a pairing the caller has already scoped."""
    return PerformanceCard.objects.filter(pairing=pairing, month=month.replace(day=1)).first()


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def card_due_date(month: datetime.date, rules: RecordRules) -> datetime.date:
    """Month M's card is due on day ``performance_card_due_day`` of month M+1."""
    following = _next_month(month)
    return following.replace(day=min(rules.performance_card_due_day, 28))


def expected_months(pairing: Pairing, rules: RecordRules, today: datetime.date) -> list[datetime.date]:
    """The term's months whose card is due by now: from the term's first month to last month,
    each once its due day has passed, and none after the pairing ended."""
    round_ = pairing.round
    first = round_.term_start.replace(day=1)
    last = min(round_.term_end.replace(day=1), today.replace(day=1))
    if pairing.status == PairingStatus.ENDED and pairing.ended_at is not None:
        last = min(last, timezone.localtime(pairing.ended_at).date().replace(day=1))
    months = []
    month = first
    while month <= last:
        if card_due_date(month, rules) < today:
            months.append(month)
        month = _next_month(month)
    return months


def missing_performance_months(
    pairings: QuerySet[Pairing] | Iterable[Pairing], *, today: datetime.date | None = None
) -> dict[int, list[datetime.date]]:
    """For each pairing, the months of its term (up to last month) whose performance card was
    not submitted (submitted or countersigned; a returned card must be submitted again) by now
    although its due day (the round profile's ``records.performance_card_due_day`` of the
    following month) has passed. Pairings with nothing missing are left out.

    ``pairings`` may be a queryset (its rows are read with their rounds) or any iterable of
    pairings with ``round`` loaded. Two queries whatever the number of pairings.
    """
    today = _today(today)
    items = list(pairings.select_related("round")) if isinstance(pairings, QuerySet) else list(pairings)
    if not items:
        return {}
    rules: dict[str, RecordRules] = {}
    reported: dict[int, set[datetime.date]] = defaultdict(set)
    ids = [p.pk for p in items]
    cards = PerformanceCard.objects.filter(status__in=REPORTED)
    cards = cards.filter(pairing__in=pairings) if isinstance(pairings, QuerySet) else cards.filter(pairing_id__in=ids)
    # A plain fetch, not a server-side cursor: PostgreSQL plans cursors for the first rows
    # (nested loops), which is minutes slower for a province's hundreds of thousands.
    for pairing_id, month in cards.values_list("pairing_id", "month"):
        reported[pairing_id].add(month)
    out: dict[int, list[datetime.date]] = {}
    for pairing in items:
        key = pairing.round.policy_key
        if key not in rules:
            rules[key] = load_profile(key).records
        missing = [m for m in expected_months(pairing, rules[key], today) if m not in reported[pairing.pk]]
        if missing:
            out[pairing.pk] = missing
    return out


@dataclass(frozen=True)
class MissingRow:
    pairing: Pairing
    months: list[datetime.date]


def missing_months_for_user(*, user: Any, today: datetime.date | None = None) -> list[MissingRow]:
    """The pairings in the user's scope with missing monthly cards, most missing first."""
    pairings = pairings_in_scope(user).select_related("round", "unit", "village")
    missing = missing_performance_months(pairings, today=today)
    by_pk = {p.pk: p for p in pairings.filter(pk__in=list(missing))}
    rows = [MissingRow(pairing=by_pk[pk], months=months) for pk, months in missing.items() if pk in by_pk]
    return sorted(rows, key=lambda r: (-len(r.months), r.pairing.unit.name, r.pairing.village.name))


def countersign_due(card: PerformanceCard) -> datetime.date | None:
    """When the village should have countersigned or returned a submitted card."""
    if card.status != CardStatus.SUBMITTED or card.submitted_at is None:
        return None
    rules = load_profile(card.pairing.round.policy_key).records
    return timezone.localtime(card.submitted_at).date() + datetime.timedelta(days=rules.countersign_days)


def overdue_feedback_counts(pairings: list[Pairing], today: datetime.date) -> dict[int, int]:
    """pairing id → opinions still open past their answer date, for a page of pairings."""
    return dict(
        FeedbackCard.objects.filter(pairing__in=pairings, status=FeedbackStatus.OPEN, due__lt=today)
        .values("pairing_id")
        .annotate(n=Count("pk"))
        .values_list("pairing_id", "n")
    )

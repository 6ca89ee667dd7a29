"""Reading the 五个一 targets and the commitments of a pair, always through the user's scope
(``records.access.pairings_in_scope``): an object outside it is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.records.access import pairings_in_scope
from gongjian.records.choices_practices import FiveOne
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_five_ones import FiveOneTarget
from gongjian.rounds.models import Pairing

_PAIRING = ("pairing", "pairing__round", "pairing__unit", "pairing__village")


def _get(qs: QuerySet[Any], pk: int) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def five_one_get(*, user: Any, pk: int) -> FiveOneTarget:
    """One 五个一 target of a pairing the user may see, with its files, or 404."""
    qs = FiveOneTarget.objects.filter(pairing__in=pairings_in_scope(user)).prefetch_related("files")
    return _get(qs.select_related(*_PAIRING), pk)  # type: ignore[no-any-return]


def commitment_get(*, user: Any, pk: int) -> Commitment:
    """One commitment of a pairing the user may see, or 404."""
    qs = Commitment.objects.filter(pairing__in=pairings_in_scope(user))
    return _get(qs.select_related(*_PAIRING), pk)  # type: ignore[no-any-return]


def term_years(pairing: Pairing) -> list[int]:
    """The years of the pair's term up to this one, newest first (the pages' year choice)."""
    last = min(pairing.round.term_end.year, timezone.localdate().year)
    return list(range(last, pairing.round.term_start.year - 1, -1))


def chosen_year(pairing: Pairing, value: str | None) -> int:
    """The year asked for if it is one of the term's, else the latest."""
    years = term_years(pairing) or [timezone.localdate().year]
    try:
        year = int(value or "")
    except ValueError:
        return years[0]
    return year if year in years else years[0]


@dataclass(frozen=True)
class FiveOneRow:
    """One of the five targets in a year: its code, name and record (None: no plan yet)."""

    kind: str
    label: str
    target: FiveOneTarget | None


def five_ones_of(pairing: Pairing, year: int) -> list[FiveOneRow]:
    """The five targets of ``year`` in the seed's order, planned or not."""
    targets = {t.kind: t for t in FiveOneTarget.objects.filter(pairing=pairing, year=year).prefetch_related("files")}
    return [FiveOneRow(value, str(label), targets.get(value)) for value, label in FiveOne.choices]


@dataclass(frozen=True)
class CommitmentYear:
    """A year's commitments, how many are reported, and the 评议 (None: not yet)."""

    year: int
    items: list[Commitment]
    review: CommitmentReview | None

    @property
    def reported(self) -> int:
        return sum(1 for item in self.items if item.outcome)

    @property
    def all_reported(self) -> bool:
        return bool(self.items) and self.reported == len(self.items)


def commitments_of(pairing: Pairing, year: int) -> CommitmentYear:
    items = list(Commitment.objects.filter(pairing=pairing, year=year).order_by("position", "pk"))
    review = CommitmentReview.objects.filter(pairing=pairing, year=year).first()
    return CommitmentYear(year, items, review)


@dataclass(frozen=True)
class PracticesSummary:
    """The two lines the pair's archive page shows of these practices this year."""

    year: int
    five_ones_planned: int
    five_ones_proven: int
    commitments: int
    reported: int
    review: CommitmentReview | None


def practices_summary(pairing: Pairing) -> PracticesSummary:
    year = timezone.localdate().year
    targets = FiveOneTarget.objects.filter(pairing=pairing, year=year)
    commitments = commitments_of(pairing, year)
    return PracticesSummary(
        year=year,
        five_ones_planned=targets.count(),
        five_ones_proven=targets.filter(evidence_on__isnull=False).count(),
        commitments=len(commitments.items),
        reported=commitments.reported,
        review=commitments.review,
    )

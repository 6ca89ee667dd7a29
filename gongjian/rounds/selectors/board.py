"""Live status board and the published directory: reads for the portal pages and the API.

Counting is one GROUP BY over ``DirectoryEntry (round, county, town, stage)`` — the
services keep ``stage`` current in the same transaction as each change, so a province
(20,000 villages) is counted from the index without touching intents or pairings.

Two audiences:

- **internal** (signed in): the round must be visible to the user (``round_get``),
  otherwise 404; a user whose subtree does not contain the round's whole scope (a committee
  admin in a city round, a village) sees only the villages of their own subtree.
- **public** (no login): any round whose directory is published; names, stages and counts
  only — no people, no intents, and partners only once a pair is confirmed or signed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from gongjian.orgs.models import Tag
from gongjian.orgs.scope import Scope, under
from gongjian.rounds.models import (
    DirectoryEntry,
    Pairing,
    PairingStatus,
    Round,
    RoundStatus,
    Stage,
)

# Board order (left to right in the stacked bar) and the product's colours for each stage:
# grey nothing yet, amber chosen, blue allocated, light green confirmed, deep green signed.
STAGES: tuple[str, ...] = (Stage.NONE, Stage.INTENT, Stage.ALLOCATED, Stage.CONFIRMED, Stage.SIGNED)
STAGE_COLOURS: dict[str, str] = {
    Stage.NONE: "#9ca3af",
    Stage.INTENT: "#d97706",
    Stage.ALLOCATED: "#2563eb",
    Stage.CONFIRMED: "#4caf50",
    Stage.SIGNED: "#1b7f3b",
}
COVERED_STAGES = frozenset({Stage.CONFIRMED, Stage.SIGNED})
# The directory and the board exist once the directory is published.
PUBLISHED_STATUSES = (RoundStatus.OPEN, RoundStatus.PUBLISHED, RoundStatus.CLOSED)
# Pairs the public may see by name: both sides have agreed (or signed).
PUBLIC_PAIR_STATUSES = (PairingStatus.CONFIRMED, PairingStatus.SIGNED)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass
class Tally:
    """Villages by stage in one area (the round, a county or a town)."""

    by_stage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    def add(self, stage: str, count: int) -> None:
        self.by_stage[stage] = self.by_stage.get(stage, 0) + count

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())

    @property
    def covered(self) -> int:
        """Villages with a confirmed or signed pair (coverage counts these)."""
        return sum(self.by_stage[s] for s in COVERED_STAGES)

    @property
    def coverage_pct(self) -> float:
        return _percent(self.covered, self.total)

    @property
    def signed_pct(self) -> float:
        return _percent(self.by_stage[Stage.SIGNED], self.total)

    @property
    def counts(self) -> list[int]:
        """Counts in board order (for templates)."""
        return [self.by_stage[s] for s in STAGES]

    @property
    def stages(self) -> list[dict[str, Any]]:
        """Legend entries with this area's count (for templates)."""
        return [{**legend, "count": self.by_stage[legend["code"]]} for legend in stage_legend()]

    def as_dict(self) -> dict[str, Any]:
        return {
            **{s: self.by_stage[s] for s in STAGES},
            "total": self.total,
            "covered": self.covered,
            "coverage_pct": self.coverage_pct,
            "signed_pct": self.signed_pct,
        }


@dataclass
class Area:
    """A county (with its towns) or a town on the board."""

    name: str
    tally: Tally = field(default_factory=Tally)
    towns: list[Area] = field(default_factory=list)

    def as_dict(self, *, with_towns: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, **self.tally.as_dict()}
        if with_towns:
            data["towns"] = [t.as_dict(with_towns=False) for t in self.towns]
        return data


@dataclass
class Board:
    """The status board of a round as one viewer may see it."""

    round: Round
    public: bool
    scope_path: str | None  # None: the whole round; else only villages under this path
    total: Tally
    counties: list[Area]

    def county(self, name: str) -> Area | None:
        return next((c for c in self.counties if c.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": {"id": self.round.pk, "name": self.round.name, "status": self.round.status},
            "public": self.public,
            "scoped": self.scope_path is not None,
            "stages": stage_legend(),
            "total": self.total.as_dict(),
            "counties": [c.as_dict() for c in self.counties],
        }


@dataclass(frozen=True)
class VillageRow:
    """One village in the drill-down."""

    entry_id: int
    village_id: int
    name: str
    stage: str
    stage_label: str
    tags: tuple[tuple[str, str], ...]  # (code, name)
    intent_count: int | None  # None on the public board: intents are not published
    max_pairs: int
    partners: tuple[str, ...]


def stage_legend() -> list[dict[str, str]]:
    """Stage codes, Chinese labels and colours, in board order."""
    return [{"code": s, "label": str(Stage(s).label), "color": STAGE_COLOURS[s]} for s in STAGES]


# --- which round, and which part of it --------------------------------------------------


def public_rounds() -> QuerySet[Round]:
    """Rounds whose directory is published, newest first (the public index)."""
    return Round.objects.filter(status__in=PUBLISHED_STATUSES).select_related("scope").order_by("-opened_at", "-pk")


def public_round(*, pk: int) -> Round:
    """A round the public may look at (directory published), or 404."""
    try:
        return public_rounds().get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("轮次不存在或尚未发布名录") from exc


def board_scope_path(*, user: Any, round_: Round) -> str | None:
    """None when the user's subtree holds the round's whole scope; otherwise the path their
    view of the board is limited to (a committee admin sees their own counties only)."""
    scope = Scope.of(user)
    if scope.root is None:
        raise Http404("轮次不存在或不在您的管理范围内")
    return None if scope.contains(round_.scope) else scope.path


def _entries(round_: Round, scope_path: str | None) -> QuerySet[DirectoryEntry]:
    # Villages only: towns listed where the profile pairs them are counted apart (rounds.coverage).
    qs = DirectoryEntry.objects.filter(round=round_, is_town=False)
    if scope_path is not None:
        qs = qs.filter(under(scope_path, "village"))
    return qs


# --- the board ------------------------------------------------------------------------


def _board(round_: Round, *, public: bool, scope_path: str | None) -> Board:
    rows = (
        _entries(round_, scope_path)
        .values_list("county", "town", "stage")
        .annotate(n=Count("id"))
        .order_by("county", "town")
    )
    total = Tally()
    counties: dict[str, Area] = {}
    towns: dict[tuple[str, str], Area] = {}
    for county, town, stage, n in rows:
        area = counties.get(county)
        if area is None:
            area = counties[county] = Area(county)
        town_area = towns.get((county, town))
        if town_area is None:
            town_area = towns[(county, town)] = Area(town)
            area.towns.append(town_area)
        total.add(stage, n)
        area.tally.add(stage, n)
        town_area.tally.add(stage, n)
    return Board(round=round_, public=public, scope_path=scope_path, total=total, counties=list(counties.values()))


def board_internal(*, user: Any, round_: Round) -> Board:
    """The board as a signed-in user may see it (their subtree's villages only, unless the
    round lies wholly inside their subtree). Pass a round from :func:`gongjian.rounds.selectors.rounds.round_get`."""
    return _board(round_, public=False, scope_path=board_scope_path(user=user, round_=round_))


def board_public(*, user: Any, round_: Round) -> Board:
    """The whole round's counts for anyone (``user`` is whoever asks; nothing depends on it).
    Pass a round from :func:`public_round`."""
    return _board(round_, public=True, scope_path=None)


def board_villages(*, user: Any, round_: Round, county: str, town: str, public: bool) -> list[VillageRow]:
    """Drill-down: the villages of one town with stage, intents (internal only) and partners."""
    scope_path = None if public else board_scope_path(user=user, round_=round_)
    entries = list(
        _entries(round_, scope_path)
        .filter(county=county, town=town)
        .select_related("village")
        .prefetch_related(Prefetch("village__tags", queryset=Tag.objects.only("code", "name")))
        .order_by("village__name")
    )
    pairs = Pairing.objects.filter(entry__in=[e.pk for e in entries]).exclude(status=PairingStatus.ENDED)
    if public:
        pairs = pairs.filter(status__in=PUBLIC_PAIR_STATUSES)
    partners: dict[int, list[str]] = {}
    for entry_id, unit_name in pairs.order_by("unit__name").values_list("entry_id", "unit__name"):
        partners.setdefault(entry_id, []).append(unit_name)
    return [
        VillageRow(
            entry_id=e.pk,
            village_id=e.village_id,
            name=e.village.name,
            stage=e.stage,
            stage_label=str(Stage(e.stage).label),
            tags=tuple((t.code, t.name) for t in e.village.tags.all()),
            intent_count=None if public else e.intent_count,
            max_pairs=e.max_pairs,
            partners=tuple(partners.get(e.pk, ())),
        )
        for e in entries
    ]

"""Coverage beyond the villages (seed 004 doc 1 (二)(四), doc 2 二、1): the towns the round pairs
(乡镇党委, where the profile's ``coverage.towns_paired`` lists them) and the city side — which
units of the round have no pair yet, by type of organization ("城市各类型党组织的全覆盖").

A town or a unit is covered when it has a confirmed or signed pair, as the board counts a
village (``board.COVERED_STAGES``). The public sees counts and the towns' names (the directory
is public); which units have no pair is listed by name only to signed-in users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from gongjian.orgs.models import AgencyLine, Organization, OrgKind
from gongjian.orgs.scope import under
from gongjian.policies import PolicyProfileError, load_profile
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingAdjustment, PairingStatus, Round, RoundUnit, Stage

COVERED_PAIR_STATUSES = (PairingStatus.CONFIRMED, PairingStatus.SIGNED)
COVERED_TOWN_STAGES = (Stage.CONFIRMED, Stage.SIGNED)
# Unpaired units named on a page at most (a province can have thousands; the count is exact).
UNPAIRED_LISTED = 300


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class KindRow:
    """Units of one type of organization: how many take part, how many have a pair."""

    kind: str
    label: str
    units: int
    paired: int

    @property
    def unpaired(self) -> int:
        return self.units - self.paired

    @property
    def pct(self) -> float:
        return _percent(self.paired, self.units)


@dataclass
class Coverage:
    """Towns and city-side coverage of one round, as one viewer may see it."""

    towns_paired: bool  # the profile lists towns (乡镇党委) for pairing
    city_side: bool  # the profile makes the city side's full coverage a target
    towns: int = 0
    towns_covered: int = 0
    towns_uncovered: list[str] = field(default_factory=list)
    units: int = 0
    units_paired: int = 0
    kinds: list[KindRow] = field(default_factory=list)
    units_unpaired: list[str] = field(default_factory=list)  # the first names; empty on the public board

    @property
    def towns_pct(self) -> float:
        return _percent(self.towns_covered, self.towns)

    @property
    def units_pct(self) -> float:
        return _percent(self.units_paired, self.units)

    @property
    def units_without(self) -> int:
        return self.units - self.units_paired

    def as_dict(self) -> dict[str, Any]:
        return {
            "towns_paired": self.towns_paired,
            "city_side": self.city_side,
            "towns": {"total": self.towns, "covered": self.towns_covered, "pct": self.towns_pct},
            "units": {"total": self.units, "paired": self.units_paired, "pct": self.units_pct},
            "kinds": [
                {"kind": k.kind, "label": k.label, "units": k.units, "paired": k.paired, "pct": k.pct}
                for k in self.kinds
            ],
        }


def _kind_label(kind: str, line: str) -> tuple[str, str]:
    """Agencies by their line (党群、政法…), other organizations by their kind."""
    if kind == OrgKind.AGENCY and line:
        return f"{kind}:{line}", f"{OrgKind.AGENCY.label}（{AgencyLine(line).label}）"
    try:
        return kind, str(OrgKind(kind).label)
    except ValueError:
        return kind, kind


def round_coverage(*, round_: Round, scope_path: str | None, public: bool) -> Coverage:
    """Towns and units covered in ``round_`` (only those under ``scope_path`` when given: a
    committee admin's part). Three GROUP BY-free reads of indexed columns."""
    try:
        rules = load_profile(round_.policy_key).coverage
        towns_paired, city_side = rules.towns_paired, rules.city_side
    except PolicyProfileError:
        towns_paired, city_side = False, False
    cov = Coverage(towns_paired=towns_paired, city_side=city_side)

    towns = DirectoryEntry.objects.filter(round=round_, is_town=True)
    if scope_path is not None:
        towns = towns.filter(under(scope_path, "village"))
    for name, stage in towns.order_by("county", "town").values_list("village__name", "stage"):
        cov.towns += 1
        if stage in COVERED_TOWN_STAGES:
            cov.towns_covered += 1
        else:
            cov.towns_uncovered.append(name)

    units = RoundUnit.objects.filter(round=round_)
    if scope_path is not None:
        units = units.filter(under(scope_path, "unit"))
    # Counted in the database (a province round has ~15,000 units): one grouped read.
    units = units.annotate(
        paired=Exists(
            Pairing.objects.filter(round=round_, status__in=COVERED_PAIR_STATUSES, unit_id=OuterRef("unit_id"))
        )
    )
    by_kind: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    grouped = units.values("unit__kind", "unit__line", "paired").annotate(n=Count("id")).order_by()
    for row in grouped:
        key, label = _kind_label(row["unit__kind"], row["unit__line"])
        labels[key] = label
        counts = by_kind.setdefault(key, [0, 0])
        counts[0] += row["n"]
        cov.units += row["n"]
        if row["paired"]:
            counts[1] += row["n"]
            cov.units_paired += row["n"]
    if not public:
        # The first names in tree order; the page says how many there are in all.
        cov.units_unpaired = list(
            units.filter(paired=False).order_by("unit__path").values_list("unit__name", flat=True)[:UNPAIRED_LISTED]
        )
    cov.kinds = [KindRow(k, labels[k], n, p) for k, (n, p) in sorted(by_kind.items(), key=lambda kv: labels[kv[0]])]
    return cov


@dataclass(frozen=True)
class AdjustmentRow:
    """One dynamic adjustment as the boards show it (the reason only to signed-in users)."""

    village: str
    old_unit: str
    new_unit: str
    created_at: Any
    deadline: Any
    status: str
    status_label: str
    reason: str


def round_adjustments(*, round_: Round, scope_path: str | None, public: bool) -> list[AdjustmentRow]:
    """The round's dynamic adjustments, newest first (those touching ``scope_path`` when given)."""
    qs = PairingAdjustment.objects.filter(round=round_)
    if public:  # the public sees a pair by name once both sides have agreed (board.PUBLIC_PAIR_STATUSES)
        qs = qs.filter(new_pairing__status__in=COVERED_PAIR_STATUSES)
    if scope_path is not None:
        qs = qs.filter(under(scope_path, "village") | under(scope_path, "old_unit") | under(scope_path, "new_unit"))
    return [
        AdjustmentRow(
            village=a.village.name,
            old_unit=a.old_unit.name,
            new_unit=a.new_unit.name,
            created_at=a.created_at,
            deadline=a.deadline,
            status=a.new_pairing.status,
            status_label=str(a.new_pairing.get_status_display()),
            reason="" if public else a.reason,
        )
        for a in qs.select_related("village", "old_unit", "new_unit", "new_pairing").order_by("-created_at", "-pk")
    ]


def organization_adjustments(organization: Organization) -> list[PairingAdjustment]:
    """Adjustments where the organization is the village, the old or the new unit (its own page)."""
    return list(
        PairingAdjustment.objects.filter(Q(village=organization) | Q(old_unit=organization) | Q(new_unit=organization))
        .select_related("round", "village", "old_unit", "new_unit", "new_pairing", "created_by")
        .order_by("-created_at", "-pk")
    )

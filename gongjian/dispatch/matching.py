"""The engine's input for a dispatch run, and its result in storable form.

Candidates are the engine's "units" (capacity 1, resources = skills), villages needing a
cadre its "villages". Scoring, all from the profile's ``dispatch`` section:

- ``preference``: the candidate's n-th preferred *village* scores ``preference_points[n-1]``;
- ``affinity`` (shown as 重点村): ``tag_points`` summed over the village's tags (weak, lax...);
- ``needs`` (专长对口): ``skill_points`` per skill of the candidate the village needs.

Weak and lax villages first: a village carrying a ``priority_tags`` tag has ``min`` = the
cadres it still needs, every other village ``min`` 0; the engine maximises covered ``min``
slots before score, so no priority village goes without a cadre to give another a better one.

Where a candidate may serve (the engine's geography): the counties they prefer and the
counties of the villages they prefer; with no preference, their unit's county (a city-level
unit: the counties of its city). Candidates are not offered across the province: that is the
practice (cadres serve where they asked or near their unit) and keeps a province's
30,000 × 20,000 cross product down to a few million candidate pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import get_language

from gongjian.dispatch.models import (
    Appointment,
    AppointmentStatus,
    Candidate,
    CandidatePreference,
    CandidateStatus,
    NeedsProfile,
)
from gongjian.dispatch.places import Committees
from gongjian.dispatch.policy import DispatchRules
from gongjian.matching import (
    Instance,
    Pair,
    PairRef,
    Policy,
    Preference,
    Result,
    Uncovered,
    Unit,
    Village,
    component_labels,
    describe,
    instance_from_json,
    result_from_json,
)
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import under

KIND = "cadre"


def _pairs(rows: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for key, code in rows:
        found.setdefault(key, []).append(code)
    return found


def build_instance(scope: Organization, rules: DispatchRules, forbids: Sequence[tuple[int, int]] = ()) -> Instance:
    """The engine's input: pooled candidates of units in ``scope``, and villages in ``scope``
    whose needs profile asks for more cadres than are serving there."""
    committees = Committees.load()
    serving = Counter(
        dict(
            Appointment.objects.filter(under(scope, "village"), status=AppointmentStatus.SERVING)
            .values("village_id")
            .annotate(n=Count("id"))
            .values_list("village_id", "n")
        )
    )
    tags = _pairs(
        Organization.tags.through.objects.filter(
            under(scope, "organization"), organization__kind=OrgKind.VILLAGE
        ).values_list("organization_id", "tag__code")
    )
    needs = _pairs(
        NeedsProfile.skills.through.objects.filter(under(scope, "needsprofile__village")).values_list(
            "needsprofile__village_id", "skill__code"
        )
    )
    priority = set(rules.priority_tags)
    villages: list[Village] = []
    for pk, name, path, wanted in NeedsProfile.objects.filter(
        under(scope, "village"), village__is_active=True, cadres_needed__gt=0
    ).values_list("village_id", "village__name", "village__path", "cadres_needed"):
        room = wanted - serving[pk]
        if room <= 0:
            continue
        village_tags = tuple(sorted(tags.get(pk, ())))
        villages.append(
            Village(
                id=str(pk),
                name=name,
                county=str(committees.county_of(path) or ""),
                tags=village_tags,
                needs=tuple(sorted(needs.get(pk, ()))),
                min_pairs=room if priority.intersection(village_tags) else 0,
                max_pairs=room,
            )
        )
    village_ids = {v.id for v in villages}

    pooled = Candidate.objects.filter(under(scope, "unit"), status=CandidateStatus.POOLED)
    skills = _pairs(
        Candidate.skills.through.objects.filter(candidate__in=pooled).values_list("candidate_id", "skill__code")
    )
    wished_counties: dict[int, set[int]] = {}
    preferences: list[Preference] = []
    village_rank: Counter[int] = Counter()
    for cid, place, kind, path in (
        CandidatePreference.objects.filter(candidate__in=pooled)
        .order_by("candidate_id", "rank")
        .values_list("candidate_id", "place_id", "place__kind", "place__path")
    ):
        county = committees.county_of(path)
        if county is not None:
            wished_counties.setdefault(cid, set()).add(county)
        if kind == OrgKind.VILLAGE:
            village_rank[cid] += 1
            if str(place) in village_ids:
                preferences.append(Preference(unit=str(cid), village=str(place), rank=village_rank[cid]))
    geography: dict[str, tuple[str, ...]] = {}
    units: list[Unit] = []
    for cid, name, unit_path in pooled.values_list("pk", "name", "unit__path").order_by("pk"):
        region = sorted(wished_counties.get(cid) or committees.region_of(unit_path))
        key = ",".join(map(str, region))
        geography.setdefault(key, tuple(map(str, region)))
        units.append(
            Unit(
                id=str(cid),
                name=name,
                kind=KIND,
                district=key,
                capacity=1,
                resources=tuple(sorted(skills.get(cid, ()))),
            )
        )
    policy = Policy(
        preference_points=rules.preference_points,
        need_points=rules.skill_points,
        affinity={KIND: dict(rules.tag_points)},
        geography=geography,
    )
    unit_ids = {u.id for u in units}
    refs = tuple(
        PairRef(str(c), str(v)) for c, v in sorted(set(forbids)) if str(c) in unit_ids and str(v) in village_ids
    )
    return Instance(
        units=tuple(units), villages=tuple(villages), policy=policy, preferences=tuple(preferences), forbids=refs
    )


def _language() -> str:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


@dataclass(frozen=True)
class StoredRun:
    """A stored matching run read back by the engine's readers (any format version)."""

    instance: Instance
    result: Result

    @property
    def names(self) -> dict[str, str]:
        """Candidate id → name."""
        return {u.id: u.name for u in self.instance.units}

    @property
    def villages(self) -> dict[str, Village]:
        """Village id → the engine's village (name, tags, what it needs)."""
        return {v.id: v for v in self.instance.villages}

    @property
    def pairs(self) -> tuple[Pair, ...]:
        """The matched (candidate, village) pairs."""
        return self.result.pairs

    @property
    def unmatched(self) -> list[Unmatched]:
        """Every village left with fewer cadres than it needs, with the engine's reason."""
        villages = self.villages
        return [
            Unmatched(u, priority=u.village in villages and villages[u.village].min_pairs > 0)
            for u in self.result.uncovered
        ]

    @property
    def forbids(self) -> list[tuple[str, str]]:
        """The pairs the admin took out before this run."""
        return [(f.unit, f.village) for f in self.instance.forbids]


def stored_run(instance: dict[str, Any], result: dict[str, Any]) -> StoredRun:
    """Read a run's stored input and result."""
    return StoredRun(instance_from_json(instance), result_from_json(result))


@dataclass(frozen=True)
class Unmatched:
    """A village left with fewer cadres than it needs (the engine's shortfall below ``max``)."""

    shortfall: Uncovered
    priority: bool

    @property
    def village(self) -> str:
        """The village's id."""
        return self.shortfall.village

    @property
    def missing(self) -> int:
        """Cadres it still lacks."""
        return self.shortfall.missing

    @property
    def reason(self) -> str:
        """Why, worded by the engine for dispatch (candidates, not units)."""
        return describe(self.shortfall.explanation(), _language(), context="dispatch")  # type: ignore[arg-type]


def reason_labels(components: str | Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """A match's score components in dispatch's words: ``preference`` → 本人意向 … (the
    structured components, or the ``reasons`` text stored with an appointment)."""
    return component_labels(components, _language(), context="dispatch")  # type: ignore[arg-type]

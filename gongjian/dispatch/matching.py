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

import numpy as np
from django.db.models import Count

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
from gongjian.matching import Instance, PairRef, Policy, Preference, Solution, Unit, Village
from gongjian.orgs.models import Organization, OrgKind

KIND = "cadre"
REASON_LABELS = {"preference": "本人意向", "affinity": "重点村", "needs": "专长对口", "renewal": "续任"}
NO_CANDIDATE = "no_candidate"
TAKEN = "taken"
NOT_SUITED = "not_suited"


def _pairs(rows: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for key, code in rows:
        found.setdefault(key, []).append(code)
    return found


def build_instance(scope: Organization, rules: DispatchRules, forbids: Sequence[tuple[int, int]] = ()) -> Instance:
    """The engine's input: pooled candidates of units in ``scope``, and villages in ``scope``
    whose needs profile asks for more cadres than are serving there."""
    committees = Committees.load()
    prefix = scope.path
    serving = Counter(
        dict(
            Appointment.objects.filter(status=AppointmentStatus.SERVING, village__path__startswith=prefix)
            .values("village_id")
            .annotate(n=Count("id"))
            .values_list("village_id", "n")
        )
    )
    tags = _pairs(
        Organization.tags.through.objects.filter(
            organization__path__startswith=prefix, organization__kind=OrgKind.VILLAGE
        ).values_list("organization_id", "tag__code")
    )
    needs = _pairs(
        NeedsProfile.skills.through.objects.filter(needsprofile__village__path__startswith=prefix).values_list(
            "needsprofile__village_id", "skill__code"
        )
    )
    priority = set(rules.priority_tags)
    villages: list[Village] = []
    for pk, name, path, wanted in NeedsProfile.objects.filter(
        village__path__startswith=prefix, village__is_active=True, cadres_needed__gt=0
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

    pooled = Candidate.objects.filter(status=CandidateStatus.POOLED, unit__path__startswith=prefix)
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


def instance_json(instance: Instance) -> dict[str, Any]:
    """A compact, complete record of the input (lists, not dicts: a province run is large)."""
    policy = instance.policy
    return {
        "candidates": [[u.id, u.name, u.district, list(u.resources)] for u in instance.units],
        "villages": [
            [v.id, v.name, v.county, list(v.tags), list(v.needs), v.min_pairs, v.max_pairs] for v in instance.villages
        ],
        "preferences": [[p.unit, p.village, p.rank] for p in instance.preferences],
        "forbids": [[p.unit, p.village] for p in instance.forbids],
        "policy": {
            "preference_points": list(policy.preference_points),
            "need_points": policy.need_points,
            "affinity": {k: dict(v) for k, v in policy.affinity.items()},
            "geography": {k: list(v) for k, v in (policy.geography or {}).items()},
        },
    }


def instance_from_json(data: dict[str, Any]) -> Instance:
    """Rebuild a stored run's input, so that any run can be re-derived and checked."""
    units = tuple(
        Unit(id=c, name=n, kind=KIND, district=d, capacity=1, resources=tuple(s)) for c, n, d, s in data["candidates"]
    )
    villages = tuple(
        Village(id=i, name=n, county=c, tags=tuple(t), needs=tuple(s), min_pairs=lo, max_pairs=hi)
        for i, n, c, t, s, lo, hi in data["villages"]
    )
    return Instance(
        units=units,
        villages=villages,
        policy=Policy.from_mapping(data["policy"]),
        preferences=tuple(Preference(u, v, r) for u, v, r in data["preferences"]),
        forbids=tuple(PairRef(u, v) for u, v in data["forbids"]),
    )


@dataclass(frozen=True)
class Unmatched:
    """A village left with fewer cadres than it needs, and why."""

    village: str
    missing: int
    code: str
    candidates: int  # candidates who could serve there at all
    elsewhere: int  # of them, matched to another village
    priority: bool


def unmatched(solution: Solution, eligible: np.ndarray) -> list[Unmatched]:
    """Every village below its ``max`` (what it needs), not only priority ones below ``min``.

    ``eligible[v]``: candidates whose region covers village ``v`` (see
    :func:`gongjian.dispatch.problem.dispatch_problem`); those not matched elsewhere had
    nothing in common with the village (score 0) or were taken out by the admin.
    """
    problem = solution.problem
    short = solution.counts < problem.vmax
    if not short.any():
        return []
    taken = np.zeros(len(problem.eu), dtype=bool)
    taken[solution.chosen] = True
    busy = solution.used[problem.eu] >= problem.capacity[problem.eu]
    elsewhere = np.bincount(problem.ev[short[problem.ev] & ~taken & busy], minlength=problem.n_villages)
    out = []
    for v in np.flatnonzero(short).tolist():
        if eligible[v] == 0:
            code = NO_CANDIDATE
        elif elsewhere[v] == eligible[v]:
            code = TAKEN
        else:
            code = NOT_SUITED
        out.append(
            Unmatched(
                problem.village_ids[v],
                int(problem.vmax[v] - solution.counts[v]),
                code,
                int(eligible[v]),
                int(elsewhere[v]),
                bool(problem.vmin[v] > 0),
            )
        )
    return out


def reason_text(code: str, candidates: int, elsewhere: int) -> str:
    """Why a village got no (or too few) cadres, in the clerk's words."""
    if code == NO_CANDIDATE:
        return "没有可选人选：人才库中没有人选的意向区县（或所在区县）包括本村"
    if code == TAKEN:
        return f"{candidates} 名可选人选均已匹配到其他村（优先村或得分更高的村）"
    return (
        f"{candidates} 名可选人选中 {elsewhere} 名已匹配到其他村，"
        f"其余 {candidates - elsewhere} 名与本村专长、意向均不对口（得分为 0）或未被采纳，可人工选派"
    )


def reason_labels(reasons: str) -> list[tuple[str, int]]:
    """``preference:60;needs:30`` → [("本人意向", 60), ("专长对口", 30)]."""
    out = []
    for part in reasons.split(";"):
        if ":" in part:
            name, points = part.split(":", 1)
            out.append((REASON_LABELS.get(name, name), int(points)))
    return out

"""The allocation engine's input for a round, read from its rows: a snapshot the service
solves outside any transaction, with a stamp that tells whether the round changed meanwhile.

Reads only; the engine's public API only (:mod:`gongjian.matching`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from gongjian.matching import Instance, PairRef, Preference, Unit, Village, instance_to_json
from gongjian.orgs.models import Organization
from gongjian.policies import load_profile
from gongjian.rounds.models import (
    DirectoryEntry,
    GeographyLink,
    Intent,
    IntentStatus,
    Pairing,
    PairingStatus,
    Round,
    RoundUnit,
)

# A pairing ended with this reason (a later publication withdrew it) may be offered again.
WITHDRAWN_BY_REPUBLISH = "重新分配后撤回"

# The parts of the snapshot, in the words of the refusal when one changed during a solve.
PARTS = {
    "round": gettext_lazy("轮次状态或政策配置"),
    "units": gettext_lazy("参与单位或其名额"),
    "villages": gettext_lazy("名录中的村或其结对数"),
    "preferences": gettext_lazy("单位志愿"),
    "previous": gettext_lazy("上一轮结对"),
    "pins": gettext_lazy("已有结对"),
    "forbids": gettext_lazy("已结束的结对"),
    "policy": gettext_lazy("对口安排表"),
}


@dataclass(frozen=True)
class AllocationSnapshot:
    """The engine's input as read at one moment, and a digest of each part of it."""

    instance: Instance
    stamp: dict[str, str]

    def changed_parts(self, other: AllocationSnapshot) -> list[str]:
        """Names (Chinese) of the parts that differ from ``other``."""
        return [str(PARTS[k]) for k in PARTS if self.stamp.get(k) != other.stamp.get(k)]


def _codes(ids: set[int], through: Any, column: str) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for org_id, code in through.objects.filter(organization_id__in=ids).values_list("organization_id", column):
        found.setdefault(org_id, []).append(code)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def allocation_snapshot(
    round_: Round, *, pins: Sequence[tuple[int, int]], forbids: Sequence[tuple[int, int]], open_only: bool
) -> AllocationSnapshot:
    """The engine's input for the round: remaining capacity and places after the pairs that
    already stand (renewals, published pairs), intents as preferences, last round's pairs as
    renewal bonus, the policy's scoring and the round's district table; pairs ended by an
    adjustment or a declined renewal forbidden."""
    current = Round.objects.filter(pk=round_.pk).values_list("status", "policy_key", "previous_round_id").first()
    live = Pairing.objects.filter(round_id=round_.pk).exclude(status=PairingStatus.ENDED)
    live_pairs = list(live.values_list("unit_id", "village_id"))
    used_by_unit = Counter(u for u, _v in live_pairs)
    held_by_village = Counter(v for _u, v in live_pairs)
    round_units = list(RoundUnit.objects.filter(round_id=round_.pk).order_by("unit_id"))
    entries = list(DirectoryEntry.objects.filter(round_id=round_.pk).order_by("village_id"))
    if open_only:
        entries = [e for e in entries if held_by_village[e.village_id] < e.min_pairs]
    unit_ids = {ru.unit_id for ru in round_units}
    village_ids = {e.village_id for e in entries}
    kinds = {o.pk: o.engine_kind for o in Organization.objects.filter(pk__in=unit_ids).only("kind", "line")}
    names = dict(Organization.objects.filter(pk__in=unit_ids | village_ids).values_list("pk", "name"))
    resources = _codes(unit_ids, Organization.resources.through, "resource__code")
    needs = _codes(village_ids, Organization.needs.through, "resource__code")
    tags = _codes(village_ids, Organization.tags.through, "tag__code")
    units = tuple(
        Unit(
            id=str(ru.unit_id),
            name=names.get(ru.unit_id, ""),
            kind=kinds.get(ru.unit_id, ""),
            district=ru.district,
            capacity=max(0, ru.capacity - used_by_unit[ru.unit_id]),
            resources=resources.get(ru.unit_id, ()),
        )
        for ru in round_units
    )
    villages = tuple(
        Village(
            id=str(e.village_id),
            name=names.get(e.village_id, ""),
            county=e.county,
            town=e.town,
            tags=tags.get(e.village_id, ()),
            needs=needs.get(e.village_id, ()),
            min_pairs=max(0, e.min_pairs - held_by_village[e.village_id]),
            max_pairs=max(0, e.max_pairs - held_by_village[e.village_id]),
        )
        for e in entries
    )
    preferences = tuple(
        Preference(unit=str(u), village=str(v), rank=r)
        for u, v, r in Intent.objects.filter(
            round_id=round_.pk, status=IntentStatus.ACTIVE, entry__village_id__in=village_ids
        )
        .order_by("unit_id", "rank", "entry__village_id")
        .values_list("unit_id", "entry__village_id", "rank")
    )
    previous: tuple[PairRef, ...] = ()
    previous_round = current[2] if current else round_.previous_round_id
    if previous_round:
        # Only pairs that were signed (and not ended) earn the renewal bonus: seed 004 (八)
        # renews 结对关系 that stood, not proposals never signed.
        previous = tuple(
            PairRef(str(u), str(v))
            for u, v in Pairing.objects.filter(round_id=previous_round, status=PairingStatus.SIGNED)
            .order_by("unit_id", "village_id")
            .values_list("unit_id", "village_id")
        )
    policy = load_profile(current[1] if current else round_.policy_key).allocation
    table: dict[str, list[str]] = {}
    for district, county in (
        GeographyLink.objects.filter(round_id=round_.pk)
        .order_by("district", "county")
        .values_list("district", "county")
    ):
        table.setdefault(district, []).append(county)
    if table:
        policy = dataclasses.replace(policy, geography={k: tuple(v) for k, v in table.items()})
    standing = {(str(u), str(v)) for u, v in live_pairs}
    # A pair ended by adjustment or declined renewal is not offered again; one merely
    # withdrawn by a later publication may come back.
    ended = {
        (str(u), str(v))
        for u, v in Pairing.objects.filter(round_id=round_.pk, status=PairingStatus.ENDED)
        .exclude(end_reason=WITHDRAWN_BY_REPUBLISH)
        .values_list("unit_id", "village_id")
    }
    forbid_refs = {(str(u), str(v)) for u, v in forbids} | ended
    instance = Instance(
        units=units,
        villages=villages,
        policy=policy,
        preferences=preferences,
        previous=previous,
        pins=tuple(PairRef(str(u), str(v)) for u, v in pins if (str(u), str(v)) not in standing),
        forbids=tuple(PairRef(u, v) for u, v in sorted(forbid_refs)),
    )
    data = instance_to_json(instance)
    data["round"] = list(current or ())
    data["pins"] = sorted(standing)  # the standing pairs: a change to them changes capacities
    stamp = {part: _digest(data.get(part)) for part in PARTS}
    return AllocationSnapshot(instance, stamp)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def instance_namer(instance: Instance) -> Callable[[str, str], str]:
    """``name(kind, id)`` for the engine's :func:`~gongjian.matching.describe`: a unit as
    "name（district）", a village as "name（county town）", so that two villages of the same
    name in different counties are told apart (issue 11 point 6)."""
    units = {u.id: u for u in instance.units}
    villages = {v.id: v for v in instance.villages}

    def name(kind: str, ident: str) -> str:
        if kind == "unit" and ident in units:
            u = units[ident]
            return f"{u.name or ident}（{u.district}）" if u.district else u.name or ident
        if kind == "village" and ident in villages:
            v = villages[ident]
            place = f"{v.county}{v.town}"
            return f"{v.name or ident}（{place}）" if place else v.name or ident
        return _stored_name(kind, ident)

    return name


def _stored_name(kind: str, ident: str) -> str:
    """An id the instance does not hold (a pin outside the directory): the organization's name."""
    try:
        found = Organization.objects.filter(pk=int(ident)).values_list("name", flat=True).first()
    except ValueError:
        found = None
    return found or ident

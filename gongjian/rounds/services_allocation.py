"""Allocation and balancing: run the engine on the round (what-if runs are kept with their
inputs), publish a run as pairings, re-match open villages after adjustments."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongjian.accounts.models import User
from gongjian.audit.services import audited
from gongjian.core.policies import load_profile
from gongjian.matching import (
    AllocationInputError,
    Instance,
    PairRef,
    Policy,
    Preference,
    Result,
    Unit,
    Village,
    allocate,
)
from gongjian.orgs.models import Organization
from gongjian.rounds.access import can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import (
    AllocationRun,
    DirectoryEntry,
    GeographyLink,
    Intent,
    IntentStatus,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
)
from gongjian.rounds.stage import refresh_stage

WITHDRAWN_BY_REPUBLISH = "重新分配后撤回"


def _codes(ids: set[int], through: Any, column: str) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for org_id, code in through.objects.filter(organization_id__in=ids).values_list("organization_id", column):
        found.setdefault(org_id, []).append(code)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def build_instance(
    round_: Round, *, pins: list[tuple[int, int]], forbids: list[tuple[int, int]], open_only: bool
) -> Instance:
    """The engine's input for the round: remaining capacity and places after the pairs that
    already stand (renewals, published pairs), intents as preferences, last round's pairs as
    renewal bonus, the policy's scoring and the round's district table."""
    live = Pairing.objects.filter(round=round_).exclude(status=PairingStatus.ENDED)
    used_by_unit = Counter(live.values_list("unit_id", flat=True))
    held_by_village = Counter(live.values_list("village_id", flat=True))
    round_units = list(RoundUnit.objects.filter(round=round_))
    entries = list(DirectoryEntry.objects.filter(round=round_))
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
            round=round_, status=IntentStatus.ACTIVE, entry__village_id__in=village_ids
        ).values_list("unit_id", "entry__village_id", "rank")
    )
    previous: tuple[PairRef, ...] = ()
    if round_.previous_round_id:
        previous = tuple(
            PairRef(str(u), str(v))
            for u, v in Pairing.objects.filter(round_id=round_.previous_round_id)
            .exclude(status=PairingStatus.ENDED)
            .values_list("unit_id", "village_id")
        )
    policy = load_profile(round_.policy_key).allocation
    table: dict[str, list[str]] = {}
    for district, county in GeographyLink.objects.filter(round=round_).values_list("district", "county"):
        table.setdefault(district, []).append(county)
    if table:
        policy = dataclasses.replace(policy, geography={k: tuple(v) for k, v in table.items()})
    live_pairs = {(str(u), str(v)) for u, v in live.values_list("unit_id", "village_id")}
    # A pair ended by adjustment or declined renewal is not offered again; one merely
    # withdrawn by a later publication may come back.
    ended = {
        (str(u), str(v))
        for u, v in Pairing.objects.filter(round=round_, status=PairingStatus.ENDED)
        .exclude(end_reason=WITHDRAWN_BY_REPUBLISH)
        .values_list("unit_id", "village_id")
    }
    forbid_refs = {(str(u), str(v)) for u, v in forbids} | ended
    return Instance(
        units=units,
        villages=villages,
        policy=policy,
        preferences=preferences,
        previous=previous,
        pins=tuple(PairRef(str(u), str(v)) for u, v in pins if (str(u), str(v)) not in live_pairs),
        forbids=tuple(PairRef(u, v) for u, v in sorted(forbid_refs)),
    )


def _result_json(result: Result) -> dict[str, Any]:
    return {
        "pairs": [
            {"unit": p.unit, "village": p.village, "score": p.score, "reasons": p.reasons, "pinned": p.pinned}
            for p in result.pairs
        ],
        "uncovered": [
            {
                "village": u.village,
                "missing": u.missing,
                "code": u.code.value,
                "candidates": u.candidates,
                "at_capacity": u.at_capacity,
                "paired": u.paired,
                "forbidden": u.forbidden,
            }
            for u in result.uncovered
        ],
        "optimal": result.optimal,
    }


def _instance_json(instance: Instance) -> dict[str, Any]:
    data = dataclasses.asdict(instance)
    data["policy"] = dataclasses.asdict(instance.policy)
    return data


def instance_from_json(data: dict[str, Any]) -> Instance:
    """Rebuild a stored run's engine input, so that any run can be re-derived and checked."""
    policy = Policy.from_mapping({k: v for k, v in data["policy"].items() if v is not None})

    def refs(key: str) -> tuple[PairRef, ...]:
        return tuple(PairRef(**r) for r in data[key])

    return Instance(
        units=tuple(Unit(**{**u, "resources": tuple(u["resources"])}) for u in data["units"]),
        villages=tuple(
            Village(**{**v, "tags": tuple(v["tags"]), "needs": tuple(v["needs"])}) for v in data["villages"]
        ),
        policy=policy,
        edges=None,
        preferences=tuple(Preference(**p) for p in data["preferences"]),
        previous=refs("previous"),
        pins=refs("pins"),
        forbids=refs("forbids"),
    )


def candidate_pair_count(instance: Instance) -> int:
    """How many (unit, village) pairs the engine would weigh: every pair, except where the
    district table (对口安排表) limits a unit's district to some counties (spec/allocation.md)."""
    villages_by_county = Counter(v.county for v in instance.villages)
    geography = instance.policy.geography or {}
    total = 0
    for district, units in Counter(u.district for u in instance.units).items():
        if district in geography:
            total += units * sum(villages_by_county[c] for c in geography[district])
        else:
            total += units * len(instance.villages)
    return total


def _require_tractable(instance: Instance) -> None:
    """Refuse a run the server cannot hold in memory: a province-wide round without a district
    table offers every unit for every village (15,000 × 20,000 = 300 million pairs)."""
    count = candidate_pair_count(instance)
    limit: int = settings.ALLOCATION_MAX_CANDIDATE_PAIRS
    if count > limit:
        raise RoundActionRefused(
            f"本次分配需要比较约 {count:,} 个“单位—村”组合，超过单次分配上限 {limit:,} 个。"
            "请先导入对口安排表（区县↔县），把各区县单位的候选范围限定在对口的县，或分区域开展轮次。",
            code="too_large",
        )


def allocation_run(
    *,
    actor: User,
    round_: Round,
    pins: Sequence[tuple[int, int]] = (),
    forbids: Sequence[tuple[int, int]] = (),
    open_only: bool = False,
) -> AllocationRun:
    """Run the engine (a what-if until published). Every run is kept with its inputs."""
    if not can_administer(actor, round_):
        raise PermissionDenied("只有本轮次的组织部门管理员可以运行组织分配")
    with audited("allocation.run", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        if round_.status not in (RoundStatus.OPEN, RoundStatus.PUBLISHED):
            raise RoundActionRefused("名录发布后才能运行组织分配")
        instance = build_instance(round_, pins=list(pins), forbids=list(forbids), open_only=open_only)
        _require_tractable(instance)
        try:
            # workers=1: no forking inside a threaded web server.
            result = allocate(instance, workers=1)
        except AllocationInputError as exc:
            raise RoundActionRefused(f"分配条件有误：{exc}", code="bad_input") from exc
        number = (
            AllocationRun.objects.filter(round=round_).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        run = AllocationRun.objects.create(
            round=round_,
            number=number,
            open_only=open_only,
            instance=_instance_json(instance),
            result=_result_json(result),
            pins=[list(p) for p in pins],
            forbids=[list(f) for f in forbids],
            covered_slots=result.covered_slots,
            required_slots=result.required_slots,
            total_score=result.total_score,
            seconds=result.seconds.solve + result.seconds.read,
            created_by=actor,
        )
        record.after = {
            "run": number,
            "covered_slots": result.covered_slots,
            "required_slots": result.required_slots,
            "total_score": result.total_score,
            "pins": len(pins),
            "forbids": len(forbids),
        }
    return run


def run_difference(run: AllocationRun, previous: AllocationRun | None) -> dict[str, list[tuple[str, str]]]:
    """Pairs added and removed against an earlier run (what-if comparison). A re-match of open
    villages is compared on those villages only: every other pair stands, whatever it shows."""
    now = {(p["unit"], p["village"]) for p in run.result["pairs"]}
    before = {(p["unit"], p["village"]) for p in previous.result["pairs"]} if previous else set()
    if run.open_only:
        villages = {v["id"] for v in run.instance["villages"]}
        before = {(u, v) for u, v in before if v in villages}
    return {"added": sorted(now - before), "removed": sorted(before - now)}


def allocation_publish(*, actor: User, run: AllocationRun) -> int:
    """Publish a run: its pairs become pairings to confirm. Unconfirmed pairings of an
    earlier publication that this run does not keep are withdrawn."""
    round_ = run.round
    if not can_administer(actor, round_):
        raise PermissionDenied("只有本轮次的组织部门管理员可以发布分配结果")
    with audited("allocation.publish", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        wanted = {(int(p["unit"]), int(p["village"])): p for p in run.result["pairs"]}
        proposed = Pairing.objects.filter(round=round_, status=PairingStatus.PROPOSED).exclude(
            origin=PairingOrigin.RENEWAL
        )
        withdrawn = 0
        if not run.open_only:
            for pairing in proposed:
                if (pairing.unit_id, pairing.village_id) not in wanted:
                    end_pairing(pairing, WITHDRAWN_BY_REPUBLISH)
                    withdrawn += 1
        live = set(
            Pairing.objects.filter(round=round_)
            .exclude(status=PairingStatus.ENDED)
            .values_list("unit_id", "village_id")
        )
        entries = {
            e.village_id: e for e in DirectoryEntry.objects.filter(round=round_, village_id__in={v for _u, v in wanted})
        }
        origin = PairingOrigin.REMATCH if run.open_only else PairingOrigin.ALLOCATION
        created = Pairing.objects.bulk_create(
            Pairing(
                round=round_,
                entry=entries[v],
                unit_id=u,
                village_id=v,
                origin=origin,
                run=run,
                score=p["score"],
                reasons=p["reasons"][:255],
            )
            for (u, v), p in wanted.items()
            if (u, v) not in live
        )
        for entry in entries.values():
            refresh_stage(entry)
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        if round_.status == RoundStatus.OPEN:
            round_.status = RoundStatus.PUBLISHED
            round_.save(update_fields=["status"])
        record.after = {"run": run.number, "published": len(created), "withdrawn": withdrawn}
    return len(created)


def end_pairing(pairing: Pairing, reason: str) -> None:
    """Mark a pairing ended (callers audit it) and give its village's place back."""
    pairing.status = PairingStatus.ENDED
    pairing.ended_at = timezone.now()
    pairing.end_reason = reason
    pairing.save(update_fields=["status", "ended_at", "end_reason"])
    refresh_stage(pairing.entry)

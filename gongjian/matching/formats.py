"""The engine's own storage format: an instance and a result as versioned JSON.

One writer and one reader each (:func:`instance_to_json` / :func:`instance_from_json`,
:func:`result_to_json` / :func:`result_from_json`): the web app stores every run with
them and re-derives any run from what it stored. The readers also accept the two layouts
stored before the format had a version (a round's run: the dataclasses as dicts; a
dispatch run: compact lists), so that old runs stay readable.

Version 1 (``"format": "gongjian.allocation.instance"`` / ``".result"``, ``"version": 1``):

- instance: ``units`` [{id, name, kind, district, capacity, resources}], ``villages``
  [{id, name, county, town, tags, needs, min_pairs, max_pairs}], ``policy`` {preference_points,
  renewal_points, need_points, affinity, geography, rules [{id, mode, match, points, label}]},
  ``edges`` (null: scored by the policy; else [{unit, village, score}]), ``preferences``
  [{unit, village, rank}], ``previous``, ``pins``, ``forbids`` [{unit, village}].
- result: ``mode``, ``optimal``, ``short_of``, ``covered_slots``, ``required_slots``,
  ``total_score``, ``candidate_pairs``, ``seconds`` {read, solve, write}, ``pairs``
  [{unit, village, score, reasons ("name:points;…", as pairs.csv), components [[code,
  points]…], pinned, rules [rule ids]}], ``uncovered`` [{village, missing, code, candidates,
  paired, at_capacity, declined, forbidden, ruled_out}].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongjian.matching.model import (
    Edge,
    Instance,
    Pair,
    PairRef,
    Preference,
    Result,
    Seconds,
    Uncovered,
    UncoveredReason,
    Unit,
    Village,
)
from gongjian.matching.policy import Policy
from gongjian.matching.reasons import components_from_text

INSTANCE_FORMAT = "gongjian.allocation.instance"
RESULT_FORMAT = "gongjian.allocation.result"
FORMAT_VERSION = 1


class FormatError(ValueError):
    """Stored data in no layout the reader knows (a newer version, or not a run at all)."""


def _check(data: Mapping[str, Any], kind: str) -> bool:
    """True for version 1, False for a layout from before versions; raise otherwise."""
    if "format" not in data:
        return False
    if data["format"] != kind:
        raise FormatError(f"not a {kind} (format {data['format']!r})")
    if data.get("version") != FORMAT_VERSION:
        raise FormatError(f"{kind} version {data.get('version')!r} is not {FORMAT_VERSION}")
    return True


def policy_to_json(policy: Policy) -> dict[str, Any]:
    """The policy as the mapping :meth:`Policy.from_mapping` reads back."""
    data: dict[str, Any] = {
        "preference_points": list(policy.preference_points),
        "renewal_points": policy.renewal_points,
        "need_points": policy.need_points,
        "affinity": {k: dict(v) for k, v in policy.affinity.items()},
        "rules": [
            {
                "id": r.id,
                "mode": r.mode,
                "match": {k: list(v) for k, v in r.match.items()},
                "points": r.points,
                "label": r.label,
            }
            for r in policy.rules
        ],
    }
    if policy.geography is not None:
        data["geography"] = {k: list(v) for k, v in policy.geography.items()}
    return data


def _refs(items: tuple[PairRef, ...]) -> list[dict[str, str]]:
    return [{"unit": p.unit, "village": p.village} for p in items]


def instance_to_json(instance: Instance) -> dict[str, Any]:
    """The instance in format version 1 (plain JSON types)."""
    return {
        "format": INSTANCE_FORMAT,
        "version": FORMAT_VERSION,
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "kind": u.kind,
                "district": u.district,
                "capacity": u.capacity,
                "resources": list(u.resources),
            }
            for u in instance.units
        ],
        "villages": [
            {
                "id": v.id,
                "name": v.name,
                "county": v.county,
                "town": v.town,
                "tags": list(v.tags),
                "needs": list(v.needs),
                "min_pairs": v.min_pairs,
                "max_pairs": v.max_pairs,
            }
            for v in instance.villages
        ],
        "policy": policy_to_json(instance.policy),
        "edges": None
        if instance.edges is None
        else [{"unit": e.unit, "village": e.village, "score": e.score} for e in instance.edges],
        "preferences": [{"unit": p.unit, "village": p.village, "rank": p.rank} for p in instance.preferences],
        "previous": _refs(instance.previous),
        "pins": _refs(instance.pins),
        "forbids": _refs(instance.forbids),
    }


def instance_from_json(data: Mapping[str, Any]) -> Instance:
    """Read an instance stored by :func:`instance_to_json` (or an unversioned older run)."""
    if not _check(data, INSTANCE_FORMAT) and "candidates" in data:
        return _dispatch_instance(data)
    policy = Policy.from_mapping({k: v for k, v in data.get("policy", {}).items() if v is not None})

    def refs(key: str) -> tuple[PairRef, ...]:
        return tuple(PairRef(str(r["unit"]), str(r["village"])) for r in data.get(key) or ())

    edges = data.get("edges")
    return Instance(
        units=tuple(
            Unit(
                str(u["id"]),
                u.get("name", ""),
                u.get("kind", ""),
                u.get("district", ""),
                int(u.get("capacity", 1)),
                tuple(u.get("resources", ())),
            )
            for u in data["units"]
        ),
        villages=tuple(
            Village(
                str(v["id"]),
                v.get("name", ""),
                v.get("county", ""),
                v.get("town", ""),
                tuple(v.get("tags", ())),
                tuple(v.get("needs", ())),
                int(v.get("min_pairs", 1)),
                int(v.get("max_pairs", 1)),
            )
            for v in data["villages"]
        ),
        policy=policy,
        edges=None if edges is None else tuple(Edge(str(e["unit"]), str(e["village"]), int(e["score"])) for e in edges),
        preferences=tuple(
            Preference(str(p["unit"]), str(p["village"]), int(p["rank"])) for p in data.get("preferences") or ()
        ),
        previous=refs("previous"),
        pins=refs("pins"),
        forbids=refs("forbids"),
    )


def _dispatch_instance(data: Mapping[str, Any]) -> Instance:
    """A dispatch run stored before version 1: candidates and villages as lists."""
    kind = next(iter(data["policy"].get("affinity") or {"cadre": {}}))
    return Instance(
        units=tuple(Unit(c, n, kind, d, 1, tuple(s)) for c, n, d, s in data["candidates"]),
        villages=tuple(Village(i, n, c, "", tuple(t), tuple(s), lo, hi) for i, n, c, t, s, lo, hi in data["villages"]),
        policy=Policy.from_mapping(data["policy"]),
        preferences=tuple(Preference(u, v, r) for u, v, r in data["preferences"]),
        forbids=tuple(PairRef(u, v) for u, v in data["forbids"]),
    )


def result_to_json(result: Result) -> dict[str, Any]:
    """The result in format version 1 (plain JSON types)."""
    return {
        "format": RESULT_FORMAT,
        "version": FORMAT_VERSION,
        "mode": result.mode,
        "optimal": result.optimal,
        "short_of": result.short_of,
        "covered_slots": result.covered_slots,
        "required_slots": result.required_slots,
        "total_score": result.total_score,
        "candidate_pairs": result.candidate_pairs,
        "seconds": {"read": result.seconds.read, "solve": result.seconds.solve, "write": result.seconds.write},
        "pairs": [
            {
                "unit": p.unit,
                "village": p.village,
                "score": p.score,
                "reasons": p.reasons,
                "components": [[c, n] for c, n in p.components],
                "pinned": p.pinned,
                "rules": list(p.rules),
            }
            for p in result.pairs
        ],
        "uncovered": [
            {
                "village": u.village,
                "missing": u.missing,
                "code": u.code.value,
                "candidates": u.candidates,
                "paired": u.paired,
                "at_capacity": u.at_capacity,
                "declined": u.declined,
                "forbidden": u.forbidden,
                "ruled_out": u.ruled_out,
            }
            for u in result.uncovered
        ],
    }


# Dispatch's shortfall codes before version 1, as the engine's.
_LEGACY_CODES = {"taken": "candidates_at_capacity", "not_suited": "candidates_unsuited"}


def result_from_json(data: Mapping[str, Any]) -> Result:
    """Read a result stored by :func:`result_to_json` (or an unversioned older run)."""
    versioned = _check(data, RESULT_FORMAT)
    pairs: list[Pair] = []
    for p in data.get("pairs", []):
        if isinstance(p, list):  # dispatch, before version 1
            unit, village, score, reasons = p
            pairs.append(Pair(str(unit), str(village), int(score), components_from_text(reasons)))
            continue
        components = (
            tuple((str(c), int(n)) for c, n in p["components"])
            if "components" in p
            else components_from_text(p.get("reasons", ""))
        )
        pairs.append(
            Pair(
                str(p["unit"]),
                str(p["village"]),
                int(p["score"]),
                components,
                bool(p.get("pinned")),
                tuple(p.get("rules", ())),
            )
        )
    uncovered: list[Uncovered] = []
    for u in data.get("uncovered", []):
        candidates, paired, at_capacity = (
            int(u.get("candidates", 0)),
            int(u.get("paired", 0)),
            int(u.get("at_capacity", 0)),
        )
        uncovered.append(
            Uncovered(
                str(u["village"]),
                int(u.get("missing", 1)),
                UncoveredReason(_LEGACY_CODES.get(u["code"], u["code"])),
                candidates,
                paired,
                at_capacity,
                int(u.get("declined", max(0, candidates - at_capacity - paired))),
                int(u.get("forbidden", 0)),
                int(u.get("ruled_out", 0)),
            )
        )
    for v, missing, code, n, elsewhere, _priority in data.get("unmatched", []):  # dispatch, before version 1
        uncovered.append(
            Uncovered(
                str(v), int(missing), UncoveredReason(_LEGACY_CODES.get(code, code)), n, 0, elsewhere, n - elsewhere, 0
            )
        )
    seconds = data.get("seconds") or {}
    return Result(
        data.get("mode", "optimal"),
        tuple(pairs),
        tuple(uncovered),
        int(data.get("covered_slots", 0)),
        int(data.get("required_slots", 0)),
        int(data.get("total_score", sum(p.score for p in pairs))),
        bool(data.get("optimal", True)),
        Seconds(float(seconds.get("read", 0)), float(seconds.get("solve", 0)), float(seconds.get("write", 0))),
        data.get("short_of", "min" if versioned or "uncovered" in data else "max"),
        int(data.get("candidate_pairs", 0)),
    )

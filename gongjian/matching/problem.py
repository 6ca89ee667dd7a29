"""The checked, array-form problem the solvers work on, and its construction from tables.

All ids become int positions here; candidate pairs become parallel arrays sorted
by (unit, village). Every rule of the spec's "bad input" is enforced in this one
place, whichever way the input arrived.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gongjian.matching.errors import AllocationInputError
from gongjian.matching.model import Instance, PairRef
from gongjian.matching.policy import Policy
from gongjian.matching.rules import mark_rules
from gongjian.matching.scoring import COMPONENTS, candidate_pairs, pair_keys, score_components
from gongjian.matching.tables import Table, as_numpy, string_array, table_from_rows

GIVEN = "given"
# Above this many rows a pair file's two id columns are looked up in two threads.
PARALLEL_LOOKUP_ROWS = 200_000

# (table, unit positions, village positions, pair keys, order): rows sorted by key, and
# `order` the permutation that sorted them (to align other columns of the file).
PairTable = tuple[
    Table, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]  # the one component of a score taken from edges.csv as it stands


@dataclass
class Problem:
    """A validated instance in array form.

    Candidate pairs (forbidden ones removed) are ``eu[e], ev[e]`` sorted by
    ``key = eu * n_villages + ev``; ``components[e]`` are their points by
    ``component_names`` (None when scores were given: one ``given`` component);
    ``rank[e]`` is the unit's preference rank (0: not ranked); ``pinned[e]`` marks pins.
    """

    unit_ids: list[str]
    village_ids: list[str]
    capacity: np.ndarray
    vmin: np.ndarray
    vmax: np.ndarray
    eu: np.ndarray
    ev: np.ndarray
    score: np.ndarray
    components: np.ndarray | None
    rank: np.ndarray
    pinned: np.ndarray
    forbidden: np.ndarray  # forbids per village, for the uncovered reasons
    policy: Policy
    priority: np.ndarray  # per candidate: how many priority rules it follows
    followed: np.ndarray  # per candidate: bit r set if it follows policy.rules[r]
    ruled_out: np.ndarray  # per village: candidates taken out by binding rules
    # The ids as text columns too (writing takes the chosen pairs' ids from them).
    unit_array: pa.Array | None = None
    village_array: pa.Array | None = None

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.unit_ids)

    @property
    def n_villages(self) -> int:
        """Number of villages."""
        return len(self.village_ids)

    @property
    def component_names(self) -> tuple[str, ...]:
        """Names of the columns of ``components``."""
        return (GIVEN,) if self.components is None else COMPONENTS

    def keys(self) -> np.ndarray:
        """The sorted pair keys of the candidates."""
        return pair_keys(self.eu, self.ev, self.n_villages)

    def village_score(self) -> np.ndarray:
        """How a village ranks units in stable mode: the score without its preference part,
        below any priority rule the pair follows (a follower ranks above every other unit)."""
        merit = self.score
        if self.components is not None:
            merit = self.score - self.components[:, COMPONENTS.index("preference")]
        if self.priority.any():
            spread = int(np.abs(merit).max(initial=0))
            merit = merit + (2 * spread + 1) * self.priority
        return merit

    def component_pairs(self, e: int) -> tuple[tuple[str, int], ...]:
        """Non-zero components of candidate ``e`` as (name, points)."""
        if self.components is None:
            return ((GIVEN, int(self.score[e])),)
        return tuple(
            (name, int(p)) for name, p in zip(COMPONENTS, self.components[e], strict=True) if p
        )


def build_problem(tables: dict[str, Table | None], policy: Policy) -> Problem:
    """Check every table and assemble the problem; raise :class:`AllocationInputError`."""
    units, villages = tables["units"], tables["villages"]
    assert units is not None and villages is not None
    unit_ids, unit_array = _ids(units)
    village_ids, village_array = _ids(villages)
    capacity = units.optional_integers("capacity", 1)
    vmin = villages.optional_integers("min", 1)
    vmax = villages.optional_integers("max", 1)
    below = np.flatnonzero(vmax < vmin)
    if len(below):
        i = int(below[0])
        raise villages.error(i, "max", f"max {vmax[i]} is less than min {vmin[i]}")
    n_villages = len(village_ids)

    def pairs(kind: str) -> PairTable | None:
        """A pair file's unit and village positions and keys, sorted by key; and the order."""
        table = tables.get(kind)
        if table is None:
            return None
        pu, pv = positions(table)
        keys = pair_keys(pu, pv, n_villages)
        order = np.argsort(keys)
        _no_duplicates(table, keys, order)
        return table, pu[order], pv[order], keys[order], order

    def positions(table: Table) -> tuple[np.ndarray, np.ndarray]:
        if table.length > PARALLEL_LOOKUP_ROWS:
            # Both id columns at once: pyarrow's lookups release the GIL (2 cores).
            with ThreadPoolExecutor(2) as pool:
                units_found = pool.submit(table.indices, "unit", unit_array, "unit")
                pv = table.indices("village", village_array, "village")
                return units_found.result(), pv
        return table.indices("unit", unit_array, "unit"), table.indices("village", village_array, "village")

    def edge_pairs() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """edges.csv's pairs sorted by key: unit and village positions, keys and scores.

        Scores ride in the low bits of the keys when they fit, so that one in-place sort
        of 5 million integers replaces an argsort and four gathers (the nation: ~0.4 s).
        """
        table = tables.get("edges")
        if table is None:
            return None
        pu, pv = positions(table)
        keys = pair_keys(pu, pv, n_villages)
        score = table.integers("score")
        if len(keys) == 0:
            return pu, pv, keys, score
        low = int(score.min())
        span = int(score.max()) - low + 1
        if (int(keys.max()) + 1) * span >= 2**63:
            order = np.argsort(keys)
            _no_duplicates(table, keys, order)
            return pu[order], pv[order], keys[order], score[order]
        packed = keys * span + (score - low)
        del pu, pv
        packed.sort()
        keys = packed // span
        if (keys[1:] == keys[:-1]).any():  # bad input: name the row the slow way
            raw = pair_keys(*positions(table), n_villages)
            _no_duplicates(table, raw, np.argsort(raw))
        score = packed - keys * span + low
        units_of = keys // n_villages
        return units_of, keys - units_of * n_villages, keys, score

    edges = edge_pairs()
    prefs = pairs("preferences")
    prefs_rank = prefs[0].integers("rank", minimum=1)[prefs[4]] if prefs else np.zeros(0, np.int64)
    previous = pairs("previous")
    forbids = pairs("forbids")
    pins = pairs("pins")

    if edges is not None:
        eu, ev, keys, score = edges
    else:
        eu, ev = candidate_pairs(units.strings("district"), villages.strings("county"), policy)
        keys = pair_keys(eu, ev, n_villages)
        score = np.zeros(len(keys), dtype=np.int64)

    forbidden = np.zeros(n_villages, dtype=np.int64)
    if forbids is not None:
        keep = ~np.isin(keys, forbids[3])
        np.add.at(forbidden, forbids[2], 1)
        eu, ev, keys, score = eu[keep], ev[keep], keys[keep], score[keep]

    # Pairing rules (policy ``rules``): binding ones take candidates out, the others mark them.
    ruled_out = np.zeros(n_villages, dtype=np.int64)
    ruled_out_keys: dict[int, str] = {}
    priority = followed = rule_points = None
    if policy.rules:
        kinds, tags = units.strings("kind"), villages.tag_lists("tags")
        marks = mark_rules(policy, kinds, tags, eu, ev, n_villages)
        out = marks.ruled_out_by >= 0
        if out.any():
            np.add.at(ruled_out, ev[out], 1)
            if pins is not None:
                hit = np.isin(keys, pins[3]) & out
                ruled_out_keys = {
                    int(k): policy.rules[int(r)].id
                    for k, r in zip(keys[hit].tolist(), marks.ruled_out_by[hit].tolist(), strict=True)
                }
            keep = ~out
            eu, ev, keys, score = eu[keep], ev[keep], keys[keep], score[keep]
            priority, followed, rule_points = marks.priority[keep], marks.followed[keep], marks.points[keep]
        else:
            priority, followed, rule_points = marks.priority, marks.followed, marks.points

    rank = _lookup(keys, prefs[3] if prefs else None, prefs_rank)
    components: np.ndarray | None = None
    if edges is None:
        renewed = _lookup(keys, previous[3] if previous else None, None).astype(bool)
        components = score_components(
            policy,
            eu,
            ev,
            kinds=units.strings("kind"),
            resources=units.tag_lists("resources"),
            tags=villages.tag_lists("tags"),
            needs=villages.tag_lists("needs"),
            rank=rank,
            renewed=renewed,
            rule_points=rule_points,
        )
        score = components.sum(axis=1)

    pinned = np.zeros(len(keys), dtype=bool)
    if pins is not None:
        pinned[
            _check_pins(
                pins,
                forbids,
                keys,
                capacity,
                vmax,
                unit_ids,
                village_ids,
                edges is not None,
                ruled_out_keys,
            )
        ] = True

    return Problem(
        unit_ids,
        village_ids,
        capacity,
        vmin,
        vmax,
        eu.astype(np.int32),
        ev.astype(np.int32),
        score.astype(np.int64),
        components,
        rank.astype(np.int32),
        pinned,
        forbidden,
        policy,
        np.zeros(len(keys), np.int64) if priority is None else priority,
        np.zeros(len(keys), np.int64) if followed is None else followed,
        ruled_out,
        unit_array,
        village_array,
    )


def _ids(table: Table) -> tuple[list[str], pa.Array]:
    """The ids of a units or villages table, checked (none empty, none twice), as a list and
    as the trimmed text column (which the pair files' ids are looked up in)."""
    column = table.trimmed("id") if table.has("id") else string_array([""] * table.length)
    empty = as_numpy(pc.utf8_length(column)) == 0
    if not empty.any() and pc.count_distinct(column).as_py() == len(column):
        return column.to_pylist(), column
    first: dict[str, int] = {}
    for i, value in enumerate(column.to_pylist()):
        if value == "":
            raise table.error(i, "id", "is empty")
        if value in first:
            raise table.error(
                i, "id", f"duplicate id {value!r} (first on row {table.row(first[value])})"
            )
        first[value] = i
    raise AssertionError("unreachable: the checks above found the bad id")  # pragma: no cover


def _no_duplicates(table: Table, keys: np.ndarray, order: np.ndarray) -> None:
    ordered = keys[order]
    if not (ordered[1:] == ordered[:-1]).any():
        return
    # Bad input only: report the earliest row that repeats an earlier one, naming that one.
    first: dict[int, int] = {}
    for i, key in enumerate(keys.tolist()):
        if key in first:
            raise table.error(
                i, "village", f"pair appears twice (first on row {table.row(first[key])})"
            )
        first[key] = i


def _lookup(
    keys: np.ndarray, table_keys: np.ndarray | None, values: np.ndarray | None
) -> np.ndarray:
    """For each candidate key, the value of the matching table row (1 if no values), else 0."""
    out = np.zeros(len(keys), dtype=np.int64)
    if table_keys is None or len(table_keys) == 0 or len(keys) == 0:
        return out
    pos = np.searchsorted(keys, table_keys)
    pos_clipped = np.minimum(pos, len(keys) - 1)
    hit = keys[pos_clipped] == table_keys
    out[pos_clipped[hit]] = 1 if values is None else values[hit]
    return out


def _check_pins(
    pins: PairTable,
    forbids: PairTable | None,
    keys: np.ndarray,
    capacity: np.ndarray,
    vmax: np.ndarray,
    unit_ids: list[str],
    village_ids: list[str],
    from_edges: bool,
    ruled_out: dict[int, str],
) -> np.ndarray:
    """Positions of the pins among the candidates; a pin that breaks a rule is an error.

    Pins are checked in file order, so "over capacity" names the pin that overflows.
    """
    table, pu, pv, pin_keys, order = pins
    forbid_note: dict[int, str] = {}
    if forbids is not None:
        forbid_table, forbid_order = forbids[0], forbids[4]
        forbid_note = {
            int(k): f"{forbid_table.file} row {forbid_table.row(int(i))}"
            for k, i in zip(forbids[3].tolist(), forbid_order.tolist(), strict=True)
        }
    pos = np.searchsorted(keys, pin_keys)
    per_unit = np.zeros(len(capacity), dtype=np.int64)
    per_village = np.zeros(len(vmax), dtype=np.int64)
    for j in np.argsort(order).tolist():
        i = int(order[j])  # the pin's record in the file
        u, v, k, p = int(pu[j]), int(pv[j]), int(pin_keys[j]), int(pos[j])
        pair = f"pin {unit_ids[u]}–{village_ids[v]}"
        if k in forbid_note:
            raise table.error(
                i,
                "village",
                f"{pair} is forbidden by {forbid_note[k]}",
                code="pin_forbidden",
                params={"unit": unit_ids[u], "village": village_ids[v]},
            )
        if k in ruled_out:
            raise AllocationInputError(
                table.file,
                table.row(i),
                "village",
                f"{pair} breaks the binding rule {ruled_out[k]}",
                code="pin_breaks_rule",
                params={"unit": unit_ids[u], "village": village_ids[v], "rule": ruled_out[k]},
            )
        if p >= len(keys) or keys[p] != k:
            source = "it is not in edges.csv" if from_edges else "the geography table rules it out"
            raise table.error(
                i,
                "village",
                f"{pair} is not a candidate pair: {source}",
                code="pin_not_candidate",
                params={
                    "unit": unit_ids[u],
                    "village": village_ids[v],
                    "source": "edges" if from_edges else "geography",
                },
            )
        per_unit[u] += 1
        per_village[v] += 1
        if per_unit[u] > capacity[u]:
            raise table.error(
                i,
                "unit",
                f"{pair} exceeds unit {unit_ids[u]}'s capacity of {capacity[u]}",
                code="pin_over_capacity",
                params={"unit": unit_ids[u], "village": village_ids[v], "capacity": int(capacity[u])},
            )
        if per_village[v] > vmax[v]:
            raise table.error(
                i,
                "village",
                f"{pair} exceeds village {village_ids[v]}'s max of {vmax[v]}",
                code="pin_over_max",
                params={"unit": unit_ids[u], "village": village_ids[v], "max": int(vmax[v])},
            )
    return pos


def instance_tables(instance: Instance) -> dict[str, Table | None]:
    """The tables of an :class:`Instance` built in Python (rows count from 1)."""

    def pair_rows(items: tuple[PairRef, ...]) -> list[list[str]]:
        return [[p.unit, p.village] for p in items]

    def table(kind: str, header: list[str], rows: list[list[str]]) -> Table:
        return table_from_rows(kind, kind, header, rows, first_row=1)

    tables: dict[str, Table | None] = {
        "units": table(
            "units",
            ["id", "name", "kind", "district", "capacity", "resources"],
            [
                [u.id, u.name, u.kind, u.district, str(u.capacity), ";".join(u.resources)]
                for u in instance.units
            ],
        ),
        "villages": table(
            "villages",
            ["id", "name", "county", "town", "tags", "needs", "min", "max"],
            [
                [
                    v.id,
                    v.name,
                    v.county,
                    v.town,
                    ";".join(v.tags),
                    ";".join(v.needs),
                    str(v.min_pairs),
                    str(v.max_pairs),
                ]
                for v in instance.villages
            ],
        ),
        "edges": None
        if instance.edges is None
        else table(
            "edges",
            ["unit", "village", "score"],
            [[e.unit, e.village, str(e.score)] for e in instance.edges],
        ),
        "preferences": table(
            "preferences",
            ["unit", "village", "rank"],
            [[p.unit, p.village, str(p.rank)] for p in instance.preferences],
        ),
        "previous": table("previous", ["unit", "village"], pair_rows(instance.previous)),
        "pins": table("pins", ["unit", "village"], pair_rows(instance.pins)),
        "forbids": table("forbids", ["unit", "village"], pair_rows(instance.forbids)),
    }
    for kind in ("units", "villages"):
        if tables[kind].length == 0:  # type: ignore[union-attr]
            raise AllocationInputError(kind, None, None, f"no {kind} given")
    return tables

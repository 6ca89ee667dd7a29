"""Issue 16 point 2 — visit levels, seed 004 doc 1 (十): "党委主要领导和班子成员在协议帮扶期间
至少走访1次，分管领导和具体负责部门每年走访不少于2次".

Read by hand: the principal leader visits at least once in the term and so do the team
members (a team member's visit is not the principal's); the leader in charge visits at least
twice a year and so does the department — a visit of one level is not counted for another.
Pure evaluation: no database.
"""

from __future__ import annotations

import dataclasses
import datetime

from gongjian.compliance.evaluate import PairFacts, Status, evaluate_pair
from gongjian.policies import load_profile

D = datetime.date


def facts(**extra: object) -> PairFacts:
    base = PairFacts(pairing_id=1, unit_id=10, village_id=20, term_start=D(2025, 7, 1), term_end=D(2028, 6, 30))
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def statuses_by_level(pair: PairFacts, *, year: int, as_of: datetime.date) -> dict[str, set[Status]]:
    """Visitor level → the statuses of every Shanghai visit obligation that names that level."""
    profile = load_profile("shanghai")
    result = evaluate_pair(pair, profile.obligations, year=year, as_of=as_of)
    by_level: dict[str, set[Status]] = {}
    for outcome in result.outcomes:
        if outcome.kind != "visits":
            continue
        ob = profile.obligation(outcome.obligation_id)
        assert ob is not None
        for level in ob.levels:
            by_level.setdefault(level, set()).add(outcome.status)
    return by_level


def test_a_team_members_visit_does_not_stand_for_the_principal_leaders() -> None:
    # In the term 2025-07 – 2028-06 only a team member came (2025-12-01); the term is over.
    pair = facts(visits_term={"team_member": 1})
    by_level = statuses_by_level(pair, year=2028, as_of=D(2028, 7, 15))
    # Seed: the principal leader had to come at least once → missed; the team member did → met.
    assert by_level["principal"] == {Status.MISSED}
    assert by_level["team_member"] == {Status.MET}


def test_in_charge_and_department_visits_are_not_summed() -> None:
    # 2026: the leader in charge came once, the department once (1 + 1 is not "2 each").
    pair = facts(visits_year={"in_charge": {3: 1}, "department": {9: 1}})
    by_level = statuses_by_level(pair, year=2026, as_of=D(2027, 1, 31))
    assert by_level["in_charge"] == {Status.MISSED}
    assert by_level["department"] == {Status.MISSED}


def test_every_level_done_as_the_seed_asks_is_met() -> None:
    pair = facts(
        visits_term={"principal": 1, "team_member": 1},
        visits_year={"in_charge": {3: 1, 5: 1}, "department": {4: 1, 6: 1}},
    )
    by_level = statuses_by_level(pair, year=2028, as_of=D(2028, 7, 15))
    assert by_level == {level: {Status.MET} for level in ("principal", "team_member", "in_charge", "department")}

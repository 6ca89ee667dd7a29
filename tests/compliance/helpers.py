"""Running an evaluation and reading back what it stored."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from gongjian.compliance.models import ObligationResult, PairStatus, UnitScore
from gongjian.compliance.services import EvaluationSummary, compliance_evaluate
from gongjian.rounds.models import Pairing
from tests.compliance.conftest import World


@dataclass
class Stored:
    status: str
    score: Decimal
    rank: int | None
    to_adjust: bool
    adjust_reason: str
    obligations: dict[str, str]  # obligation id → status
    reasons: dict[str, str]
    deadlines: dict[str, datetime.date | None]


def run(world: World, as_of: datetime.date, *, year: int = 2026, remind: bool = False) -> EvaluationSummary:
    return compliance_evaluate(
        actor=world.cast.city_admin, round_or_scope=world.round, as_of=as_of, year=year, remind=remind
    )


def stored(pairing: Pairing, year: int = 2026) -> Stored:
    row = PairStatus.objects.get(pairing=pairing, year=year)
    results = ObligationResult.objects.filter(pairing=pairing, year=year)
    return Stored(
        status=row.status,
        score=row.score,
        rank=row.rank,
        to_adjust=row.to_adjust,
        adjust_reason=row.adjust_reason,
        obligations={r.obligation_id: r.status for r in results},
        reasons={r.obligation_id: r.reason for r in results},
        deadlines={r.obligation_id: r.deadline for r in results},
    )


def unit_score(world: World, unit_is_first: bool, year: int = 2026) -> tuple[Decimal, int | None]:
    row = UnitScore.objects.get(unit=world.unit1 if unit_is_first else world.unit2, year=year)
    return row.score, row.rank


def shanghai_records(world: World) -> None:
    """The Shanghai year shared by the profile, service and view tests (seed 004 doc 1 (十)):
    A (weak) has every visit level as the seed asks (principal and team member once in the
    term, in charge and department twice in 2026 each) and ¥32,000; B (lax) one in-charge
    visit and a project; C (weak) a team member's visit in 2025 and nothing else."""
    from gongjian.records.choices import VisitorLevel
    from tests.compliance.conftest import project, transfer, visit

    for day, level in [
        (datetime.date(2025, 10, 12), VisitorLevel.PRINCIPAL),
        (datetime.date(2025, 11, 2), VisitorLevel.TEAM_MEMBER),
        (datetime.date(2026, 3, 10), VisitorLevel.IN_CHARGE),
        (datetime.date(2026, 6, 10), VisitorLevel.IN_CHARGE),
        (datetime.date(2026, 4, 20), VisitorLevel.DEPARTMENT),
        (datetime.date(2026, 9, 20), VisitorLevel.DEPARTMENT),
    ]:
        visit(world.a, day, level)
    transfer(world.a, datetime.date(2026, 4, 1), 20000, world.cast.unit_user)
    transfer(world.a, datetime.date(2026, 10, 1), 12000, world.cast.unit_user)
    visit(world.b, datetime.date(2026, 3, 15), VisitorLevel.IN_CHARGE)
    project(world.b, 40, datetime.date(2026, 2, 1), datetime.date(2026, 12, 31))
    visit(world.c, datetime.date(2025, 12, 1), VisitorLevel.TEAM_MEMBER)

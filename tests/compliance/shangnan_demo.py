"""The county demo under Shangnan's profile (``manage.py demo`` + ``demo_activity --policy
shangnan``) for the Shangnan cross-checks, built once per test module inside a transaction rolled
back at the end, with every signed pair's figures recomputed from the rows by
``shangnan_independent`` (never by the code that computes the pages)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongjian.accounts.models import User
from gongjian.rounds.models import Pairing, Round
from tests.compliance import shangnan_independent as ind
from tests.demo.rolled_back import built_for_module

WHO = ("city_admin", "committee_admin")


@dataclass(frozen=True)
class Pair:
    """A signed pair's expected figures, recomputed from the rows."""

    pid: int
    unit_id: int
    village_id: int
    unit_path: str
    village_path: str
    unit: Decimal  # the unit side (exact)
    village: ind.Village
    joint: Decimal
    survey: ind.Survey | None
    commitment: Decimal


@dataclass
class Demo:
    round: Round
    year: int
    as_of: datetime.date
    pairs: dict[int, Pair]
    units: dict[int, tuple[int, Decimal, int]]  # unit → (pairs, mean score, rank in committee)
    committee: dict[int, int | None]  # unit → its committee
    users: dict[str, User]


def expected(round_: Round, year: int, as_of: datetime.date) -> tuple[dict[int, Pair], Any, Any]:
    p = ind.profile()
    signed = list(
        Pairing.objects.filter(round=round_, status="signed").values_list(
            "pk", "unit_id", "village_id", "unit__path", "village__path"
        )
    )
    ids = {row[0] for row in signed}
    days, surveys = ind.duty_days(ids, year, as_of), ind.surveys(ids, year, as_of)
    commitments = ind.commitments_lost(ids, year, as_of)
    term = (round_.term_start, round_.term_end)
    pairs = {}
    for pid, unit_id, village_id, unit_path, village_path in signed:
        unit = ind.unit_side(surveys.get(pid), commitments.get(pid, Decimal(0)))
        village = ind.village_side(p, days.get(pid, {}), year, as_of, term)
        pairs[pid] = Pair(
            pid, unit_id, village_id, unit_path, village_path, unit, village,
            ind.joint_result(ind.cents(unit), village.score), surveys.get(pid), commitments.get(pid, Decimal(0)),
        )  # fmt: skip
    by_unit: dict[int, list[Decimal]] = {}
    for pair in pairs.values():
        by_unit.setdefault(pair.unit_id, []).append(ind.cents(pair.unit))
    committee = ind.committee_of(set(by_unit))
    means = {u: ind.cents(sum(v, Decimal(0)) / len(v)) for u, v in by_unit.items()}
    ranks = ind.competition_ranks(means, committee)
    return pairs, {u: (len(by_unit[u]), means[u], ranks[u]) for u in means}, committee


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    def build() -> Demo:
        call_command("demo", scale="county", seed=1, stdout=StringIO())
        call_command("demo_activity", seed=1, policy="shangnan", stdout=StringIO())
        round_ = Round.objects.get()
        assert round_.policy_key == "shangnan"
        as_of = timezone.localdate()
        pairs, units, committee = expected(round_, as_of.year, as_of)
        users = {name: User.objects.select_related("organization").get(username=name) for name in WHO}
        return Demo(round_, as_of.year, as_of, pairs, units, committee, users)

    yield from built_for_module(django_db_blocker, build)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def visible(demo: Demo, who: str) -> dict[int, Pair]:
    """The pairs whose unit or village lies in the user's subtree."""
    node = demo.users[who].organization
    assert node is not None
    inside = lambda p: p.unit_path.startswith(node.path) or p.village_path.startswith(node.path)  # noqa: E731
    return {k: p for k, p in demo.pairs.items() if inside(p)}


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


def close(actual: Any, exact: Decimal, what: Any) -> None:
    """Equal to the exact figure to the cent (the page rounds; the recomputation does not)."""
    assert actual is not None and abs(dec(actual) - exact) <= Decimal("0.01"), what


def share(value: Any) -> None:
    assert value is None or 0 <= dec(value) <= 100, f"a share of {value} %"


def assert_stored(pairs: dict[int, Pair], year: int, as_of: datetime.date) -> None:
    """Each stored PairStatus of ``year`` (as evaluated on ``as_of``) carries the recomputed figures."""
    from gongjian.compliance.models import PairStatus

    stored = {s.pairing_id: s for s in PairStatus.objects.filter(year=year)}
    assert set(stored) == set(pairs)
    below = ind.profile()["assessment"]["adjust"]["score_below"]
    for pid, pair in pairs.items():
        s = stored[pid]
        assert s.as_of == as_of and s.joint_mode == "separate", pid
        close(s.score, pair.unit, ("unit side", pid))
        assert (s.village_score, s.village_lost, s.village_missed) == (
            pair.village.score, pair.village.lost, pair.village.missed,
        ), pid  # fmt: skip
        duties = {d["kind"]: (d["periods"], d["missed"], d["lost"]) for d in s.village_duties}
        assert duties == pair.village.by_duty, pid
        assert s.joint_score == pair.joint, pid
        share(s.evaluation_rate)
        if pair.survey is not None:
            assert s.evaluation_respondents == pair.survey.respondents, pid
            close(s.evaluation_rate, pair.survey.rate or Decimal(0), ("rate", pid))
            close(s.evaluation_lost, pair.survey.lost, ("evaluation lost", pid))
        assert dec(s.commitment_lost) == pair.commitment, pid
        # Only one year assessed: a pair is to adjust when its unit side is below score_below
        assert s.to_adjust == (ind.cents(pair.unit) < below), pid

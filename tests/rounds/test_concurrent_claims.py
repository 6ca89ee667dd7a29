"""50 units claim a village's last place at once: exactly one wins (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import DirectoryEntry, Intent, IntentStatus, RoundUnit
from gongjian.rounds.services_choosing import intent_submit
from tests.conftest import Cast, make_org, make_user
from tests.rounds.conftest import make_round

CLAIMANTS = 50
CLAIMS_BY_ONE_UNIT = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_claims_one_winner(cast: Cast) -> None:
    users = []
    for n in range(CLAIMANTS):
        unit = make_org(cast.county, f"U{n:04d}", f"第{n}机关党委", OrgLevel.COMMITTEE, OrgKind.AGENCY, capacity=1)
        users.append(make_user(f"claimant{n}", "unit_user", unit))
    round_ = make_round(cast)
    entry = DirectoryEntry.objects.get(round=round_, village=cast.village)
    assert RoundUnit.objects.filter(round=round_).count() >= CLAIMANTS
    barrier = threading.Barrier(CLAIMANTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            intent_submit(actor=user, entry=entry)
            outcome = "won"
        except RoundActionRefused as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1
    assert outcomes.count("village_full") == CLAIMANTS - 1
    entry.refresh_from_db()
    assert entry.intent_count == 1
    assert Intent.objects.filter(entry=entry, status=IntentStatus.ACTIVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_unit_claiming_many_villages_at_once_stays_within_its_limit(cast: Cast) -> None:
    """The unit's own limit (capacity + the profile's extra intents) holds when its users
    claim several villages at the same moment: the count is read after the unit's row lock."""
    towns = [make_org(cast.county, f"T{n:03d}", f"第{n}镇党委", OrgLevel.COMMITTEE, OrgKind.TOWN) for n in range(2)]
    for n in range(CLAIMS_BY_ONE_UNIT):
        make_org(towns[n % 2], f"V{n:04d}", f"第{n}村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE)
    round_ = make_round(cast)
    unit_round = RoundUnit.objects.get(round=round_, unit=cast.unit)
    limit = unit_round.capacity + 2  # shangnan: extra_intents 2
    entries = list(DirectoryEntry.objects.filter(round=round_, village__code__startswith="V"))
    users = [make_user(f"clerk{n}", "unit_user", cast.unit) for n in range(len(entries))]
    barrier = threading.Barrier(len(entries))
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(user, entry) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            intent_submit(actor=user, entry=entry)
            outcome = "won"
        except RoundActionRefused as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=claim, args=pair) for pair in zip(users, entries, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(entries) == CLAIMS_BY_ONE_UNIT
    assert outcomes.count("won") == limit
    assert outcomes.count("unit_full") == len(entries) - limit
    assert Intent.objects.filter(round=round_, unit=cast.unit, status=IntentStatus.ACTIVE).count() == limit

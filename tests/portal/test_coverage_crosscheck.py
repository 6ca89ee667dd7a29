"""Coverage of towns and of the city side cross-checked on the demo (issue 16 point 5).

The county demo (``manage.py demo`` + ``demo_activity``, Shanghai's profile: towns paired) is
built once for the module inside a transaction rolled back at the end. The public board, the
internal board and the dashboard hand the page a ``coverage``; each of its figures is
recomputed here from the rows in plain Python — towns are the 乡镇 nodes with villages below
them, covered when a confirmed or signed pair names them; units are the round's units, paired
when a confirmed or signed pair names them — without calling ``rounds.coverage``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.orgs.models import Organization, OrgKind
from gongjian.rounds.models import DirectoryEntry, Pairing, Round, RoundUnit
from tests.demo.rolled_back import built_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("coverage_crosscheck")]
COVERED = {"confirmed", "signed"}


@pytest.fixture(scope="module")
def demo_round(django_db_setup: None, django_db_blocker: Any) -> Iterator[Round]:
    def build() -> Round:
        call_command("demo", scale="county", seed=1, stdout=StringIO())
        call_command("demo_activity", seed=1, stdout=StringIO())
        return Round.objects.get()

    yield from built_for_module(django_db_blocker, build)


def expected(round_: Round, scope_path: str) -> dict[str, Any]:
    """Towns and units of the round under ``scope_path``, from the rows."""
    orgs = {
        pk: (kind, parent, path, name, line)
        for pk, kind, parent, path, name, line in Organization.objects.values_list(
            "pk", "kind", "parent_id", "path", "name", "line"
        )
    }
    with_villages = {parent for kind, parent, *_ in orgs.values() if kind == OrgKind.VILLAGE}
    round_org = round_.scope.path
    towns = {
        pk
        for pk, (kind, _p, path, _n, _l) in orgs.items()
        if kind == OrgKind.TOWN and pk in with_villages and path.startswith(round_org) and path.startswith(scope_path)
    }
    live = list(Pairing.objects.filter(round=round_).values_list("unit_id", "village_id", "status"))
    covered_villages = {v for _u, v, s in live if s in COVERED}
    paired_units = {u for u, _v, s in live if s in COVERED}
    units = [u for u in RoundUnit.objects.filter(round=round_).values_list("unit_id", flat=True)]
    units = [u for u in units if orgs[u][2].startswith(scope_path)]
    kinds: Counter[str] = Counter()
    paired_kinds: Counter[str] = Counter()
    for u in units:
        kind, _p, _path, _n, line = orgs[u]
        key = f"{kind}:{line}" if kind == OrgKind.AGENCY and line else kind
        kinds[key] += 1
        paired_kinds[key] += u in paired_units
    return {
        "towns": len(towns),
        "towns_covered": len(towns & covered_villages),
        "units": len(units),
        "units_paired": sum(u in paired_units for u in units),
        "kinds": {k: (n, paired_kinds[k]) for k, n in kinds.items()},
        "unpaired": sorted(orgs[u][3] for u in units if u not in paired_units),
    }


def check(coverage: Any, want: dict[str, Any], *, names: bool) -> None:
    assert (coverage.towns, coverage.towns_covered) == (want["towns"], want["towns_covered"])
    assert (coverage.units, coverage.units_paired) == (want["units"], want["units_paired"])
    assert {k.kind: (k.units, k.paired) for k in coverage.kinds} == want["kinds"]
    assert sorted(coverage.units_unpaired) == (want["unpaired"] if names else [])
    for share in (coverage.towns_pct, coverage.units_pct, *(k.pct for k in coverage.kinds)):
        assert 0 <= share <= 100
    assert sum(k.units for k in coverage.kinds) == coverage.units


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_demo_pairs_towns(demo_round: Round) -> None:
    assert demo_round.policy_key == "shanghai"
    towns = DirectoryEntry.objects.filter(round=demo_round, is_town=True)
    assert towns.exists() and not towns.exclude(village__kind=OrgKind.TOWN).exists()


def test_public_board(demo_round: Round) -> None:
    response = client_for(None).get(reverse("portal:board", args=[demo_round.pk]))
    check(response.context["coverage"], expected(demo_round, demo_round.scope.path), names=False)
    villages = DirectoryEntry.objects.filter(round=demo_round, village__kind=OrgKind.VILLAGE).count()
    assert response.context["board"].total.total == villages  # the towns are not villages


def test_internal_board_city_and_county(demo_round: Round) -> None:
    for username in ("city_admin", "committee_admin"):
        user = User.objects.select_related("organization").get(username=username)
        response = client_for(user).get(reverse("portal:internal_board", args=[demo_round.pk]))
        assert response.status_code == 200
        scope = response.context["board"].scope_path or demo_round.scope.path
        check(response.context["coverage"], expected(demo_round, scope), names=True)


def test_dashboard(demo_round: Round) -> None:
    user = User.objects.get(username="city_admin")
    response = client_for(user).get(reverse("dashboard:index") + f"?round={demo_round.pk}")
    assert response.status_code == 200
    area = response.context["board"].slice.area
    check(response.context["coverage"], expected(demo_round, area.path), names=True)

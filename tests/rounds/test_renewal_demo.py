"""Renewal offers on the county demo (real-shaped data: ~290 units, 170 villages): the figures
the directory and the run show are recomputed here in SQL over the rows, not by the code
under test. Last round's pairs are mixed as a real round's are: most signed, some only
confirmed (never signed), some ended by an adjustment."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongjian.demo.activity.rounds import demo_round_with_signed_pairings
from gongjian.demo.registry import generate
from gongjian.orgs.models import Organization
from gongjian.rounds.models import AllocationRun, Pairing, PairingStatus
from gongjian.rounds.services_allocation import allocation_run
from gongjian.rounds.services_setup import round_create, round_open, round_schedule_defaults

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def scalar(sql: str, *params: object) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0] or 0)


def test_renewal_figures_on_the_county_demo_equal_the_rows() -> None:
    result = generate("county", seed=1, year=TODAY.year)
    admin = get_user_model().objects.get(username="city_admin")
    city = Organization.objects.get(pk=result.places["city_committee"])
    previous = demo_round_with_signed_pairings(scope=city, actor=admin, year=TODAY.year - 3, bulk=True).round
    pairs = list(Pairing.objects.filter(round=previous).order_by("pk").values_list("pk", flat=True))
    # Every 7th pair never got signed, every 11th was ended by an adjustment.
    Pairing.objects.filter(pk__in=pairs[::7]).update(status=PairingStatus.CONFIRMED)
    Pairing.objects.filter(pk__in=pairs[3::11]).update(status=PairingStatus.ENDED, end_reason="调整")

    schedule = round_schedule_defaults("shanghai", TODAY.year)
    following = round_create(
        actor=admin, scope=city, name="续签轮次", policy_key="shanghai", previous_round=previous, **schedule
    )
    round_open(actor=admin, round_=following)

    offers = scalar(
        """SELECT count(*) FROM rounds_pairing p
           JOIN rounds_roundunit ru ON ru.round_id = %s AND ru.unit_id = p.unit_id
           JOIN rounds_directoryentry d ON d.round_id = %s AND d.village_id = p.village_id
           WHERE p.round_id = %s AND p.status = 'signed'""",
        following.pk,
        following.pk,
        previous.pk,
    )
    assert offers > 100
    assert Pairing.objects.filter(round=following, origin="renewal").count() == offers
    unsigned = scalar(
        "SELECT count(*) FROM rounds_pairing WHERE round_id = %s AND status <> 'signed'", previous.pk
    )
    assert unsigned >= len(pairs) // 7  # the mix is real: some are not offered
    held_villages = scalar(
        """SELECT count(DISTINCT village_id) FROM rounds_pairing
           WHERE round_id = %s AND origin = 'renewal' AND status <> 'ended'""",
        following.pk,
    )
    held_entries = "SELECT count(*) FROM rounds_directoryentry WHERE round_id = %s AND renewal_held > 0"
    assert scalar(held_entries, following.pk) == held_villages
    assert scalar("SELECT sum(renewal_held) FROM rounds_directoryentry WHERE round_id = %s", following.pk) == offers

    # The directory's first page marks exactly its fully held villages 续签待定.
    unit_user = get_user_model().objects.get(username="unit_user")
    client = Client()
    client.force_login(unit_user)
    page = client.get(reverse("rounds:directory", args=[following.pk])).content.decode()
    rows = re.findall(r'<tr id="row-(\d+)">(.*?)</tr>', page, flags=re.S)
    assert rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM rounds_directoryentry WHERE round_id = %s AND renewal_held > 0 "
            "AND intent_count + renewal_held >= max_pairs",
            [following.pk],
        )
        full_by_renewal = {row[0] for row in cursor.fetchall()}
    for entry_id, html in rows:
        assert ("续签待定" in html) == (int(entry_id) in full_by_renewal), entry_id

    # The run: the places to cover are the open villages' minimums; the held ones are named.
    run = allocation_run(actor=admin, round_=following)
    required = scalar(
        """SELECT coalesce(sum(greatest(d.min_pairs - coalesce(l.n, 0), 0)), 0)
           FROM rounds_directoryentry d
           LEFT JOIN (SELECT village_id, count(*) AS n FROM rounds_pairing
                      WHERE round_id = %s AND status <> 'ended' GROUP BY village_id) l
             ON l.village_id = d.village_id
           WHERE d.round_id = %s""",
        following.pk,
        following.pk,
    )
    assert AllocationRun.objects.get(pk=run.pk).required_slots == required
    admin_client = Client()
    admin_client.force_login(admin)
    text = admin_client.get(reverse("rounds:run", args=[following.pk, run.number])).content.decode()
    assert f"另有 {held_villages} 个村的名额在运行时已被占用" in text
    assert "都在等上一轮结对双方决定是否续签" in text
    assert f"已占用名额的村（{held_villages}）" in text
    # The figures, for the closing note (pytest -s prints them).
    print(
        f"county demo: previous pairs {len(pairs)}, not signed or ended {unsigned}, renewal offers {offers}, "
        f"held villages {held_villages}, run covers {run.covered_slots} / {run.required_slots}"
    )

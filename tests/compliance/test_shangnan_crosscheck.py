"""Shangnan's assessment cross-checked on the county demo (``manage.py demo`` + ``demo_activity
--policy shangnan``, built once for the module inside a transaction rolled back at the end).

What only this profile shows — the joint appraisal (双考核, seed 002: the unit's side with the
public's evaluation and the commitments, the village's side from its duties, the pair's result)
— is read from the stored rows, the assessment page (city and county admin), its workbook and
the API's assessment resource, and compared with the same figures recomputed from the rows and
``policies/shangnan.yaml`` read as YAML (``shangnan_independent``): means and counts are what the
rows give, rankings follow the recomputed scores, shares are ≤ 100.
"""

from __future__ import annotations

import io
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.rounds.models import Pairing
from tests.compliance import shangnan_independent as ind
from tests.compliance.shangnan_demo import WHO, Demo, Pair, assert_stored, client_for, close, dec, share, visible
from tests.compliance.shangnan_demo import demo as demo  # the module's fixture

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("shangnan_crosscheck")]


# --- the demo is rich enough for the check to mean something ----------------------------------


def test_the_demo_exercises_both_sides(demo: Demo) -> None:
    """Some villages miss a quarter and some meet every duty; some units lose points to the
    public's evaluation or the commitments: otherwise the comparisons below prove little."""
    missed = [p.village.missed for p in demo.pairs.values()]
    assert min(missed) == 0 < max(missed)
    assert len({p.village.score for p in demo.pairs.values()}) > 1
    assert any(p.unit < 100 for p in demo.pairs.values())
    assert any(p.survey is not None and p.survey.counted for p in demo.pairs.values())


# --- the stored rows and the API -----------------------------------------------------------


def test_stored_pairs_equal_the_recomputation(demo: Demo) -> None:
    assert_stored(demo.pairs, demo.year, demo.as_of)


def _all(client: Client, url: str) -> list[dict[str, Any]]:
    """Every item of a paged API list."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(f"{url}&page_size=100&page={page}").json()
        items += body["items"]
        if len(items) >= body["count"] or not body["items"]:
            return items
        page += 1


def in_subtree(demo: Demo, who: str) -> set[int]:
    """The units of the demo's pairs inside the user's subtree (the unit ranking's rows)."""
    node = demo.users[who].organization
    assert node is not None
    return {p.unit_id for p in demo.pairs.values() if p.unit_path.startswith(node.path)}


def test_api_assessment_equals_the_recomputation(demo: Demo) -> None:
    for who in WHO:
        client = client_for(demo.users[who])
        items = _all(client, f"/api/compliance/assessment/pairs/?year={demo.year}")
        mine = visible(demo, who)
        assert {i["pairing_id"] for i in items} == set(mine) and len(items) == len(mine), who
        for i in items:
            pair = mine[i["pairing_id"]]
            close(i["score"], pair.unit, (who, i["pairing_id"]))
            assert (dec(i["village_score"]), i["village_lost"], i["village_missed"], dec(i["joint_score"])) == (
                pair.village.score, pair.village.lost, pair.village.missed, pair.joint,
            ), (who, i["pairing_id"])  # fmt: skip
        units = _all(client, f"/api/compliance/assessment/units/?year={demo.year}")
        assert {u["unit_id"] for u in units} == in_subtree(demo, who)
        for u in units:
            n, mean, rank = demo.units[u["unit_id"]]
            assert (u["pairs"], dec(u["score"]), u["rank"]) == (n, mean, rank), (who, u["unit_id"])
            assert u["committee_id"] == demo.committee[u["unit_id"]]


# --- the assessment page and its workbook ------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_assessment_page_joint_figures(demo: Demo, who: str) -> None:
    response = client_for(demo.users[who]).get(reverse("compliance:assessment") + f"?year={demo.year}")
    assert response.status_code == 200
    mine = visible(demo, who)
    joint = response.context["joint"]
    n = len(mine)
    mean = lambda values: ind.cents(sum(values, Decimal(0)) / n)  # noqa: E731
    all_met = sum(1 for p in mine.values() if p.village.missed == 0)
    assert (joint.pairs, joint.village_scored, joint.villages_all_met) == (n, n, all_met)
    assert joint.unit_mean == mean(ind.cents(p.unit) for p in mine.values())
    assert joint.village_mean == mean(p.village.score for p in mine.values())
    assert joint.joint_mean == mean(p.joint for p in mine.values())
    assert joint.all_met_percent == ind.cents(Decimal(100) * all_met / n)
    share(joint.all_met_percent)
    # the table: the lowest results first, each row's figures the recomputed ones
    rows = response.context["joint_rows"]
    assert len(rows) == min(n, 200)
    assert [r.joint_score for r, _m in rows] == sorted(p.joint for p in mine.values())[: len(rows)]
    for row, missed in rows:
        pair = mine[row.pairing_id]
        assert (row.village_score, row.joint_score) == (pair.village.score, pair.joint)
        gaps = [f"{v[0]} 期中缺 {v[1]} 期" for v in pair.village.by_duty.values() if v[1]]
        assert len(missed) == len(gaps) and all(any(g in m for m in missed) for g in gaps), (missed, gaps)
    # the unit ranking, every page: ranks and scores recomputed, in rank order within a committee
    paginator = response.context["page"].paginator
    page = [u for n in paginator.page_range for u in paginator.page(n).object_list]
    assert {u.unit_id for u in page} == in_subtree(demo, who) and len(page) == len({u.unit_id for u in page})
    for u in page:
        assert (u.pairs, u.score, u.rank) == demo.units[u.unit_id], u.unit_id
    for a, b in itertools.pairwise(page):
        if a.committee_id == b.committee_id:
            assert a.rank <= b.rank and a.score >= b.score
    for c in response.context["committee_scores"]:
        share(c.met_percent)
        assert 0 <= c.met <= c.pairs
    for r in response.context["practice_rows"]:
        share(r.row.evaluation_rate)


@pytest.mark.parametrize("who", WHO)
def test_assessment_workbook(demo: Demo, who: str) -> None:
    data = client_for(demo.users[who]).get(reverse("compliance:assessment_export") + f"?year={demo.year}").content
    book = load_workbook(io.BytesIO(data))
    units, pairs, _adjust, committees, joint = (list(s.iter_rows(values_only=True))[1:] for s in book.worksheets)
    mine = visible(demo, who)
    by_names: dict[tuple[str, str], list[Pair]] = {}
    names = dict(Pairing.objects.filter(pk__in=mine).values_list("pk", "unit__name"))
    villages = dict(Pairing.objects.filter(pk__in=mine).values_list("pk", "village__name"))
    for pid, pair in mine.items():
        by_names.setdefault((names[pid], villages[pid]), []).append(pair)
    # the joint sheet: one row per pair; unit side col 5, village col 7, village lost 8, missed 9, result 11
    assert len(joint) == len(mine)
    for row in joint:
        candidates = by_names[(row[1], row[2])]
        assert any(
            abs(dec(row[5]) - p.unit) <= Decimal("0.01")
            and (dec(row[7]), row[8], row[9], dec(row[11]))
            == (p.village.score, p.village.lost, p.village.missed, p.joint)
            for p in candidates
        ), row
        share(row[11])
    # the pairs sheet: score col 6, respondents 13, rate 14, evaluation lost 16, commitments 17
    assert len(pairs) == len(mine)
    for row in pairs:
        candidates = by_names[(row[2], row[3])]
        assert any(abs(dec(row[6]) - p.unit) <= Decimal("0.01") for p in candidates), row
        share(row[14])
    # units: pairs col 3, score 4, rank 1; their pair counts add up to the pairs sheet
    unit_names = {}
    for pair in mine.values():
        unit_names.setdefault(names[pair.pid], set()).add(demo.units[pair.unit_id])
    for row in units:
        assert (row[3], dec(row[4]), row[1]) in unit_names[row[2]], row
    assert sum(r[3] for r in units) == len(mine) if who == "city_admin" else sum(r[3] for r in units) >= 1
    # committees: pairs col 2, mean 4, met 5, met % 6; the shares ≤ 100, the pairs the rows'
    for row in committees:
        share(row[6])
        assert row[5] <= row[2]
        assert dec(row[6]) == ind.cents(Decimal(100) * row[5] / row[2])
    if who == "city_admin":
        assert sum(r[2] for r in committees) == len(mine)
        per_committee: dict[Any, list[Decimal]] = {}
        for pair in mine.values():
            per_committee.setdefault(demo.committee[pair.unit_id], []).append(ind.cents(pair.unit))
        means = sorted(ind.cents(sum(v, Decimal(0)) / len(v)) for v in per_committee.values())
        assert sorted(dec(r[4]) for r in committees) == means

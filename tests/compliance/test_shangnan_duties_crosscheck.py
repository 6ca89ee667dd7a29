"""Shangnan's village duties, public evaluation and commitments pages cross-checked on the county
demo (``manage.py demo`` + ``demo_activity --policy shangnan``, built once for the module inside a
transaction rolled back at the end): the quarters met and overdue on a village's duties page
recomputed from its rows (seed 002 每季度座谈交流、反映社情民意各一次，每年培养一名年轻党员、选派代表
参与党员评议), the satisfaction rate and points of the evaluation page from the answers, and the
assessment once the year is over (the yearly duties and unreported commitments then count) and
for a term begun mid-year, each inside a savepoint rolled back after the test.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from gongjian.compliance.services import compliance_evaluate
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.rounds.models import Round
from tests.compliance import shangnan_independent as ind
from tests.compliance.shangnan_demo import Demo, Pair, assert_stored, client_for, close, expected, share
from tests.compliance.shangnan_demo import demo as demo  # the module's fixture

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("shangnan_crosscheck")]


# --- the village duties pages and the public's evaluation pages -----------------------------


def _some(demo: Demo, k: int = 3) -> list[Pair]:
    """Villages that met everything, and the ones that missed most (by pairing id, stable)."""
    ordered = sorted(demo.pairs.values(), key=lambda p: (p.village.missed, p.pid))
    return ordered[:k] + ordered[-k:]


def test_village_duties_pages(demo: Demo) -> None:
    client = client_for(demo.users["city_admin"])
    for pair in _some(demo):
        response = client.get(reverse("records:village_duties", args=[pair.pid]))
        assert response.status_code == 200
        lines = response.context["status"]
        expected_lines = _page_lines(demo, pair, demo.round.term_start)
        assert [(x.kind, x.done, x.met, x.overdue) for x in lines] == expected_lines, pair.pid
        overdue = sum(1 for x in lines if x.overdue)
        assert overdue == pair.village.missed, pair.pid  # the page's overdue quarters are the side's missed


def test_evaluation_pages(demo: Demo) -> None:
    surveyed = [p for p in demo.pairs.values() if p.survey is not None]
    assert surveyed
    client = client_for(demo.users["city_admin"])
    all_answers = ind.surveys({p.pid for p in surveyed}, demo.year, None)
    for pair in surveyed:
        response = client.get(reverse("compliance:evaluation", args=[pair.pid]) + f"?year={demo.year}")
        view = response.context["view"]
        survey = all_answers[pair.pid]
        assert view.respondents == survey.respondents == sum(view.by_kind.values())
        share(view.score.rate)
        close(view.score.rate, survey.rate or Decimal(0), pair.pid)
        points = ind.profile()["public_evaluation"]["points"]
        close(view.score.points, Decimal(points) - survey.lost, pair.pid)
        for q in view.questions:
            assert sum(q.counts.values()) <= view.respondents
        # the commitments page lists the year's commitments and its 评议 as stored
        page = client.get(reverse("records:commitments", args=[pair.pid]) + f"?year={demo.year}").context["data"]
        rows = Commitment.objects.filter(pairing_id=pair.pid, year=demo.year)
        assert sorted(c.pk for c in page.items) == sorted(rows.values_list("pk", flat=True))
        review = CommitmentReview.objects.filter(pairing_id=pair.pid, year=demo.year).first()
        assert (page.review.pk if page.review else None) == (review.pk if review else None)


def _page_lines(
    demo: Demo, pair: Pair, term_start: datetime.date, term_end: datetime.date | None = None
) -> list[tuple[str, int, bool, bool]]:
    """The duties page's (kind, done, met, overdue) lines recomputed from the village's rows: the
    quarters begun so far, then the year; a period owes nothing when it ended before the term began
    or began after it ended."""
    p = ind.profile()["village_duties"]
    days = ind.duty_days({pair.pid}, demo.year, datetime.date(demo.year, 12, 31)).get(pair.pid, {})
    lines = []
    for kind, count in ind.QUARTERLY.items():
        for first, last in ind.quarter_ends(demo.year):
            if first <= demo.as_of and last >= term_start and (term_end is None or first <= term_end):
                done = sum(first <= d <= last for d in days.get(kind, []))
                lines.append((kind, done, done >= p[count], done < p[count] and last < demo.as_of))
    for kind, count in ind.YEARLY.items():
        done, last = len(days.get(kind, [])), datetime.date(demo.year, 12, 31)
        lines.append((kind, done, done >= p[count], done < p[count] and last < demo.as_of))
    return lines


def test_year_end_assessment(demo: Demo) -> None:
    """Assessed after the year's end (as the January evaluation does): the fourth quarter, the
    young member and the delegates now count, and a commitment left unreported counts as not
    kept (the demo reports every one from November on: test set-up takes back the reports of
    the first two pairs with commitments)."""
    as_of = datetime.date(demo.year + 1, 1, 15)
    with transaction.atomic():
        first = sorted(set(Commitment.objects.filter(year=demo.year).values_list("pairing_id", flat=True)))[:2]
        Commitment.objects.filter(pairing_id__in=first, year=demo.year).update(outcome="", report="")
        compliance_evaluate(actor=None, round_or_scope=demo.round, as_of=as_of, year=demo.year, remind=False)
        pairs, _units, _committee = expected(demo.round, demo.year, as_of)
        assert_stored(pairs, demo.year, as_of)
        # the demo is rich enough: yearly duties missed, and the fourth quarter assessed
        assert any(p.village.by_duty["young_member"][1] for p in pairs.values())
        assert all(p.village.by_duty["forum"][0] == 4 for p in pairs.values())
        assert all(pairs[pid].commitment > demo.pairs[pid].commitment for pid in first) and first
        transaction.set_rollback(True)


def test_term_ended_mid_year(demo: Demo) -> None:
    """A term that ended on 31 August: the fourth quarter is not owed (on the page either), the
    third (begun within the term) and the year's duties are."""
    end = datetime.date(demo.year, 8, 31)
    as_of = datetime.date(demo.year + 1, 1, 15)
    with transaction.atomic():
        Round.objects.filter(pk=demo.round.pk).update(term_end=end)
        round_ = Round.objects.get(pk=demo.round.pk)
        compliance_evaluate(actor=None, round_or_scope=round_, as_of=as_of, year=demo.year, remind=False)
        pairs, _units, _committee = expected(round_, demo.year, as_of)
        assert_stored(pairs, demo.year, as_of)
        assert all(
            p.village.by_duty["forum"][0] == 3 and p.village.by_duty["young_member"][0] == 1 for p in pairs.values()
        )
        client = client_for(demo.users["city_admin"])
        for pair in sorted(demo.pairs.values(), key=lambda p: p.pid)[:3]:
            lines = client.get(reverse("records:village_duties", args=[pair.pid])).context["status"]
            assert [(x.kind, x.done, x.met, x.overdue) for x in lines] == _page_lines(
                demo, pair, round_.term_start, end
            ), pair.pid
        transaction.set_rollback(True)


def test_term_begun_mid_year(demo: Demo) -> None:
    """A term that began on 1 July (a round signed by 1 July, say): the first two quarters cost the
    village nothing in the assessment, and its duties page and the API's status do not call them
    overdue either (they did: the page showed quarters before the pairing as 未完成)."""
    start = datetime.date(demo.year, 7, 1)
    with transaction.atomic():
        Round.objects.filter(pk=demo.round.pk).update(term_start=start)
        round_ = Round.objects.get(pk=demo.round.pk)
        compliance_evaluate(actor=None, round_or_scope=round_, as_of=demo.as_of, year=demo.year, remind=False)
        pairs, _units, _committee = expected(round_, demo.year, demo.as_of)
        assert_stored(pairs, demo.year, demo.as_of)
        early = [p for p in demo.pairs.values() if p.village.missed > pairs[p.pid].village.missed]
        assert early  # some village missed a quarter before July
        client = client_for(demo.users["city_admin"])
        for pair in early[:4]:
            lines = client.get(reverse("records:village_duties", args=[pair.pid])).context["status"]
            assert [(x.kind, x.done, x.met, x.overdue) for x in lines] == _page_lines(demo, pair, start), pair.pid
            assert sum(1 for x in lines if x.overdue) == pairs[pair.pid].village.missed, pair.pid
            api = client.get(f"/api/records/pairings/{pair.pid}/village-duties/status?year={demo.year}").json()
            assert [(x["kind"], x["done"], x["met"], x["overdue"]) for x in api] == _page_lines(demo, pair, start)
        transaction.set_rollback(True)

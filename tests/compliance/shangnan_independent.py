"""Shangnan's assessment recomputed from the stored rows and the profile's YAML (seed 002), for
the cross-check of ``test_shangnan_crosscheck``: plain Python over the rows, nothing imported
from the code that computes the pages (no ``gongjian.compliance``, no ``load_profile``).

- The unit side: ``assessment.base`` (Shangnan asks no obligations of the unit) less what the
  public's evaluation (群众评议) did not earn of its ``points`` (answers' values from
  ``answer_values``, the survey's weighted mean of the questions' means, counted from
  ``min_respondents`` on) and what the commitments cost (``outcome_points`` per commitment
  partly or not kept, one unreported after ``report_due`` as not kept, ``review_points`` for the
  评议, at most ``points``).
- The village side (双考核): ``village.base`` less, per duty, ``points`` for each period that
  ended before the day of assessment with fewer than ``village_duties`` asks, at most ``max``.
- The pair's result: the sides weighted by ``weights``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation
from gongjian.orgs.models import Organization
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_village_duties import VillageDuty

PROFILE = Path(__file__).resolve().parents[2] / "policies" / "shangnan.yaml"
CENT = Decimal("0.01")
QUARTERLY = {"forum": "forums_per_quarter", "opinion": "opinions_per_quarter"}
YEARLY = {"young_member": "young_members_per_year", "review_delegates": "review_delegates_per_year"}


def profile() -> dict[str, Any]:
    with PROFILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def quarter_ends(year: int) -> list[tuple[datetime.date, datetime.date]]:
    ends = [datetime.date(year, 3, 31), datetime.date(year, 6, 30), datetime.date(year, 9, 30)]
    return [(datetime.date(year, 3 * q + 1, 1), end) for q, end in enumerate([*ends, datetime.date(year, 12, 31)])]


@dataclass(frozen=True)
class Village:
    score: Decimal
    lost: int
    missed: int
    by_duty: dict[str, tuple[int, int, int]]  # kind → (periods assessed, missed, points lost)


def duty_days(pairing_ids: set[int], year: int, as_of: datetime.date) -> dict[int, dict[str, list[datetime.date]]]:
    days: dict[int, dict[str, list[datetime.date]]] = defaultdict(lambda: defaultdict(list))
    rows = VillageDuty.objects.filter(pairing_id__in=pairing_ids, date__year=year, date__lte=as_of)
    for pid, kind, day in rows.values_list("pairing_id", "kind", "date"):
        days[pid][kind].append(day)
    return days


def village_side(
    p: dict[str, Any], days: dict[str, list[datetime.date]], year: int, as_of: datetime.date, term: tuple[Any, Any]
) -> Village:
    """Seed 002: 每季度座谈交流、反映社情民意各一次，每年培养一名年轻党员、选派代表参与评议."""
    asked, rules = p["village_duties"], p["joint_appraisal"]["village"]
    start, end = term
    by_duty: dict[str, tuple[int, int, int]] = {}
    periods: dict[str, list[tuple[datetime.date, datetime.date]]] = {k: quarter_ends(year) for k in QUARTERLY}
    periods.update({k: [(datetime.date(year, 1, 1), datetime.date(year, 12, 31))] for k in YEARLY})
    for kind, (points, cap) in ((k, (v["points"], v["max"])) for k, v in rules["duties"].items()):
        required = asked[{**QUARTERLY, **YEARLY}[kind]]
        assessed = [
            (first, last)
            for first, last in periods[kind]
            if last < as_of and last >= start and (end is None or first <= end)
        ]
        missed = sum(1 for first, last in assessed if sum(first <= d <= last for d in days.get(kind, [])) < required)
        by_duty[kind] = (len(assessed), missed, min(cap, missed * points))
    lost = sum(v[2] for v in by_duty.values())
    return Village(Decimal(rules["base"] - lost), lost, sum(v[1] for v in by_duty.values()), by_duty)


@dataclass(frozen=True)
class Survey:
    respondents: int
    rate: Decimal | None  # exact, %
    score: Decimal | None  # exact, 0–100
    lost: Decimal  # exact points not earned (0 when not counted)
    counted: bool


def surveys(pairing_ids: set[int], year: int, as_of: datetime.date | None) -> dict[int, Survey]:
    p = profile()["public_evaluation"]
    values = {k: Decimal(v) for k, v in p["answer_values"].items()}
    out = {}
    for survey in PublicEvaluation.objects.filter(pairing_id__in=pairing_ids, year=year):
        answers = EvaluationResponse.objects.filter(evaluation=survey)
        if as_of is not None:
            answers = answers.filter(entered_at__date__lte=as_of)
        given = [a.answers for a in answers]
        weighted, weights, satisfied, answered = Decimal(0), 0, 0, 0
        for q in survey.questions:
            said = [a[q["id"]] for a in given if q["id"] in a]
            if said:
                weighted += Decimal(q["weight"]) * sum(values[s] for s in said) / len(said)
                weights += int(q["weight"])
                satisfied += sum(1 for s in said if s in ("satisfied", "basic"))
                answered += len(said)
        score = weighted / weights if weights else None
        counted = score is not None and len(given) >= p["min_respondents"]
        points = Decimal(p["points"])
        lost = points - points * score / 100 if counted and score is not None else Decimal(0)
        rate = Decimal(100) * satisfied / answered if answered else None
        out[survey.pairing_id] = Survey(len(given), rate, score, lost, counted)
    return out


def commitments_lost(pairing_ids: set[int], year: int, as_of: datetime.date) -> dict[int, Decimal]:
    c = profile()["commitments"]
    month, day = (int(x) for x in c["report_due"].split("-"))
    overdue = as_of > datetime.date(year, month, day)
    lost: dict[int, int] = defaultdict(int)
    for pid, outcome in Commitment.objects.filter(pairing_id__in=pairing_ids, year=year).values_list(
        "pairing_id", "outcome"
    ):
        outcome = outcome or ("not_done" if overdue else "")
        lost[pid] += c["outcome_points"].get(outcome, 0)
    for pid, result in CommitmentReview.objects.filter(pairing_id__in=pairing_ids, year=year).values_list(
        "pairing_id", "result"
    ):
        lost[pid] += c["review_points"].get(result, 0)
    return {pid: Decimal(min(n, c["points"])) for pid, n in lost.items()}


def unit_side(survey: Survey | None, commitment: Decimal) -> Decimal:
    """Shangnan's unit: no obligations, so the base less the survey's and the commitments' loss."""
    return Decimal(profile()["assessment"]["base"]) - (survey.lost if survey else Decimal(0)) - commitment


def joint_result(unit: Decimal, village: Decimal) -> Decimal:
    w = profile()["joint_appraisal"]["weights"]
    return cents((w["unit"] * unit + w["village"] * village) / (w["unit"] + w["village"]))


def committee_of(unit_ids: set[int]) -> dict[int, int | None]:
    """Each unit's nearest county or work committee above it."""
    paths = dict(Organization.objects.filter(id__in=unit_ids).values_list("id", "path"))
    chains = {u: [int(x) for x in path.strip("/").split("/")][:-1] for u, path in paths.items()}
    levels = dict(
        Organization.objects.filter(id__in={a for c in chains.values() for a in c}).values_list("id", "level")
    )
    out: dict[int, int | None] = {}
    for unit, chain in chains.items():
        found = [a for a in chain if levels[a] in ("county_committee", "work_committee")]
        out[unit] = found[-1] if found else (chain[-1] if chain else None)
    return out


def competition_ranks(scores: dict[int, Decimal], group: dict[int, Any]) -> dict[int, int]:
    """1 + how many of the same group score higher (1, 2, 2, 4)."""
    members: dict[Any, list[int]] = defaultdict(list)
    for key in scores:
        members[group.get(key)].append(key)
    return {k: 1 + sum(1 for o in members[group.get(k)] if scores[o] > scores[k]) for k in scores}

"""A compliance evaluation started as a job shows the pairs evaluated (issue 17 point 2):
"正在评估各结对 x/N", rising to N, between reading the pairs' records and scoring and
storing the results; before, the bar read 0/1, then done."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from gongjian.core import progress as core_progress
from gongjian.core.progress import Listener, listening
from gongjian.jobs import progress
from gongjian.jobs.models import Job, JobKind, JobState
from tests.compliance.helpers import run

pytestmark = pytest.mark.django_db


def test_the_readings_of_the_pairs_evaluated_rise_to_every_pair(
    world_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world_factory("shanghai")
    monkeypatch.setattr(core_progress, "EVERY", 0)  # every pair's reading, not a few a second
    readings: list[tuple[int, int | None, str, int | None]] = []

    def heard(done: int, total: int | None, stage: str) -> None:
        readings.append((done, total, stage, core_progress.percent()))

    with listening(Listener(progress=heard)):
        summary = run(w, datetime.date(2026, 11, 15))
    assert summary.pairs == 3
    evaluated = [(done, total) for done, total, stage, _ in readings if stage == "正在评估各结对"]
    assert evaluated == [(0, 3), (1, 3), (2, 3), (3, 3), (3, 3)]  # each pair, then the end's reading
    # The steps around it: read (with the pairs evaluated), score and rank, store — 3 steps
    # (no reminders in this run), each its share of one bar.
    steps = [(done, total, stage) for done, total, stage, _ in readings if stage != "正在评估各结对"]
    assert steps == [(0, 3, "正在读取各结对的记录"), (1, 3, "正在计算得分与排名"), (2, 3, "正在保存评估结果")]
    shares = [share for *_, share in readings]
    assert shares == sorted(shares), shares  # the bar never goes back
    # the pairs evaluated fill the first third; scoring and storing (most of a province's time)
    # show 33 % and 66 %, not a full bar while they run
    assert shares[len(evaluated)] == 33 and shares[-2:] == [33, 66]


def test_the_job_from_the_page_ends_at_the_pairs_evaluated(world_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    w = world_factory("shanghai")
    seen: list[tuple[int, int, str]] = []
    real = progress.report

    def report(**reading: Any) -> None:
        real(**reading)
        live = progress.live(progress.current_job.get() or 0) or {}
        seen.append((live["done"], live["total"], live["stage"]))

    monkeypatch.setattr(progress, "report", report)
    client = Client()
    client.force_login(w.cast.city_admin)
    response = client.post("/compliance/evaluate/")
    job = Job.objects.get(kind=JobKind.COMPLIANCE_EVALUATION)
    assert response.status_code == 302 and job.state == JobState.DONE
    assert job.progress_done == job.progress_total == job.result["pairs"] == 3
    evaluated = [done for done, total, stage in seen if stage == "正在评估各结对" and total == 3]
    assert evaluated and evaluated[-1] == 3 and evaluated == sorted(evaluated)
    assert seen[-1] == (3, 3, "评估完成")

"""An allocation job's bar never goes back: its steps (read, solve, store) each fill a share
of it, and the components solved fill the solving step's share (gongjian.core.progress.step).
Before, the bar read 1/3, then 0/N components (back to 0 %), N/N (100 %), then 2/3 (back to
66 %) when the store began."""

from __future__ import annotations

from typing import Any

import pytest

from gongjian.core import progress as core_progress
from gongjian.core.progress import Listener, listening, solving, step
from gongjian.dispatch.services_match import match_start
from gongjian.jobs import progress, runner
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.runner import execute
from gongjian.jobs.selectors import job_status
from gongjian.jobs.services import job_start
from tests.conftest import Cast
from tests.dispatch.conftest import POLICY_KEY, MakeCandidate, needs
from tests.dispatch.conftest import make_candidate as make_candidate  # fixtures of the dispatch case
from tests.dispatch.conftest import policy_dir as policy_dir
from tests.dispatch.conftest import skills as skills
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.django_db


def followed(monkeypatch: pytest.MonkeyPatch, job: Job) -> list[dict[str, Any]]:
    """Run ``job`` here; what its progress page would have polled after each reading."""
    seen: list[dict[str, Any]] = []
    real = progress.report

    def report(**reading: Any) -> None:
        real(**reading)
        seen.append(job_status(Job.objects.get(pk=job.pk)))

    monkeypatch.setattr(progress, "report", report)
    monkeypatch.setattr(core_progress, "EVERY", 0)  # every component's reading, not a few a second
    execute(job.pk, worker="w1")
    return seen


def test_the_percent_of_an_allocation_job_never_decreases(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "dispatch", lambda job: None)  # delivered here, by execute
    round_ = make_round(cast)
    job = job_start(
        actor=cast.city_admin,
        kind=JobKind.ALLOCATION,
        title="组织分配",
        params={"round_id": round_.pk},
        scope_path=round_.scope.path,
    )
    seen = followed(monkeypatch, job)
    percents = [s["percent"] for s in seen]
    stages = [s["stage"] for s in seen]
    solved = [s for s in seen if "个分量" in s["stage"]]
    assert solved and stages[0] == "正在读取名录与意向" and stages[-1] == "正在核对数据并保存方案", stages
    assert None not in percents and percents == sorted(percents), list(zip(stages, percents, strict=True))
    assert percents[0] == 0 and solved[0]["percent"] == 33 and solved[-1]["percent"] == percents[-1] == 66
    # The figures are still the components solved (the bar's share is not the figures).
    assert solved[-1]["done"] == solved[-1]["total"] >= 1
    final = job_status(Job.objects.get(pk=job.pk))
    assert final["state"] == JobState.DONE and final["percent"] == 100


def test_the_percent_of_a_dispatch_matching_job_never_decreases(
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
    skills: Any,
    make_candidate: MakeCandidate,
    policy_dir: Any,
) -> None:
    monkeypatch.setattr(runner, "dispatch", lambda job: None)
    make_candidate()
    needs(cast, cast.village, skills, ("agriculture",))
    seen = followed(monkeypatch, match_start(actor=cast.committee_admin, policy_key=POLICY_KEY))
    percents = [s["percent"] for s in seen]
    assert any("个分量" in s["stage"] for s in seen) and seen[-1]["stage"] == "正在保存匹配方案"
    assert None not in percents and percents == sorted(percents) and percents[-1] == 66, percents


def test_the_components_fill_their_step_and_a_later_step_never_shows_less(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core_progress, "EVERY", 0)
    shares: list[int | None] = []
    listener = Listener(progress=lambda done, total, stage: shares.append(core_progress.percent()))
    with listening(listener):
        step(0, 4, stage="读取")
        step(1, 4, stage="求解")
        told = solving()
        assert told is not None
        for done in range(5):
            told(done, 4)
        step(1, 4, stage="again")  # a step told twice, or out of order, does not pull the bar back
        step(3, 4, stage="保存")
    assert shares == [0, 25, 25, 31, 37, 43, 50, 50, 75]


def test_work_outside_steps_reports_no_share_and_nothing_outside_a_job() -> None:
    shares: list[int | None] = []
    with listening(Listener(progress=lambda done, total, stage: shares.append(core_progress.percent()))):
        told = solving()
        assert told is not None
        told(0, 2)
        told(2, 2)
    assert shares == [None, None]  # the reader shows done/total, as for an import
    assert core_progress.percent() is None
    step(1, 3, stage="outside")  # outside a job: nothing, no error
    assert core_progress.percent() is None

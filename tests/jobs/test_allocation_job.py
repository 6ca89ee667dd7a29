"""An allocation run as a job holds no transaction while it solves (issue 14 point 2), and
stays exactly-once without one: the run and the job's end commit in the service's short
storing transaction (gongjian.core.progress.stored), so a delivery that finds the job
already finished stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from gongjian.audit.models import AuditEntry
from gongjian.jobs import progress, runner
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.runner import execute
from gongjian.jobs.services import job_start
from gongjian.matching import Instance, Result
from gongjian.rounds import services_allocation
from gongjian.rounds.models import AllocationRun, Round
from tests.conftest import Cast
from tests.rounds.conftest import make_round
from tests.rounds.test_allocation_transaction import in_other_connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def queued_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs are recorded and left queued: each test delivers them itself (execute)."""
    monkeypatch.setattr(runner, "dispatch", lambda job: None)


def queued_allocation(cast: Cast, round_: Round) -> Job:
    return job_start(
        actor=cast.city_admin,
        kind=JobKind.ALLOCATION,
        title="组织分配",
        params={"round_id": round_.pk},
        scope_path=round_.scope.path,
    )


def solving_with(monkeypatch: pytest.MonkeyPatch, during: Callable[[], None]) -> dict[str, Any]:
    """The engine calls ``during`` on another connection in the middle of its solve; what
    the job's own connection held then, and what the job's progress said."""
    seen: dict[str, Any] = {}
    real = services_allocation.allocate

    def allocate(instance: Instance, **options: Any) -> Result:
        seen["in_transaction"] = connection.in_atomic_block
        seen["progress"] = progress.live(progress.current_job.get() or 0)
        seen["errors"] = in_other_connection(during)
        return real(instance, **options)

    monkeypatch.setattr(services_allocation, "allocate", allocate)
    return seen


def test_the_job_solves_outside_any_transaction_and_stores_the_run_with_its_end(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_ = make_round(cast)
    job = queued_allocation(cast, round_)

    def meanwhile() -> None:
        # NOWAIT: fails at once if the job held the job's row, the round's row or a
        # transaction on them while solving.
        with transaction.atomic():
            Job.objects.select_for_update(nowait=True).get(pk=job.pk)
            Round.objects.select_for_update(nowait=True).filter(pk=round_.pk).update(name="求解期间改名")

    seen = solving_with(monkeypatch, meanwhile)
    assert execute(job.pk, worker="w1") == JobState.DONE
    assert seen["in_transaction"] is False and seen["errors"] == []
    assert seen["progress"]["total"] == 3 and seen["progress"]["done"] == 1 and "求解" in seen["progress"]["stage"]
    job.refresh_from_db()
    run = AllocationRun.objects.get(round=round_)
    assert job.result == {"run": run.number, "covered_slots": run.covered_slots, "required_slots": run.required_slots}
    assert job.result_url == f"/rounds/{round_.pk}/runs/{run.number}/" and job.progress_done == job.progress_total
    assert AuditEntry.objects.filter(action="allocation.run", success=True).count() == 1
    assert AuditEntry.objects.filter(action="job.finish", object_id=str(job.pk), success=True).count() == 1
    # The broker delivers the message again: nothing runs, nothing is stored.
    assert execute(job.pk, worker="w2") == "skipped"
    assert AllocationRun.objects.filter(round=round_).count() == 1


def test_a_delivery_finding_the_job_finished_at_its_store_rolls_the_store_back(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_ = make_round(cast)
    job = queued_allocation(cast, round_)

    def another_delivery_finishes_first() -> None:
        Job.objects.filter(pk=job.pk).update(state=JobState.DONE, result={"run": 99})

    solving_with(monkeypatch, another_delivery_finishes_first)
    assert execute(job.pk, worker="w2") == "skipped"
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result == {"run": 99}  # the first delivery's end stands
    assert not AllocationRun.objects.filter(round=round_).exists()  # this one stored nothing
    assert not AuditEntry.objects.filter(action="allocation.run", success=True).exists()
    assert not AuditEntry.objects.filter(action="job.finish").exists()


def test_a_refused_store_is_the_jobs_chinese_error(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.models import F

    from gongjian.rounds.models import DirectoryEntry

    round_ = make_round(cast)
    job = queued_allocation(cast, round_)

    def the_directory_changes() -> None:
        DirectoryEntry.objects.filter(round=round_, village=cast.village).update(max_pairs=F("max_pairs") + 1)

    solving_with(monkeypatch, the_directory_changes)
    assert execute(job.pk, worker="w1") == JobState.FAILED
    job.refresh_from_db()
    assert "请重新运行组织分配" in job.error and job.result == {"code": "round_changed"}
    assert not AllocationRun.objects.filter(round=round_).exists()


def test_the_job_shows_the_components_solved_rising_to_all_of_them(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    # A small round is one flow (one part); tests/matching/test_progress.py has many components.
    round_ = make_round(cast)
    job = queued_allocation(cast, round_)
    readings: list[tuple[int, int, str]] = []
    real = progress.report

    def report(*, done: int, total: int | None, stage: str) -> None:
        readings.append((done, total or 0, stage))
        real(done=done, total=total, stage=stage)

    monkeypatch.setattr(progress, "report", report)
    assert execute(job.pk, worker="w1") == JobState.DONE
    solving = [(done, total, stage) for done, total, stage in readings if "个分量" in stage]
    assert solving, readings
    components = solving[-1][1]
    assert components >= 1 and solving[0][:2] == (0, components) and solving[-1][:2] == (components, components)
    assert [d for d, _t, _s in solving] == sorted(d for d, _t, _s in solving)
    assert all(total == components for _d, total, _s in solving)
    assert solving[-1][2] == f"正在求解 {components}/{components} 个分量"
    # Read, solve, store: the solve's readings come between the steps' own.
    stages = [stage for _d, _t, stage in readings]
    assert stages.index(solving[0][2]) > stages.index(next(s for s in stages if s.startswith("正在求解（")))
    assert any("保存" in s for s in stages[stages.index(solving[-1][2]) :])

"""Jobs: started from the pages, visible to their starter only, audited, run once.

These run the jobs inside the request (the test profile without a broker: ``eager``) or in
a thread of this process (``make run``'s mode); tests/jobs/test_distributed.py runs them
on Celery workers as separate processes."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from gongjian.audit.models import AuditEntry
from gongjian.jobs import progress
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.runner import execute
from gongjian.jobs.services import JobActionRefused, job_cancel, job_start
from gongjian.jobs.tasks import members_reminders, nightly_compliance
from gongjian.orgs.models import Organization
from gongjian.rounds.models import AllocationRun
from tests.conftest import Cast
from tests.orgs.test_spreadsheets import GOOD_ROWS, org_file
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.postgres


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(rows: list[list[str]]) -> Any:
    import io

    data, name = org_file(rows)
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_an_import_from_the_page_is_a_job_followed_to_its_result(cast: Cast) -> None:
    admin = client_for(cast.committee_admin)
    response = admin.post("/orgs/import/organizations/", {"file": upload([list(r) for r in GOOD_ROWS])})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobState.DONE and job.starter == cast.committee_admin and job.kind == JobKind.IMPORT
    assert job.result is not None and job.result["created"] == len(GOOD_ROWS) == job.result["rows"]
    assert job.progress_done == job.progress_total == len(GOOD_ROWS)
    assert Organization.objects.filter(code="T0100").exists()
    page = admin.get(response["Location"]).content.decode()
    assert "已完成" in page and "新增" in page and 'id="job-progress"' in page and "<script>" not in page
    status = admin.get(f"/jobs/{job.pk}/status/").json()
    assert status["state"] == "done" and status["percent"] == 100 and status["result_url"] == "/orgs/"
    api = admin.get(f"/api/jobs/{job.pk}").json()
    assert api["state"] == "done" and api["done"] == len(GOOD_ROWS) and api["result_url"] == "/orgs/"
    # Audited: the start, the import itself and the end, once each.
    assert AuditEntry.objects.filter(action="job.start", object_id=str(job.pk)).count() == 1
    assert AuditEntry.objects.filter(action="organization.import", success=True).count() == 1
    assert AuditEntry.objects.filter(action="job.finish", object_id=str(job.pk), success=True).count() == 1


def test_a_job_is_visible_to_its_starter_only(cast: Cast) -> None:
    admin = client_for(cast.committee_admin)
    admin.post("/orgs/import/organizations/", {"file": upload([list(r) for r in GOOD_ROWS])})
    job = Job.objects.get()
    for user in (cast.outsider, cast.city_admin, cast.unit_user, cast.auditor):
        other = client_for(user)
        assert other.get(f"/jobs/{job.pk}/").status_code == 404
        assert other.get(f"/jobs/{job.pk}/status/").status_code == 404
        assert other.post(f"/jobs/{job.pk}/cancel/").status_code == 404
        assert other.get(f"/api/jobs/{job.pk}").status_code == 404
        assert f"/jobs/{job.pk}/" not in other.get("/jobs/").content.decode()
    assert Client().get(f"/api/jobs/{job.pk}").status_code == 401
    assert Client().get(f"/jobs/{job.pk}/").status_code == 302  # to the login page


def test_a_rejected_file_lists_every_bad_cell_and_imports_nothing(cast: Cast) -> None:
    from gongjian.orgs.io_columns import ORG_COLUMNS

    rows = [list(r) for r in GOOD_ROWS]
    rows[2][ORG_COLUMNS.index("可结对村数")] = "两个"
    page = client_for(cast.committee_admin).post("/orgs/import/organizations/", {"file": upload(rows)})
    assert page.status_code == 400 and "可结对村数" in page.content.decode()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "未导入任何数据" in job.error
    # where it stopped, not its last running words alone (read as if still at work)
    assert job.stage.startswith("失败（停在：") and "正在读取并校验各行" in job.stage
    assert job.result == {"errors": [{"row": 4, "column": "可结对村数", "reason": job.result["errors"][0]["reason"]}],
                          "error_count": 1}  # fmt: skip
    assert not Organization.objects.filter(code="T0100").exists()
    assert AuditEntry.objects.filter(action="job.finish", success=False, reason=job.error).count() == 1


def test_a_retried_job_writes_nothing_twice(cast: Cast, settings: Any) -> None:
    settings.JOBS_MODE = "thread"  # queued only: the test's transaction never commits
    creates = AuditEntry.objects.filter(action="organization.create").count()
    data, name = org_file([list(r) for r in GOOD_ROWS])
    job = job_start(
        actor=cast.committee_admin,
        kind=JobKind.IMPORT,
        title="导入组织名册",
        params={"importer": "organizations"},
        file=(name, data),
    )
    assert job.state == JobState.QUEUED
    assert execute(job.pk, worker="w1") == JobState.DONE
    # The broker delivers the message again (a worker lost after the commit): nothing is done.
    assert execute(job.pk, worker="w2") == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1 and job.worker == "w1" and job.result["created"] == len(GOOD_ROWS)
    assert Organization.objects.filter(code__startswith="T01").count() == len(GOOD_ROWS)
    assert AuditEntry.objects.filter(action="organization.import").count() == 1
    assert AuditEntry.objects.filter(action="organization.create").count() == creates + len(GOOD_ROWS)
    assert AuditEntry.objects.filter(action="job.finish").count() == 1


def test_a_fault_rolls_the_work_back_and_says_so_in_chinese(cast: Cast, settings: Any, monkeypatch: Any) -> None:
    from gongjian.jobs import work

    settings.JOBS_MODE = "thread"
    real = work.KINDS[JobKind.IMPORT].run

    def crash_after_the_import(job: Job) -> work.Outcome:
        real(job)
        raise RuntimeError("the worker fell over")

    monkeypatch.setitem(work.KINDS, JobKind.IMPORT, work.JobWork(crash_after_the_import))
    data, name = org_file([list(r) for r in GOOD_ROWS])
    job = job_start(actor=cast.committee_admin, kind=JobKind.IMPORT, title="导入", params={"importer": "organizations"},
                    file=(name, data))  # fmt: skip
    assert execute(job.pk, worker="w1") == JobState.FAILED
    job.refresh_from_db()
    assert job.error == "任务执行出错，未写入任何数据，请联系系统管理员"
    assert not Organization.objects.filter(code="T0100").exists()
    assert not AuditEntry.objects.filter(action="organization.import", success=True).exists()


def test_a_worker_runs_a_job_in_its_starters_language(cast: Cast, settings: Any, monkeypatch: Any) -> None:
    """A job started from an English page reports in English on the worker (whose own
    language is the default, Chinese); a job started from a Chinese page, in Chinese."""
    from gongjian.jobs import work

    settings.JOBS_MODE = "thread"
    data, name = org_file([list(r) for r in GOOD_ROWS])
    start = {"actor": cast.committee_admin, "kind": JobKind.IMPORT, "params": {"importer": "organizations"}}
    with translation.override("en"):
        english = job_start(title="Import", file=(name, data), **start)  # type: ignore[arg-type]
    monkeypatch.setitem(work.KINDS, JobKind.IMPORT, work.JobWork(lambda job: 1 / 0))
    with translation.override("zh-hans"):
        chinese = job_start(title="导入", file=(name, data), **start)  # type: ignore[arg-type]
    assert (english.language, chinese.language) == ("en", "zh-hans")
    assert translation.get_language() == settings.LANGUAGE_CODE == "zh-hans"
    assert execute(chinese.pk, worker="w1") == JobState.FAILED
    monkeypatch.undo()
    assert execute(english.pk, worker="w1") == JobState.DONE  # its Chinese file read in English too
    english.refresh_from_db()
    chinese.refresh_from_db()
    assert english.stage == "Done"
    assert chinese.error == "任务执行出错，未写入任何数据，请联系系统管理员"


def test_the_same_request_twice_follows_the_first_job_and_a_queued_job_can_be_cancelled(
    cast: Cast, settings: Any
) -> None:
    settings.JOBS_MODE = "thread"
    round_ = make_round(cast)
    admin = client_for(cast.city_admin)
    first = admin.post(f"/rounds/{round_.pk}/allocation/run/")
    second = admin.post(f"/rounds/{round_.pk}/allocation/run/")  # a double click
    job = Job.objects.get()
    assert first["Location"] == second["Location"] == f"/jobs/{job.pk}/" and job.state == JobState.QUEUED
    page = admin.get(f"/jobs/{job.pk}/").content.decode()
    assert "取消任务" in page and "排队中" in page
    assert admin.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert execute(job.pk, worker="w1") == "skipped" and not AllocationRun.objects.exists()
    with pytest.raises(JobActionRefused):
        job_cancel(actor=cast.city_admin, job=job)
    assert AuditEntry.objects.filter(action="job.cancel", success=True).count() == 1
    assert AuditEntry.objects.filter(action="job.cancel", success=False).count() == 1
    # After the cancel, the same request starts a new job.
    admin.post(f"/rounds/{round_.pk}/allocation/run/")
    assert Job.objects.filter(state=JobState.QUEUED).count() == 1


def test_an_allocation_from_the_page_lands_on_the_run(cast: Cast) -> None:
    round_ = make_round(cast)
    response = client_for(cast.city_admin).post(f"/rounds/{round_.pk}/allocation/run/")
    run = AllocationRun.objects.get(round=round_)
    assert response["Location"] == f"/rounds/{round_.pk}/runs/{run.number}/"
    job = Job.objects.get()
    assert job.result == {"run": run.number, "covered_slots": run.covered_slots, "required_slots": run.required_slots}
    assert AuditEntry.objects.filter(action="allocation.run", success=True).count() == 1


def test_a_refused_allocation_is_the_jobs_chinese_error(cast: Cast) -> None:
    round_ = make_round(cast, open_it=False)
    page = client_for(cast.city_admin).post(f"/rounds/{round_.pk}/allocation/run/")
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.error == "名录发布后才能运行组织分配"
    assert "名录发布后才能运行组织分配" in page.content.decode()
    assert AuditEntry.objects.filter(action="allocation.run", success=False).count() == 1


def test_the_nightly_schedule_starts_one_job_a_night(cast: Cast) -> None:
    first, again = nightly_compliance(), nightly_compliance()
    assert first == again
    job = Job.objects.get(pk=first)
    assert job.kind == JobKind.NIGHTLY_COMPLIANCE and job.starter is None and job.state == JobState.DONE
    reminders = Job.objects.get(pk=members_reminders())
    assert reminders.state == JobState.DONE and reminders.result is not None and "reminders" in reminders.result


def test_progress_is_shared_through_the_cache_and_never_above_100(cast: Cast) -> None:
    progress.report(done=5, total=10, stage="外面")  # outside a job: nothing
    assert cache.get(progress.key(1)) is None
    token = progress.current_job.set(1)
    try:
        progress.report(done=15, total=10, stage="校验")
    finally:
        progress.current_job.reset(token)
    assert progress.live(1) is not None and progress.live(1)["done"] == 10  # type: ignore[index]
    cache.delete(progress.key(1))


def test_healthz_answers_without_login_and_without_personal_data(cast: Cast) -> None:
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["workers"]["mode"] == "eager"
    assert "city_admin" not in json.dumps(body) and cast.city_admin.username not in json.dumps(body)


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_job_runs_in_a_thread_and_the_request_does_not_wait(cast: Cast, settings: Any) -> None:
    settings.JOBS_MODE = "thread"  # make run's mode
    admin = client_for(cast.committee_admin)
    response = admin.post("/orgs/import/organizations/", {"file": upload([list(r) for r in GOOD_ROWS])})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    for _ in range(200):
        status = admin.get(f"/jobs/{job.pk}/status/").json()
        if status["finished"]:
            break
        time.sleep(0.1)
    assert status["state"] == "done" and status["done"] == len(GOOD_ROWS)
    assert job.__class__.objects.get(pk=job.pk).worker.startswith("thread:")
    assert Organization.objects.filter(code="T0100").exists()


def test_every_import_page_runs_a_known_importer() -> None:
    from django.urls import reverse

    from gongjian.jobs.uploads import importer_key
    from gongjian.jobs.work import IMPORTERS

    # The apps register theirs when they load (the jobs name none of them).
    expected = {"organizations", "people", "joint", "transfers", "candidates", "members", "pairs", "geography"}
    assert set(IMPORTERS) >= expected
    for key, importer in IMPORTERS.items():
        assert importer_key(importer.function) == key
        assert not importer.page or reverse(importer.page).startswith("/")
    with pytest.raises(LookupError):
        importer_key(job_start)

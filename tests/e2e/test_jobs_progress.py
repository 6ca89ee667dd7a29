"""An admin imports a file and runs an allocation: each is a job whose progress bar moves on
its page without a reload (static/jobs/progress.js under the Content-Security-Policy), then
the result. Jobs run as in ``make run`` without a broker: in a thread of the server."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gongjian.jobs.models import Job, JobState
from gongjian.orgs.models import Organization
from gongjian.rounds.models import AllocationRun
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.orgs.test_spreadsheets import GOOD_ROWS, org_file, org_row
from tests.rounds.conftest import make_round

VILLAGES = 4000


def watch(page: Page, until: str, timeout: float = 120) -> list[tuple[str, str, str]]:
    """The (state, percent, figures and stage) the progress box shows, read every 50 ms,
    until the page is at an address containing ``until``."""
    seen: list[tuple[str, str, str]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if until in page.url and not page.locator("#job-progress[data-finished='0']").count():
                break
            box = page.locator("#job-progress")
            if box.count():
                words = box.inner_text()  # state, rows done / total, stage
                reading = (box.get_attribute("data-state") or "", box.get_attribute("data-percent") or "", words)
                if not seen or seen[-1] != reading:
                    seen.append(reading)
        except Exception:  # the page is navigating (the job ended): read again
            pass
        time.sleep(0.05)
    return seen


@pytest.fixture
def threaded_jobs(settings: Any) -> None:
    settings.JOBS_MODE = "thread"  # the live server's own process runs the jobs, as make run does


def test_admin_imports_and_allocates_watching_the_progress_bar(page: Page, cast: Cast, threaded_jobs: None) -> None:
    login(page, cast.committee_admin.username, PASSWORD)
    rows = [GOOD_ROWS[0], *(org_row(f"V{i:05d}", f"进度测试{i}村党支部", "T0100", 区县="商南县", 乡镇街道="石门镇")
                            for i in range(VILLAGES))]  # fmt: skip
    data, name = org_file(rows)
    page.goto("/orgs/import/organizations/")
    page.locator("input[type=file]").set_input_files({"name": name, "mimeType": "application/octet-stream",
                                                      "buffer": data})  # fmt: skip
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.locator("#job-progress progress")).to_be_visible()
    seen = watch(page, "/jobs/")
    # The bar moved: the page showed the job before it ended, then the end, without our reload;
    # while running it showed at least two different readings (rows checked, then imported).
    assert any(state in ("queued", "running") for state, _p, _w in seen), seen
    running = {(percent, words) for state, percent, words in seen if state == "running"}
    assert len(running) >= 2, seen
    expect(page.locator("#job-progress")).to_have_attribute("data-state", "done")
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "100")
    expect(page.locator("#job-progress")).to_contain_text(f"{len(rows)} / {len(rows)}")
    expect(page.locator("main")).to_contain_text("新增")
    screenshot(page, "jobs-import-done")
    assert Organization.objects.filter(code__startswith="V").count() == VILLAGES
    assert Job.objects.get().state == JobState.DONE

    # The allocation: the run's page opens by itself when the job ends.
    round_ = make_round(cast)
    admin = page
    admin.context.clear_cookies()  # signed out: the city admin signs in
    login(admin, cast.city_admin.username, PASSWORD)
    admin.goto(f"/rounds/{round_.pk}/allocation/")
    visited: list[str] = []
    admin.on("framenavigated", lambda frame: visited.append(frame.url) if frame == admin.main_frame else None)
    admin.get_by_role("button", name="运行组织分配").click()
    admin.wait_for_url(f"**/rounds/{round_.pk}/runs/*/", timeout=60_000)
    run = AllocationRun.objects.get(round=round_)
    assert admin.url.endswith(f"/rounds/{round_.pk}/runs/{run.number}/")
    job = Job.objects.get(kind="allocation")
    # Through the job's progress page (its bar and stage), which opened the run by itself.
    assert any(url.endswith(f"/jobs/{job.pk}/") for url in visited), visited
    expect(admin.locator("h1")).to_contain_text("分配方案")
    assert job.state == JobState.DONE and job.result_url == f"/rounds/{round_.pk}/runs/{run.number}/"
    screenshot(admin, "jobs-allocation-result")

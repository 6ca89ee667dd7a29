"""Two app servers and two Celery workers, separate processes on loopback, sharing only a
PostgreSQL database (created for this test, migrated, with the county demo) and a Redis
database:

1. a job started through one server is followed to completion through the other;
2. a dashboard figure computed by one server is served from the shared cache by the other;
3. ``kill -9`` of the worker in the middle of a 20,046-row import: the job finishes on the
   other worker, exactly once (row counts and audit rows checked);
4. ``kill -9`` of the worker in the middle of a province-shaped allocation (4,000 villages,
   3,000 units, a solve of seconds): the run is stored once, by the other worker.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from typing import Any

import pytest
import redis

from gongjian.matching import allocate, instance_from_json, result_from_json
from tests.jobs.cluster import (
    ALLOC_ADMIN,
    ALLOC_PASSWORD,
    BENCH_ADMIN,
    BENCH_PASSWORD,
    DEMO_PASSWORD,
    PORT_BASE,
    REDIS_URL,
    Cluster,
    drop_database,
    follow,
    login,
    post_file,
    post_form,
    request,
)

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("jobs_cluster")]

IMPORT_ROWS = 20_046  # every organization of the planner's province-sized city below its 市委
# A round whose solve takes seconds (about 2 million candidate pairs in six components).
ALLOCATION_VILLAGES, ALLOCATION_UNITS = 4_000, 3_000


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("cluster")
    c = Cluster(database=f"gj_jobs_dist_{os.getpid()}", media=base / "media")
    try:
        c.prepare()
        c.seed_import(IMPORT_ROWS, base / "organizations.xlsx")
        c.start_server(PORT_BASE)
        c.start_server(PORT_BASE + 1)
        c.start_worker("w1")
        c.start_worker("w2")
        c.wait_ready(workers=2)
        yield c, base / "organizations.xlsx"
    finally:
        c.stop()
        redis.Redis.from_url(REDIS_URL).flushdb()
        drop_database(c.database)


def test_a_job_started_on_one_server_is_followed_to_its_end_on_the_other(cluster: Any) -> None:
    c, _file = cluster
    one, two = PORT_BASE, PORT_BASE + 1
    admin = login(one, "city_admin", DEMO_PASSWORD)
    started = post_form(one, admin, "/compliance/evaluate/")
    assert started.status == 302 and started.location.startswith("/jobs/")
    job_id = int(started.location.strip("/").split("/")[-1])
    seen = follow(two, admin, job_id)
    assert seen[-1]["state"] == "done" and seen[-1]["percent"] == 100, seen[-1]
    assert seen[-1]["result_url"] == "/compliance/"
    api = request(two, "GET", f"/api/jobs/{job_id}", headers=admin.headers()).json()
    assert api["state"] == "done" and api["id"] == job_id
    ((worker, attempts, starter),) = c.sql(
        "SELECT j.worker, j.attempts, u.username FROM jobs_job j JOIN accounts_user u ON u.id = j.starter_id "
        "WHERE j.id = %s", job_id)  # fmt: skip
    assert worker in {"w1@gongjian", "w2@gongjian"} and attempts == 1 and starter == "city_admin"
    # The evaluation itself ran once, audited once, in the workers' process.
    assert c.sql("SELECT count(*) FROM audit_auditentry WHERE action = 'compliance.evaluate' AND actor_username = "
                 "'city_admin'") == [(1,)]  # fmt: skip
    # Someone else's job is a 404 on either server.
    other = login(two, "committee_admin", DEMO_PASSWORD)
    assert request(two, "GET", f"/jobs/{job_id}/status/", headers=other.headers()).status == 404
    assert request(one, "GET", f"/api/jobs/{job_id}", headers=other.headers()).status == 404


def test_a_dashboard_figure_computed_by_one_server_is_served_by_the_other_from_redis(cluster: Any) -> None:
    _c, _file = cluster
    one, two = PORT_BASE, PORT_BASE + 1
    admin = login(one, "city_admin", DEMO_PASSWORD)
    store = redis.Redis.from_url(REDIS_URL)
    before = set(store.scan_iter("*gongjian:dashboard:*"))
    first = request(one, "GET", "/dashboard/", headers=admin.headers())
    assert first.status == 200
    new = set(store.scan_iter("*gongjian:dashboard:*")) - before
    assert len(new) == 1, new  # server one computed the board and stored it in Redis
    (key,) = new
    # Mark the cached figures (as Django's RedisCache stores them: pickled) so that only a
    # read from this very entry can show the mark; the entry keeps its expiry.
    rows, total, as_of, evaluated_at = pickle.loads(store.get(key))  # type: ignore[arg-type]
    assert rows and total.villages == sum(r.villages for r in rows)
    marked = rows[0].name
    rows[0].name = "共享缓存标记"
    store.set(key, pickle.dumps((rows, total, as_of, evaluated_at), pickle.HIGHEST_PROTOCOL), keepttl=True)
    ttl = store.pttl(key)
    time.sleep(1.0)
    second = request(two, "GET", "/dashboard/", headers=admin.headers())
    assert second.status == 200
    page = second.body.decode()
    # Server two read server one's entry: the mark shows where the row's name was (the name
    # may still appear elsewhere on the page, e.g. in the scope's heading).
    assert "共享缓存标记" in page and page.count(marked) < first.body.decode().count(marked)
    assert 0 < store.pttl(key) < ttl  # and did not compute and store it again
    assert set(store.scan_iter("*gongjian:dashboard:*")) - before == {key}


def test_kill_9_of_the_worker_mid_import_the_job_finishes_on_the_other_exactly_once(cluster: Any) -> None:
    c, path = cluster
    one, two = PORT_BASE, PORT_BASE + 1
    admin = login(two, BENCH_ADMIN, BENCH_PASSWORD)
    orgs_before = c.sql("SELECT count(*) FROM orgs_organization")[0][0]
    creates_before = c.sql("SELECT count(*) FROM audit_auditentry WHERE action = 'organization.create'")[0][0]
    started = post_file(two, admin, "/orgs/import/organizations/", Path(path).name, Path(path).read_bytes())
    assert started.status == 302 and started.location.startswith("/jobs/"), started.body[:500]
    job_id = int(started.location.strip("/").split("/")[-1])

    # Wait until a worker is inside the import (it has reported the file's rows), then kill it.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = request(one, "GET", f"/jobs/{job_id}/status/", headers=admin.headers()).json()
        if status["state"] == "running" and status["total"] == IMPORT_ROWS:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the import never started: {status}")
    time.sleep(2.0)  # well inside the import's many seconds
    ((victim, attempts),) = c.sql("SELECT worker, attempts FROM jobs_job WHERE id = %s", job_id)
    assert attempts == 1 and victim in {"w1@gongjian", "w2@gongjian"}
    c.kill_worker(victim.split("@")[0])
    assert c.sql("SELECT state FROM jobs_job WHERE id = %s", job_id) == [("running",)]
    assert c.sql("SELECT count(*) FROM orgs_organization")[0][0] == orgs_before  # nothing half-written

    seen = follow(one, admin, job_id, timeout=900)
    assert seen[-1]["state"] == "done", seen[-1]
    ((worker, attempts, result),) = c.sql("SELECT worker, attempts, result FROM jobs_job WHERE id = %s", job_id)
    assert worker != victim and worker in {"w1@gongjian", "w2@gongjian"} and attempts == 2
    assert result["rows"] == IMPORT_ROWS and result["created"] == IMPORT_ROWS
    # Exactly once: every row once, one import audit row, one audit row per organization.
    assert c.sql("SELECT count(*) FROM orgs_organization")[0][0] == orgs_before + IMPORT_ROWS
    creates = c.sql("SELECT count(*) FROM audit_auditentry WHERE action = 'organization.create'")[0][0]
    assert creates == creates_before + IMPORT_ROWS
    assert c.sql("SELECT count(*), bool_and(success) FROM audit_auditentry WHERE action = 'organization.import' "
                 "AND actor_username = %s", BENCH_ADMIN) == [(1, True)]  # fmt: skip
    assert c.sql("SELECT count(*) FROM audit_auditentry WHERE action IN ('job.start', 'job.finish') "
                 "AND object_type = 'jobs.job' AND object_id = %s", str(job_id)) == [(2,)]  # fmt: skip
    # The progress page of the finished job, on the server that did not start it.
    page = request(one, "GET", f"/jobs/{job_id}/", headers=admin.headers()).body.decode()
    assert "已完成" in page and f"{IMPORT_ROWS} / {IMPORT_ROWS}" in page


@pytest.fixture(scope="module")
def allocation_round(cluster: Any) -> int:
    c, _file = cluster
    return int(c.seed_allocation(ALLOCATION_VILLAGES, ALLOCATION_UNITS))


def job_of(response: Any) -> int:
    assert response.status == 302 and response.location.startswith("/jobs/"), response.body[:500]
    return int(response.location.strip("/").split("/")[-1])


def test_kill_9_of_the_worker_mid_allocation_the_run_is_stored_once_by_the_other(
    cluster: Any, allocation_round: int
) -> None:
    c, _file = cluster
    one, two = PORT_BASE, PORT_BASE + 1
    round_id = allocation_round
    c.restart_workers("w1", "w2")  # the import's test killed one: two again, one to kill, one to finish
    admin = login(two, ALLOC_ADMIN, ALLOC_PASSWORD)
    job_id = job_of(post_form(two, admin, f"/rounds/{round_id}/allocation/run/"))

    # Wait until a worker is inside the engine's solve (its components show), then kill it.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = request(one, "GET", f"/jobs/{job_id}/status/", headers=admin.headers()).json()
        if status["state"] == "running" and "个分量" in status["stage"]:
            break
        assert not status["finished"], status
        time.sleep(0.05)
    else:
        raise AssertionError(f"the solve never started: {status}")
    components = status["total"]
    assert components > 1 and status["done"] < components, status  # killed mid-solve
    ((victim, attempts),) = c.sql("SELECT worker, attempts FROM jobs_job WHERE id = %s", job_id)
    assert attempts == 1 and victim in {"w1@gongjian", "w2@gongjian"}
    c.kill_worker(victim.split("@")[0])
    assert c.sql("SELECT state FROM jobs_job WHERE id = %s", job_id) == [("running",)]
    assert c.sql("SELECT count(*) FROM rounds_allocationrun WHERE round_id = %s", round_id) == [(0,)]

    seen = follow(one, admin, job_id, timeout=300)
    assert seen[-1]["state"] == "done", seen[-1]
    assert seen[-1]["result_url"] == f"/rounds/{round_id}/runs/1/"
    ((worker, attempts, result),) = c.sql("SELECT worker, attempts, result FROM jobs_job WHERE id = %s", job_id)
    assert worker != victim and worker in {"w1@gongjian", "w2@gongjian"} and attempts == 2
    # Exactly once: one run stored, holding the engine's answer for the round as it was read.
    ((number, instance, stored, covered),) = c.sql(
        "SELECT number, instance, result, covered_slots FROM rounds_allocationrun WHERE round_id = %s", round_id
    )
    assert number == 1 and result["run"] == 1 and result["covered_slots"] == covered
    expected = allocate(instance_from_json(instance), workers=1)
    pairs = result_from_json(stored).pairs
    assert len(pairs) == len(expected.pairs) >= ALLOCATION_VILLAGES * 9 // 10
    assert {(p.unit, p.village) for p in pairs} == {(p.unit, p.village) for p in expected.pairs}
    assert len({p.village for p in pairs}) == len(pairs)  # no village paired twice (min = max = 1)
    # One audit row of the run's store (the killed delivery's rolled back with it), and the
    # job's start and end once each.
    assert c.sql("SELECT count(*), bool_and(success) FROM audit_auditentry WHERE action = 'allocation.run' "
                 "AND actor_username = %s", ALLOC_ADMIN) == [(1, True)]  # fmt: skip
    assert c.sql("SELECT action, count(*) FROM audit_auditentry WHERE action IN ('job.start', 'job.finish') "
                 "AND object_type = 'jobs.job' AND object_id = %s GROUP BY action ORDER BY action",
                 str(job_id)) == [("job.finish", 1), ("job.start", 1)]  # fmt: skip

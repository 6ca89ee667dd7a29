"""Several processes on loopback, as in production: gunicorn app servers and Celery workers
sharing one PostgreSQL database (created here for the run, migrated) and one Redis
database, and nothing else. Used by tests/jobs/test_distributed.py and bench/bench_jobs.py.

Ports come from the jobs session's range (``JOBS_PORT_BASE``, default 8150); Redis database
5 unless ``JOBS_REDIS_URL`` says otherwise (FLUSHDB on that database only)."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = os.environ.get("JOBS_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("JOBS_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT_BASE = int(os.environ.get("JOBS_PORT_BASE", "8150"))
DEMO_PASSWORD = "Gongjian@2026"
BENCH_ADMIN, BENCH_PASSWORD = "bench_city_admin", "Bench@2026x"
ALLOC_ADMIN, ALLOC_PASSWORD = "alloc_city_admin", "Alloc@2026x"  # tests/jobs/seed_allocation.py


def create_database(name: str) -> str:
    """A fresh, empty database (dropped first if a former run left it); its URL."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG.replace('postgresql://', 'postgres://')}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _die_with_parent() -> None:
    """In a child before exec: its own process group (so that kill -9 reaches the Celery
    worker's pool children too), and SIGTERM when the test process dies."""
    import ctypes

    os.setsid()
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Response:
    status: int
    body: bytes
    headers: http.client.HTTPMessage
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("Location") or ""


@dataclass
class Session:
    """A signed-in client (session and CSRF cookies sent by hand); the session lives in the
    shared database, so it is good on every app server."""

    sessionid: str
    csrftoken: str

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"sessionid={self.sessionid}; csrftoken={self.csrftoken}", "X-CSRFToken": self.csrftoken}


def request(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 120) -> Response:  # fmt: skip
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Response(response.status, data, response.headers, time.perf_counter() - started)
    finally:
        conn.close()


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def login(port: int, username: str, password: str) -> Session:
    """Sign in through the login form, as a browser does."""
    page = request(port, "GET", "/accounts/login/")
    token = _cookies(page.headers)["csrftoken"]
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    answer = request(port, "POST", "/accounts/login/", body=form.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}"})  # fmt: skip
    assert answer.status == 302, f"{username} could not sign in: HTTP {answer.status}"
    return Session(_cookies(answer.headers)["sessionid"], token)


def post_form(port: int, session: Session, path: str, fields: dict[str, str] | None = None) -> Response:
    body = urllib.parse.urlencode({**(fields or {}), "csrfmiddlewaretoken": session.csrftoken}).encode()
    headers = {**session.headers(), "Content-Type": "application/x-www-form-urlencoded"}
    return request(port, "POST", path, body=body, headers=headers)


def post_file(port: int, session: Session, path: str, filename: str, data: bytes) -> Response:
    """A multipart upload with one file field named ``file``, as the import form sends it."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{session.csrftoken}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n",
    ]
    body = parts[0].encode() + parts[1].encode() + data + f"\r\n--{boundary}--\r\n".encode()
    headers = {**session.headers(), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return request(port, "POST", path, body=body, headers=headers)


@dataclass
class Cluster:
    """The processes of one run. ``env`` is what every one of them is given."""

    database: str
    media: Path
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    servers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    database_url: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "GONGJIAN_ENV": "test",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": str(self.media),
            "AXES_FAILURE_LIMIT": "1000",
            # A message whose worker was killed comes back after 10 s; live workers look
            # for such messages every second.
            "JOBS_VISIBILITY_TIMEOUT": "10",
            "JOBS_RESTORE_SWEEP_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], env=self.env(), cwd=ROOT, check=True,
                              capture_output=True, text=True)  # fmt: skip
        return done.stdout

    def prepare(self, *, demo: bool = True) -> None:
        """A new database, migrated (and the county demo with a year of activity); an empty
        Redis database."""
        self.database_url = create_database(self.database)
        self.manage("migrate", "--noinput", "-v0")
        if demo:
            self.manage("demo", "--scale", "county")
            self.manage("demo_activity")
        redis.Redis.from_url(REDIS_URL).flushdb()

    def start_server(self, port: int) -> None:
        """gunicorn (one process, four threads) on 127.0.0.1:``port``."""
        args = [str(BIN / "gunicorn"), "gongjian.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                "--threads", "4", "--timeout", "120", "--log-level", "warning"]  # fmt: skip
        self.servers[port] = subprocess.Popen(args, env=self.env(), cwd=ROOT, preexec_fn=_die_with_parent)

    def start_worker(self, name: str) -> None:
        """A Celery worker (one pool process) named ``name@gongjian``."""
        args = [str(BIN / "celery"), "-A", "gongjian.celery", "worker", "-n", f"{name}@gongjian", "--concurrency", "1",
                "--pool", "prefork", "--without-gossip", "--without-mingle", "-l", "warning"]  # fmt: skip
        self.workers[name] = subprocess.Popen(args, env=self.env(), cwd=ROOT, preexec_fn=_die_with_parent)

    def wait_ready(self, workers: int, timeout: float = 120) -> dict[str, Any]:
        """Every server's /healthz answers 200 with ``workers`` workers; the last answer."""
        deadline = time.monotonic() + timeout
        health: dict[str, Any] = {}
        pending = set(self.servers)
        while pending and time.monotonic() < deadline:
            for port in list(pending):
                try:
                    answer = request(port, "GET", "/healthz", timeout=10)
                except OSError:
                    continue
                if answer.status == 200 and answer.json()["checks"]["workers"].get("count") == workers:
                    health[str(port)] = answer.json()
                    pending.discard(port)
            time.sleep(0.5)
        if pending:
            raise AssertionError(f"servers {sorted(pending)} not ready with {workers} workers")
        return health

    def restart_workers(self, *names: str) -> None:
        """Start again those of ``names`` that a test killed, and wait until every server sees
        them all."""
        for name in names:
            if name not in self.workers:
                self.start_worker(name)
        self.wait_ready(workers=len(self.workers))

    def kill_worker(self, name: str) -> None:
        """kill -9 of the worker's whole process group (its main process and pool children)."""
        process = self.workers.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in [*self.servers.values(), *self.workers.values()]:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in [*self.servers.values(), *self.workers.values()]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.servers.clear()
        self.workers.clear()

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the cluster's database directly (what the servers and workers wrote)."""
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as conn:
            return list(conn.execute(query, params).fetchall())

    def seed_import(self, rows: int, path: Path) -> None:
        """A 市委 with its admin, and an organization file of ``rows`` rows below it."""
        script = ROOT / "tests" / "jobs" / "seed_import.py"
        subprocess.run([sys.executable, str(script), str(rows), str(path)], env=self.env(), cwd=ROOT, check=True)

    def seed_allocation(self, villages: int, units: int) -> int:
        """An invented city of ``villages`` villages and ``units`` units with an open round over
        it (tests/jobs/seed_allocation.py); the round's id."""
        script = ROOT / "tests" / "jobs" / "seed_allocation.py"
        done = subprocess.run([sys.executable, str(script), str(villages), str(units)], env=self.env(), cwd=ROOT,
                              check=True, capture_output=True, text=True)  # fmt: skip
        round_id, seeded = (int(n) for n in done.stdout.split()[-2:])
        assert seeded == villages, done.stdout
        return round_id


def follow(port: int, session: Session, job_id: int, timeout: float = 600, every: float = 0.25) -> list[dict[str, Any]]:
    """Poll a job's status on one server until it ends; every answer seen, in order."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = request(port, "GET", f"/jobs/{job_id}/status/", headers=session.headers())
        assert answer.status == 200, answer.body[:300]
        seen.append({**answer.json(), "_at": time.monotonic(), "_ms": answer.seconds * 1000})
        if seen[-1]["finished"]:
            return seen
        time.sleep(every)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s: {seen[-1] if seen else None}")

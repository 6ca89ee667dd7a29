"""What the HTTP benchmarks share: a stdlib client with cookies handled by hand, a real
sign-in through the login form, gunicorn under production settings on loopback, and
percentiles of sequential page requests. Used by ``bench_rounds.py`` and ``bench_dashboard.py``."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import os
import secrets
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEMO_PASSWORD = "Gongjian@2026"
# The server and the benchmark's own process (which writes sessions) sign with the same key.
SECRET_KEY = secrets.token_urlsafe(50)


# --- HTTP on loopback (stdlib only: a plain client, cookies handled by hand) --------------


@dataclass
class Session:
    """A signed-in client: its cookies and CSRF token, sent by hand (the server sets Secure
    cookies, which a client would not send over plain HTTP)."""

    sessionid: str
    csrftoken: str = field(default_factory=lambda: secrets.token_hex(16))

    def headers(self, *, json_body: bool = False) -> dict[str, str]:
        headers = {"Cookie": f"sessionid={self.sessionid}; csrftoken={self.csrftoken}", "X-CSRFToken": self.csrftoken}
        if json_body:
            headers["Content-Type"] = "application/json"
        return headers


def request(
    port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, http.client.HTTPMessage, float]:
    """One request on a fresh connection (gunicorn's sync workers close after each)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, response.headers, time.perf_counter() - started
    finally:
        connection.close()


def cookies_of(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def real_login(port: int, username: str, password: str) -> Session:
    """Sign in through the login form, as a browser does (CSRF cookie, then POST)."""
    status, _body, headers, _ = request(port, "GET", "/accounts/login/")
    token = cookies_of(headers).get("csrftoken")
    if status != 200 or not token:
        raise SystemExit(f"登录页不可用：HTTP {status}")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, _body, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}"},
    )
    sessionid = cookies_of(headers).get("sessionid")
    if status != 302 or not sessionid:
        raise SystemExit(f"{username} 登录失败：HTTP {status}")
    session = Session(sessionid=sessionid, csrftoken=token)
    pass_second_factor(port, session, username)
    return session


def totp(key: bytes, at: float | None = None) -> str:
    """The 6-digit RFC 6238 code (SHA-1, 30 s) of an authenticator's key."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def pass_second_factor(port: int, session: Session, username: str) -> None:
    """Production settings ask administrators for a second factor after the password: give
    the account an authenticator (in the benchmark's database) and send its code through the
    second-step form, as the administrator's phone would."""
    status, _body, headers, _ = request(port, "GET", "/", headers=session.headers())
    if status != 302 or "/accounts/otp/" not in headers.get("Location", ""):
        return
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    # A code is accepted once: after a previous sign-in in this period, use the next period's.
    at = time.time() + (30 if device.last_t >= int(time.time() // 30) else 0)
    form = urllib.parse.urlencode({"token": totp(device.bin_key, at), "csrfmiddlewaretoken": session.csrftoken})
    status, _body, headers, _ = request(
        port,
        "POST",
        "/accounts/otp/",
        body=form.encode(),
        headers={**session.headers(), "Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302 or "/accounts/otp/" in headers.get("Location", ""):
        raise SystemExit(f"{username} 第二重身份验证失败：HTTP {status}")


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)

    def at(q: float) -> float:
        return ms[min(len(ms) - 1, round(q * (len(ms) - 1)))]

    return {"n": len(ms), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": ms[-1], "mean": statistics.mean(ms)}


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the server's process before exec: stop when the benchmark dies, however it dies."""
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _development_keyring() -> str:
    from gongjian.core.crypto import DEVELOPMENT_KEYS, dump_data_keys

    return dump_data_keys(DEVELOPMENT_KEYS)


def start_server(
    database_url: str, workers: int, static_root: Path, worker_class: str = "gthread", threads: int = 4
) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn under production settings on ``database_url``, plain HTTP on loopback."""
    port = free_port()
    env = {
        **os.environ,
        "GONGJIAN_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DEBUG": "0",
        "STATIC_ROOT": str(static_root),
        "DB_CONN_MAX_AGE": "600",
        # No lockouts from the benchmark's own many requests from one address.
        "AXES_FAILURE_LIMIT": "1000",
        # The data were written with the development keyring (demo, records): production
        # requires a keyring, and this one reads them.
        "GONGJIAN_DATA_KEYS": _development_keyring(),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "gongjian.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        preexec_fn=_die_with_parent,
    )
    for _ in range(300):
        try:
            if request(port, "GET", "/portal/")[0] == 200:
                return server, port
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn 未能启动")
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn 未在 30 秒内就绪")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (gunicorn finishes its requests), then kill after 30 s."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# --- the measurements ---------------------------------------------------------------------


def measure_pages(port: int, pages: list[tuple[str, str, Session | None]], count: int) -> list[dict[str, Any]]:
    """``count`` sequential requests per page after 10 of warm-up; every answer must be 200."""
    results = []
    for label, path, session in pages:
        headers = session.headers() if session else {}
        times = []
        for i in range(10 + count):
            status, body, _h, seconds = request(port, "GET", path, headers=headers)
            if status != 200:
                raise SystemExit(f"{label} {path}: HTTP {status}\n{body[:500]!r}")
            if i >= 10:
                times.append(seconds)
        results.append({"label": label, "path": path, "bytes": len(body), **percentiles(times)})
    return results


def cpu_times() -> tuple[int, int]:
    """Total and idle jiffies of the whole machine (/proc/stat)."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    return sum(values), values[3] + values[4]

"""Benchmark: status board, directory and intent submissions on province demo data, over HTTP.

    .venv/bin/python bench/bench_rounds.py [--seconds 15] [--connections 16] [--workers 2] [--threads 4]
                                           [--requests 200] [--keep]

Targets (issue 4, "must show"): the status board and the directory list answer in under
300 ms at the 95th percentile, and the intent submission endpoint sustains at least 200
requests/s with no lost or double-granted place.

What it does, all on loopback:

1. creates a scratch PostgreSQL database (dropped at the end unless ``--keep``), migrates it
   and fills it with ``gongjian demo --scale province`` (one 省委, 12 cities, 20,000 villages);
2. the province admin creates and opens one round over the whole province (20,000 directory
   villages, every unit with capacity taking part);
3. serves the app with gunicorn (``--workers`` gthread workers × ``--threads``, keep-alive) under production settings
   (DEBUG off, manifest static files, secure-cookie settings) on plain HTTP 127.0.0.1;
4. logs in one admin through the real login form and opens sessions for many unit users;
5. (b) intent load: ``wrk`` (Debian package, one thread, Lua script ``bench/intent_load.lua``)
   posts ``/api/rounds/{id}/intents`` over ``--connections`` kept-alive connections for
   ``--seconds`` seconds, each request as a random unit for a random village of a hot pool
   (so that places run out and refusals happen); then the database is checked: no village
   holds more active intents than ``max_pairs``, every ``intent_count`` equals its active
   intents, every unit is within its limit, and the 201 responses are exactly the active intents;
6. pairs 60 % of the villages (part confirmed, part signed) so that the board shows every
   stage and the drill-down has partners (see :func:`progress` for why not by the engine);
7. (a) latency: ``--requests`` sequential requests to each page (after a warm-up), p50/p95/p99.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from http_bench import (  # noqa: E402  (the HTTP client, server and timing the benchmarks share)
    DEMO_PASSWORD,
    SECRET_KEY,
    VENV_BIN,
    Session,
    cpu_times,
    measure_pages,
    real_login,
    start_server,
    stop_server,
)

PG = {"host": "127.0.0.1", "user": "postgres", "port": "5432"}
DB_NAME = os.environ.get("BENCH_ROUNDS_DB", "gj_bench_rounds")
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
P95_TARGET_MS = 300.0
RATE_TARGET = 200.0
HOT_VILLAGES = 4000
UNIT_USERS = 3000


# --- set-up on the scratch database -------------------------------------------------------


def pg(*command: str, check: bool = True) -> None:
    subprocess.run([*command, "-h", PG["host"], "-U", PG["user"], "-p", PG["port"], DB_NAME], check=check)


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    # The server and this process sign sessions with the same key.
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ["GONGJIAN_ENV"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")
    import django

    django.setup()


def prepare(seed: int) -> dict[str, Any]:
    """Migrate, load the province demo, open a province-wide round, make unit users."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "GONGJIAN_ENV": "test"}
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "gongjian"), "demo", "--scale", "province", "--seed", str(seed)],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    print(f"  省级演示数据：{time.perf_counter() - started:.0f} 秒")

    import datetime

    from gongjian.accounts.models import Role, User
    from gongjian.orgs.models import Organization, OrgKind
    from gongjian.rounds.models import DirectoryEntry, RoundUnit
    from gongjian.rounds.services_setup import round_create, round_open

    admin = User.objects.select_related("organization").get(username="province_admin")
    province = admin.organization
    assert province is not None and province.parent_id is None
    today = datetime.date.today()
    started = time.perf_counter()
    round_ = round_create(
        actor=admin,
        scope=province,
        name="全省城乡结对（基准测试）",
        policy_key="shangnan",
        intent_deadline=today + datetime.timedelta(days=30),
        signing_deadline=today + datetime.timedelta(days=90),
        term_start=today + datetime.timedelta(days=90),
        term_end=today + datetime.timedelta(days=90 + 3 * 365),
    )
    round_open(actor=admin, round_=round_)
    print(f"  开启全省轮次：{time.perf_counter() - started:.1f} 秒")
    villages = DirectoryEntry.objects.filter(round=round_).count()
    city_roots = Organization.objects.filter(parent=province).count()
    units = list(RoundUnit.objects.filter(round=round_).values_list("unit_id", flat=True).order_by("unit_id"))
    rng = random.Random(seed)
    chosen = rng.sample(units, min(UNIT_USERS, len(units)))
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=f"bench_unit_{u}", role=Role.UNIT_USER, organization_id=u, password=unusable) for u in chosen],
        batch_size=1000,
    )
    village_ids = list(DirectoryEntry.objects.filter(round=round_).values_list("village_id", flat=True))
    hot = rng.sample(village_ids, min(HOT_VILLAGES, len(village_ids)))
    committee = User.objects.get(username="committee_admin")
    county = DirectoryEntry.objects.filter(round=round_, village__path__startswith=committee.organization.path)
    sample = county.values("county", "town").first()
    weak = (
        DirectoryEntry.objects.filter(round=round_, village__tags__code="weak")
        .select_related("village")
        .order_by("id")
        .first()
    )
    return {
        "round_id": round_.pk,
        "villages": villages,
        "units": len(units),
        "cities": city_roots,
        "organizations": Organization.objects.count(),
        "unit_kinds": Organization.objects.exclude(kind__in=[OrgKind.VILLAGE, OrgKind.TOWN]).count(),
        "hot_villages": hot,
        "county": sample["county"] if sample else "",
        "town": sample["town"] if sample else "",
        "search": (weak.village.name_initials[:3] if weak else ""),
    }


def open_sessions(usernames: list[str]) -> list[Session]:
    """Sessions exactly as the login view writes them (user id, backend, password hash, the
    idle clock's start), without re-hashing a password per user: argon2 is slow by design."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from gongjian.accounts.middleware import LAST_SEEN_KEY
    from gongjian.accounts.models import User

    sessions = []
    for user in User.objects.filter(username__in=usernames).order_by("id"):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # The backend login() records: the last configured one (the first is django-axes').
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[LAST_SEEN_KEY] = int(time.time())
        store.create()
        assert store.session_key is not None
        sessions.append(Session(sessionid=store.session_key))
    return sessions


def integrity(round_id: int, successes: set[int], unanswered: int) -> dict[str, Any]:
    """No lost or double-granted place: the database agrees with itself and with the 201s.
    A request whose answer the client never read (a socket error or time-out, or one still in
    flight when wrk stopped — at most one per connection) may have been granted: at most
    ``unanswered`` active intents may lack a 201."""
    from django.db import connection

    from gongjian.policies import load_profile
    from gongjian.rounds.models import Intent, IntentStatus, Round

    round_ = Round.objects.get(pk=round_id)
    extra = load_profile(round_.policy_key).round.extra_intents
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE e.intent_count <> coalesce(a.n, 0)),
                   count(*) FILTER (WHERE coalesce(a.n, 0) > e.max_pairs),
                   count(*) FILTER (WHERE (coalesce(a.n, 0) > 0) <> (e.stage = 'intent')),
                   coalesce(sum(a.n), 0)
            FROM rounds_directoryentry e
            LEFT JOIN (SELECT entry_id, count(*) AS n FROM rounds_intent WHERE status = 'active'
                       GROUP BY entry_id) a ON a.entry_id = e.id
            WHERE e.round_id = %s
            """,
            [round_id],
        )
        count_mismatch, over_max, stage_mismatch, active_total = cursor.fetchone()
        cursor.execute(
            """
            SELECT count(*) FROM (
              SELECT i.unit_id, count(*) AS n, max(ru.capacity) AS capacity FROM rounds_intent i
              JOIN rounds_roundunit ru ON ru.round_id = i.round_id AND ru.unit_id = i.unit_id
              WHERE i.round_id = %s AND i.status = 'active' GROUP BY i.unit_id) t
            WHERE n > capacity + %s
            """,
            [round_id, extra],
        )
        (units_over,) = cursor.fetchone()
        cursor.execute(
            """SELECT count(*) FROM (SELECT entry_id, unit_id FROM rounds_intent WHERE round_id = %s
               AND status = 'active' GROUP BY entry_id, unit_id HAVING count(*) > 1) d""",
            [round_id],
        )
        (duplicates,) = cursor.fetchone()
    active_ids = set(Intent.objects.filter(round_id=round_id, status=IntentStatus.ACTIVE).values_list("pk", flat=True))
    return {
        "active_intents": active_total,
        "entries_count_mismatch": count_mismatch,
        "entries_over_max_pairs": over_max,
        "entries_stage_mismatch": stage_mismatch,
        "units_over_limit": units_over,
        "duplicate_unit_village": duplicates,
        "201_not_in_db": len(successes - active_ids),
        "active_without_201": len(active_ids - successes),
        "unanswered_requests": unanswered,
        "ok": count_mismatch == 0
        and over_max == 0
        and stage_mismatch == 0
        and units_over == 0
        and duplicates == 0
        and successes <= active_ids
        and len(active_ids - successes) <= unanswered,
    }


def progress(round_id: int, seed: int) -> dict[str, Any]:
    """Pair 60 % of the villages and move part of the pairs on, so that every stage appears on
    the board and the drill-down has partners.

    The pairs are written here directly, not by ``allocation_run``: on a province-wide round
    without a district table (对口安排表) the engine is offered every unit for every village
    (15,000 × 20,000 candidate pairs) and runs out of memory. Confirming and signing are set
    directly too (as the service tests do for signing), and each village's stage refreshed by
    the same function the services use."""
    from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, RoundUnit
    from gongjian.rounds.stage import refresh_stage

    started = time.perf_counter()
    rng = random.Random(seed)
    entries = list(DirectoryEntry.objects.filter(round_id=round_id).values_list("pk", "village_id"))
    rng.shuffle(entries)
    entries = entries[: len(entries) * 60 // 100]
    places = [
        u for u, c in RoundUnit.objects.filter(round_id=round_id).values_list("unit_id", "capacity") for _ in range(c)
    ]
    rng.shuffle(places)
    statuses = [PairingStatus.CONFIRMED] * 35 + [PairingStatus.SIGNED] * 20 + [PairingStatus.PROPOSED] * 45
    pairings = [
        Pairing(
            round_id=round_id,
            entry_id=entry_id,
            unit_id=unit_id,
            village_id=village_id,
            origin=PairingOrigin.ALLOCATION,
            status=rng.choice(statuses),
        )
        for (entry_id, village_id), unit_id in zip(entries, places, strict=False)
    ]
    Pairing.objects.bulk_create(pairings, batch_size=2000)
    for entry in DirectoryEntry.objects.filter(pk__in=[p.entry_id for p in pairings]):
        refresh_stage(entry)
    return {"pairings": len(pairings), "seconds": time.perf_counter() - started}


# --- the measurements ---------------------------------------------------------------------


def run_load(port: int, round_id: int, sessions: list[Session], villages: list[int], args: Any) -> dict[str, Any]:
    """Drive the intent endpoint with wrk (C, one thread: it leaves the two cores to the
    server and the database) and its Lua script ``intent_load.lua``."""
    total_before, idle_before = cpu_times()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        sessions_file, villages_file, out = (Path(folder) / n for n in ("sessions", "villages", "out"))
        sessions_file.write_text("".join(f"{s.sessionid} {s.csrftoken}\n" for s in sessions))
        villages_file.write_text("".join(f"{v}\n" for v in villages))
        subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{args.connections}",
                f"-d{args.seconds:.0f}s",
                "--timeout",
                "30s",
                "-s",
                str(ROOT / "bench" / "intent_load.lua"),
                f"http://127.0.0.1:{port}",
                "--",
                str(sessions_file),
                str(villages_file),
                str(round_id),
                str(args.seed),
            ],
            check=True,
            env={**os.environ, "WRK_OUT": str(out)},
            stdout=subprocess.DEVNULL,
        )
        tallies: dict[str, Counter[str]] = {}
        for line in out.read_text().splitlines():
            kind, key, value = line.split(" ")
            tallies.setdefault(kind, Counter())[key] += int(float(value))
    total_after, idle_after = cpu_times()
    elapsed = tallies["summary"]["duration_us"] / 1e6
    answered = sum(tallies.get("statuses", Counter()).values())
    # Whole seconds only: the first and the last are partly outside the run.
    per_second = [n for _, n in sorted(tallies.get("seconds", Counter()).items(), key=lambda kv: int(kv[0]))][1:-1]
    statuses = {int(k): n for k, n in tallies.get("statuses", Counter()).items()}
    # wrk's "status" errors are answers of 400 and above (the 409 refusals, tallied above);
    # the others are requests that got no answer: socket errors and time-outs.
    errors = {k: n for k, n in tallies.get("errors", Counter()).items() if n and k != "status"}
    if errors:
        statuses[0] = sum(errors.values())
    return {
        "requests": answered,
        "elapsed": elapsed,
        "rate": answered / elapsed,
        "created_rate": statuses.get(201, 0) / elapsed,
        "per_second_min": min(per_second) if per_second else 0,
        "per_second_median": statistics.median(per_second) if per_second else 0,
        "statuses": dict(sorted(statuses.items())),
        "socket_errors": errors,
        "refusals": dict(tallies.get("codes", Counter()).most_common()),
        "latency": {p: tallies["latency_us"][p] / 1000 for p in ("p50", "p95", "p99")},
        "successes": {int(i) for i in tallies.get("created", Counter())},
        # The machine may be shared: say how busy it was, and how busy before we started.
        "cpu_busy_pct": 100.0 * (1 - (idle_after - idle_before) / max(1, total_after - total_before)),
        "load_before": load_before,
    }


def report(info: dict[str, Any], load: dict[str, Any], checks: dict[str, Any], pages: list[dict[str, Any]]) -> bool:
    ok = True
    print("\n== 数据 ==")
    print(
        f"  组织 {info['organizations']:,}，城市 {info['cities']}，名录村 {info['villages']:,}，"
        f"参与单位 {info['units']:,}，服务进程 {info['workers']} 个 × {info['threads']} 线程（gunicorn gthread），"
        f"CPU {os.cpu_count()} 核"
    )
    print(f"\n== 意向提交 POST /api/rounds/{{id}}/intents（{info['connections']} 个并发连接）==")
    print(
        f"  {load['requests']:,} 个请求 / {load['elapsed']:.1f} 秒 = {load['rate']:.0f} 请求/秒"
        f"（逐秒最低 {load['per_second_min']}，中位 {load['per_second_median']:.0f}；"
        f"其中成功 201：{load['created_rate']:.0f}/秒）"
    )
    print(f"  状态码：{load['statuses']}；409 原因：{load['refusals']}")
    print(
        f"  压测期间整机 CPU 占用 {load['cpu_busy_pct']:.0f}%（服务、数据库、压测进程同在本机）；"
        f"压测前 1 分钟负载 {load['load_before']:.1f}"
    )
    lat = load["latency"]
    print(f"  延迟：p50 {lat['p50']:.0f} ms，p95 {lat['p95']:.0f} ms，p99 {lat['p99']:.0f} ms")
    rate_ok = load["rate"] >= RATE_TARGET and load["elapsed"] >= 10 and load["per_second_min"] >= RATE_TARGET * 0.8
    bad_status = {s: n for s, n in load["statuses"].items() if s not in (201, 409)}
    print(f"  目标 ≥ {RATE_TARGET:.0f} 请求/秒，持续 ≥ 10 秒：{'达到' if rate_ok else '未达到'}")
    if bad_status:
        print(f"  非 201/409 的应答：{bad_status}")
    ok &= rate_ok and not bad_status
    print("\n== 名额一致性（数据库核对）==")
    for key, value in checks.items():
        print(f"  {key}: {value}")
    ok &= bool(checks["ok"])
    if pages:
        print(f"\n== 页面延迟（每页 {pages[0]['n']} 次顺序请求，预热 10 次后）==")
        print(f"  {'页面':<34}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  {'大小':>8}")
        for row in pages:
            flag = "" if row["p95"] < P95_TARGET_MS else "  ✗ 超过 300 ms"
            ok &= row["p95"] < P95_TARGET_MS
            print(
                f"  {row['label']:<34}{row['p50']:>7.0f}ms{row['p95']:>6.0f}ms{row['p99']:>6.0f}ms{row['max']:>6.0f}ms"
                f"  {row['bytes'] / 1024:>6.0f}KB{flag}"
            )
    print(f"\n结论：{'全部达标' if ok else '有指标未达标'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0, help="意向提交压测时长（秒）")
    parser.add_argument("--connections", type=int, default=16, help="压测并发连接数")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数")
    parser.add_argument("--threads", type=int, default=4, help="每个工作进程的线程数（gthread，保持连接）")
    parser.add_argument("--requests", type=int, default=200, help="每个页面的顺序请求数")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="保留临时数据库（调试用）")
    parser.add_argument("--intents-only", action="store_true", help="只压测意向提交（调试服务进程配置用）")
    args = parser.parse_args()

    print(f"临时数据库 {DB_NAME}（127.0.0.1）")
    pg("dropdb", "--if-exists", "--force", check=False)
    pg("createdb")
    server: subprocess.Popen[bytes] | None = None
    static_root = Path(tempfile.mkdtemp(prefix="gj_bench_static_"))
    try:
        django_setup()
        info = prepare(args.seed)
        info.update(workers=args.workers, threads=args.threads, connections=args.connections)
        server, port = start_server(DATABASE_URL, args.workers, static_root, threads=args.threads)
        round_id = info["round_id"]
        from django.db import connection

        connection.close()  # the set-up's connection is not needed while the server works

        admin = real_login(port, "province_admin", DEMO_PASSWORD)
        committee = real_login(port, "committee_admin", DEMO_PASSWORD)
        units = open_sessions(_bench_usernames())
        print(f"  {len(units):,} 个单位用户会话；压测 {args.seconds:.0f} 秒……")
        load = run_load(port, round_id, units, info["hot_villages"], args)
        in_flight_at_stop = args.connections
        checks = integrity(round_id, load.pop("successes"), sum(load["socket_errors"].values()) + in_flight_at_stop)
        if args.intents_only:
            return 0 if report(info, load, checks, []) else 1
        moved = progress(round_id, args.seed)
        print(f"  写入结对 {moved['pairings']:,} 个（部分已确认、已签约），{moved['seconds']:.0f} 秒")
        connection.close()
        base = f"/portal/rounds/{round_id}"
        q = urllib.parse.quote
        county, town = q(info["county"]), q(info["town"])
        filtered = f"?county={county}&tag=weak&q={info['search']}"
        pages: list[tuple[str, str, Session | None]] = [
            ("内部进度（省管理员，全省）", f"{base}/internal/", admin),
            ("内部进度（区县管理员，本县）", f"{base}/internal/", committee),
            ("内部进度轮询片段（全省）", f"{base}/internal/live/", admin),
            ("公开进度", f"{base}/", None),
            ("公开进度轮询片段", f"{base}/live/", None),
            ("进度 JSON（API，全省）", f"/api/rounds/{round_id}/board", admin),
            ("下钻：乡镇各村（公开）", f"{base}/town/?county={county}&town={town}", None),
            ("村名录第一页（公开）", f"{base}/directory/", None),
            ("村名录筛选（区县+薄弱+拼音）", f"{base}/directory/{filtered}", None),
            ("村名录 API 第一页", f"/api/rounds/{round_id}/directory", admin),
            ("村名录 API 筛选", f"/api/rounds/{round_id}/directory{filtered}", admin),
        ]
        results = measure_pages(port, pages, args.requests)
        return 0 if report(info, load, checks, results) else 1
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg("dropdb", "--if-exists", "--force", check=False)


def _bench_usernames() -> list[str]:
    from gongjian.accounts.models import User

    return list(User.objects.filter(username__startswith="bench_unit_").values_list("username", flat=True))


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the internal dashboards (issue 5 item 7) on province demo data with a year of records.

    .venv/bin/python bench/bench_dashboard.py [--requests 200] [--density 57] [--workers 2] [--keep] [--reuse]

Target (issue 5, "must show"): the dashboard answers in under 500 ms at the 95th percentile
on province demo data with a year of generated records (≥ 1,000,000 rows).

What it does, on a scratch PostgreSQL database (``BENCH_DASHBOARD_DB``, default
``gj_bench_dashboard``; dropped at the end unless ``--keep``; ``--reuse`` takes a kept one):

1. creates and migrates it, and fills it exactly as ``bench/bench_compliance.py`` does (its
   ``prepare`` is imported, not copied): the province demo (陕西省, 16,446 villages), one round over
   the province with every village paired and signed, a year of records and of funds for
   last year;
2. runs ``compliance_evaluate`` over the round once (as of 31 January of this year), so
   that the dashboards read stored results as in production after the nightly run, then
   ``ANALYZE`` (what autovacuum does after such a bulk write);
3. serves the app with gunicorn under production settings on loopback (``http_bench``'
   ``start_server``, imported), signs in through the real login form and times
   ``--requests`` sequential requests per page after a warm-up (``http_bench``'
   ``measure_pages``): the province admin's whole province, a county admin's county, a
   drill-down to a city, to a town (its pairs) and one pair's page;
4. prints the record count and p50/p95/p99 per page, twice: "cold" (an audit row written
   before each request, so the cache never answers) and "warm" (served from the cache).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_compliance  # noqa: E402  (the same province data and year of records)
import http_bench  # noqa: E402  (the same server, login and timing helpers)

PG = {"host": "127.0.0.1", "user": "postgres", "port": "5432"}
DB_NAME = os.environ.get("BENCH_DASHBOARD_DB", "gj_bench_dashboard")
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
P95_TARGET_MS = 500.0
# The generated year: the records the compliance evaluation reads (its results are what the
# dashboard reads) and the funds the dashboard sums (pledges, transfers, receipts) and uses.
TABLES = tuple(dict.fromkeys((*bench_compliance.RECORD_TABLES, "funds_pledge", "funds_receipt", "funds_use")))
# The helpers we import read these module globals: point them at our scratch database.
bench_compliance.DATABASE_URL = DATABASE_URL


def pg(*command: str, check: bool = True) -> None:
    subprocess.run([*command, "-h", PG["host"], "-U", PG["user"], "-p", PG["port"], DB_NAME], check=check)


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["SECRET_KEY"] = http_bench.SECRET_KEY
    os.environ["GONGJIAN_ENV"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")
    import django

    django.setup()


def evaluate(round_id: int, year: int) -> float:
    """The nightly evaluation, once: the dashboards read what it stores."""
    from gongjian.compliance.services import compliance_evaluate
    from gongjian.rounds.models import Round

    started = time.perf_counter()
    compliance_evaluate(
        actor=None,
        round_or_scope=Round.objects.get(pk=round_id),
        as_of=datetime.date(year + 1, 1, 31),
        year=year,
        remind=False,
    )
    return time.perf_counter() - started


def targets(round_id: int) -> dict[str, Any]:
    """The pages' parameters: a city, a town of the county admin's county, one of its pairs."""
    from gongjian.accounts.models import User
    from gongjian.orgs.models import Organization, OrgKind
    from gongjian.rounds.models import Pairing, PairingStatus

    county = User.objects.select_related("organization").get(username="committee_admin").organization
    assert county is not None
    city = Organization.objects.get(pk=county.parent_id)
    pairing = (
        Pairing.objects.filter(round_id=round_id, status=PairingStatus.SIGNED, village__path__startswith=county.path)
        .select_related("village__parent")
        .order_by("pk")
        .first()
    )
    assert pairing is not None and pairing.village.parent is not None
    town = pairing.village.parent
    assert town.kind == OrgKind.TOWN, town.kind
    return {"city": city.pk, "county": county.pk, "town": town.pk, "pairing": pairing.pk}


def measure(port: int, pages: list[tuple[str, str, Any]], count: int, *, cold: bool) -> list[dict[str, Any]]:
    """``count`` sequential requests per page after 10 of warm-up; every answer must be 200.

    ``cold``: an audit row is written before each request (as every write of the services
    does), so that the dashboard's cache never answers and each request computes its
    figures from the database; otherwise the repeated page is served from the cache.
    """
    from gongjian.audit.services import audit_event

    results = []
    for label, path, session in pages:
        headers = session.headers() if session else {}
        times = []
        for i in range(10 + count):
            if cold:
                audit_event("bench.dashboard.write", actor=None)
            status, body, _h, seconds = http_bench.request(port, "GET", path, headers=headers)
            if status != 200:
                raise SystemExit(f"{label} {path}: HTTP {status}\n{body[:500]!r}")
            if i >= 10:
                times.append(seconds)
        results.append({"label": label, "path": path, "bytes": len(body), **http_bench.percentiles(times)})
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="每个页面的顺序请求数")
    parser.add_argument("--density", type=int, default=57, help="每对平均记录行数（57 × 陕西省 16,446 对约 100 万行）")
    parser.add_argument("--policy", default="shangnan")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="保留临时数据库")
    parser.add_argument("--reuse", action="store_true", help="沿用已保留的临时数据库（不重新生成）")
    args = parser.parse_args()
    year = datetime.date.today().year - 1

    print(f"临时数据库 {DB_NAME}（127.0.0.1），{year} 年，政策配置 {args.policy}")
    if not args.reuse:
        pg("dropdb", "--if-exists", "--force", check=False)
        pg("createdb")
    server: subprocess.Popen[bytes] | None = None
    static_root = Path(tempfile.mkdtemp(prefix="gj_bench_static_"))
    try:
        django_setup()
        from gongjian.rounds.models import Round

        if args.reuse:
            round_id = Round.objects.order_by("-pk").values_list("pk", flat=True)[0]
        else:
            round_id = bench_compliance.prepare(args.policy, args.density, year, args.seed)
            print(f"  合规评估（全省，一次）：{evaluate(round_id, year):.1f} 秒")
        counts = bench_compliance.record_counts(TABLES)
        total = sum(counts.values())
        print(f"  记录合计 {total:,} 行：" + "，".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in counts.items()))
        where = targets(round_id)
        from django.db import connection

        with connection.cursor() as cursor:
            # What autovacuum does after a bulk write: fresh statistics for the stored results.
            cursor.execute("ANALYZE")

        server, port = http_bench.start_server(DATABASE_URL, args.workers, static_root, threads=args.threads)
        admin = http_bench.real_login(port, "province_admin", http_bench.DEMO_PASSWORD)
        committee = http_bench.real_login(port, "committee_admin", http_bench.DEMO_PASSWORD)
        q = f"round={round_id}&year={year}"
        pages: list[tuple[str, str, http_bench.Session | None]] = [
            ("看板（省管理员，全省）", f"/dashboard/?{q}", admin),
            ("看板（区县管理员，本县）", f"/dashboard/?{q}", committee),
            ("下钻：一个市（省管理员）", f"/dashboard/?{q}&area={where['city']}", admin),
            ("下钻：一个县（省管理员）", f"/dashboard/?{q}&area={where['county']}", admin),
            ("下钻：乡镇各结对（区县管理员）", f"/dashboard/?{q}&area={where['town']}", committee),
            ("结对页（区县管理员）", f"/dashboard/pairs/{where['pairing']}/?year={year}", committee),
        ]
        print(f"  gunicorn {args.workers} 进程 × {args.threads} 线程，生产配置；每页 {args.requests} 次顺序请求……")
        ok = total >= 1_000_000
        for cold, title in [(True, "冷（每次请求前有一次写入，缓存失效，现算）"), (False, "热（无写入，缓存命中）")]:
            results = measure(port, pages, args.requests, cold=cold)
            print(f"\n看板响应时间 · {title}（毫秒，{args.requests} 次顺序请求，预热 10 次后）：")
            print(f"  {'页面':<28}{'p50':>8}{'p95':>8}{'p99':>8}{'最大':>8}{'字节':>9}")
            for r in results:
                ok &= r["p95"] < P95_TARGET_MS
                print(f"  {r['label']:<24}{r['p50']:8.1f}{r['p95']:8.1f}{r['p99']:8.1f}{r['max']:8.1f}{r['bytes']:9,}")
        print(f"  机器负载（1/5/15 分钟）：{' '.join(f'{x:.1f}' for x in os.getloadavg())}，CPU {os.cpu_count()} 核")
        print(f"\n结论：记录 {total:,} 行（目标 ≥ 1,000,000），各页 p95 目标 < {P95_TARGET_MS:.0f} 毫秒 — "
              + ("通过" if ok else "未通过"))  # fmt: skip
        return 0 if ok else 1
    finally:
        if server is not None:
            http_bench.stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg("dropdb", "--if-exists", "--force", check=False)


if __name__ == "__main__":
    raise SystemExit(main())

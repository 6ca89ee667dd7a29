"""Benchmark: compliance evaluation of every pair of a province over a year of records.

    .venv/bin/python bench/bench_compliance.py [--policy shangnan] [--density 57] [--keep] [--reuse]

Target (issue 5, "must show"): on province demo data with a year of generated records
(≥ 1,000,000 rows), evaluating all pairs finishes in under 60 s.

What it does, on a scratch PostgreSQL database (``BENCH_COMPLIANCE_DB``, default
``gj_bench_compliance``; dropped at the end unless ``--keep``):

1. migrates it and fills it with the province demo (``gongjian.demo.registry.generate``, one 省委,
   陕西省, 16,446 villages), one round over the province with every village paired and signed
   (``gongjian.demo.activity.rounds``), a year of records (``gongjian.demo.activity.records.generate_records``)
   and of funds (``gongjian.demo.activity.funds.generate_funds``) for last year, so that every
   deadline of that year has passed or is near;
2. in a fresh process (so that its peak RSS is the evaluation's own), times
   ``compliance_evaluate`` over the whole round twice: the first run inserts every result, the
   second re-evaluates and upserts them (what the nightly cron does); reminders are off
   because a past year has none to send, then a third run as of a date inside the year
   with reminders on, to time them too;
3. prints the record counts, pairs, obligations, statuses, seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = {"host": "127.0.0.1", "user": "postgres", "port": "5432"}
DB_NAME = os.environ.get("BENCH_COMPLIANCE_DB", "gj_bench_compliance")
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}"
TARGET_SECONDS = 60.0
RECORD_TABLES = (
    "records_visit",
    "records_sixmustrecord",
    "records_delivery",
    "records_project",
    "records_milestone",
    "records_feedbackcard",
    "records_performancecard",
    "records_quarterlyreport",
    "funds_transfer",
)  # the tables the evaluation reads


def pg(command: str) -> None:
    subprocess.run(
        [command, "-h", PG["host"], "-U", PG["user"], "-p", PG["port"], DB_NAME],
        check=command != "dropdb",
        stderr=subprocess.DEVNULL if command == "dropdb" else None,
    )


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["GONGJIAN_ENV"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")
    import django

    django.setup()


def prepare(policy: str, density: int, year: int, seed: int) -> int:
    """Fill the scratch database; return the round's id."""
    from django.core.management import call_command
    from django.db import connection

    from gongjian.accounts.models import User
    from gongjian.demo.activity.funds import generate_funds
    from gongjian.demo.activity.records import generate_records
    from gongjian.demo.activity.rounds import demo_round_with_signed_pairings
    from gongjian.demo.registry import generate
    from gongjian.rounds.models import Pairing, PairingStatus

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate("province", seed=seed, year=year + 1)
    print(f"  省级演示数据：{time.perf_counter() - started:.0f} 秒")
    admin = User.objects.select_related("organization").get(username="province_admin")
    assert admin.organization is not None
    made = demo_round_with_signed_pairings(
        scope=admin.organization, actor=admin, year=year, policy_key=policy, seed=seed, bulk=True
    )
    print(f"  全省轮次与签约：{made.pairings:,} 对，{made.seconds:.0f} 秒")
    pairings = Pairing.objects.filter(round=made.round, status=PairingStatus.SIGNED)
    rng = random.Random(seed)
    started = time.perf_counter()
    # Records up to the end of January: December's card is due in January.
    counts = generate_records(pairings, year, rng, density, today=datetime.date(year + 1, 1, 31))
    print(f"  一年共建记录：{counts['total']:,} 行，{time.perf_counter() - started:.0f} 秒")
    started = time.perf_counter()
    funds = generate_funds(list(pairings), year, rng, recorded_by=admin)
    print(f"  一年资金记录：{sum(funds.counts.values()):,} 行，{time.perf_counter() - started:.0f} 秒")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return made.round.pk


def record_counts(tables: tuple[str, ...] = RECORD_TABLES) -> dict[str, int]:
    """Rows per table (the fixed names of ``RECORD_TABLES`` or a caller's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # fixed table names
            result[table] = cursor.fetchone()[0]
    return result


def evaluate(round_id: int, year: int) -> None:
    """Child process: time the evaluation runs and print one JSON line."""
    from django.core import mail

    from gongjian.compliance.models import ObligationResult, PairStatus
    from gongjian.compliance.services import compliance_evaluate
    from gongjian.rounds.models import Round

    round_ = Round.objects.get(pk=round_id)
    runs = []
    for label, as_of, remind in [
        ("首次评估（写入）", datetime.date(year + 1, 1, 31), False),
        ("再次评估（覆盖）", datetime.date(year + 1, 1, 31), False),
        ("年内评估并提醒", datetime.date(year, 11, 20), True),
    ]:
        mail.outbox = []
        started, cpu = time.perf_counter(), time.process_time()
        summary = compliance_evaluate(actor=None, round_or_scope=round_, as_of=as_of, year=year, remind=remind)
        runs.append(
            {
                "label": label,
                "seconds": time.perf_counter() - started,
                "cpu": time.process_time() - cpu,
                "load": os.getloadavg()[0],
                "pairs": summary.pairs,
                "obligations": summary.obligations,
                "by_status": summary.by_status,
                "to_adjust": summary.to_adjust,
                "reminders": summary.reminders,
                "emails": summary.emails,
            }
        )
    rows = {"pair_status": PairStatus.objects.count(), "obligation_result": ObligationResult.objects.count()}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"runs": runs, "rows": rows, "peak_rss_mb": peak_mb}, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description="合规评估基准测试（PostgreSQL，省级演示数据）")
    parser.add_argument("--policy", default="shangnan")
    parser.add_argument("--density", type=int, default=57, help="每对平均记录行数（57 × 陕西省 16,446 对约 100 万行）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="保留临时数据库")
    parser.add_argument("--reuse", action="store_true", help="沿用已保留的临时数据库（不重新生成）")
    parser.add_argument("--evaluate", type=int, help=argparse.SUPPRESS)  # child process: round id
    args = parser.parse_args()
    year = datetime.date.today().year - 1
    django_setup()
    if args.evaluate:
        evaluate(args.evaluate, year)
        return 0

    from gongjian.rounds.models import Round

    if not args.reuse:
        pg("dropdb")
        pg("createdb")
    try:
        print(f"准备数据（{DB_NAME}，{year} 年，政策配置 {args.policy}）：")
        if args.reuse:
            round_id = Round.objects.order_by("-pk").values_list("pk", flat=True)[0]
        else:
            round_id = prepare(args.policy, args.density, year, args.seed)
        counts = record_counts()
        total = sum(counts.values())
        print(f"  记录合计 {total:,} 行：" + "，".join(f"{t.split('_', 1)[1]} {n:,}" for t, n in counts.items()))
        child = subprocess.run(
            [sys.executable, __file__, "--evaluate", str(round_id)],
            check=True,
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "DATABASE_URL": DATABASE_URL,
                "GONGJIAN_ENV": "test",
                # Reminders are counted, not delivered: e-mail stays in memory.
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            },
        )
        report = json.loads(child.stdout.strip().splitlines()[-1])
        ok = total >= 1_000_000
        print("\n合规评估（全部结对，一个进程内）：")
        for run in report["runs"]:
            ok &= run["seconds"] < TARGET_SECONDS
            statuses = "，".join(f"{k} {v:,}" for k, v in sorted(run["by_status"].items()))
            print(
                f"  {run['label']}：{run['seconds']:6.1f} 秒（本进程 CPU {run['cpu']:.1f} 秒，"
                f"机器负载 {run['load']:.1f}）  结对 {run['pairs']:,}，义务结果 {run['obligations']:,}"
                f"（{statuses}），需调整 {run['to_adjust']:,}，提醒 {run['reminders']:,}，邮件 {run['emails']:,}"
            )
        print(f"  存储：PairStatus {report['rows']['pair_status']:,} 行，ObligationResult "
              f"{report['rows']['obligation_result']:,} 行")  # fmt: skip
        print(f"  评估进程峰值内存（RSS）：{report['peak_rss_mb']:.0f} MB")
        print(f"\n结论：记录 {total:,} 行（目标 ≥ 1,000,000），每次评估目标 < {TARGET_SECONDS:.0f} 秒 — "
              + ("通过" if ok else "未通过"))  # fmt: skip
        return 0 if ok else 1
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            pg("dropdb")


if __name__ == "__main__":
    raise SystemExit(main())

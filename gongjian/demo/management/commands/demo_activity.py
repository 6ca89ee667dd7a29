"""``manage.py demo_activity``: a year of co-building on the demo registry — a round with
signed pairs, their records and funds, people programs, a few pairs adjusted, the duties the
round's profile asks of villages and members, the notifications of open work, and the
compliance evaluation — so that every page of ``make run`` has something to show. Run after
``manage.py demo``."""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gongjian.accounts.models import User
from gongjian.compliance.models import ComplianceStatus
from gongjian.compliance.services import compliance_evaluate
from gongjian.demo.activity.adjustments import generate_adjustments
from gongjian.demo.activity.dispatch import generate_pool
from gongjian.demo.activity.duties import generate_member_reports, generate_village_duties
from gongjian.demo.activity.evaluation import generate_evaluations
from gongjian.demo.activity.funds import generate_funds
from gongjian.demo.activity.helping import generate_unit_plans
from gongjian.demo.activity.members import generate_members
from gongjian.demo.activity.notifications import notify_open_work
from gongjian.demo.activity.practices import generate_practices
from gongjian.demo.activity.records import generate_records
from gongjian.demo.activity.rounds import demo_round_with_signed_pairings
from gongjian.demo.registry import DEMO_USERNAMES
from gongjian.rounds.models import Pairing, PairingStatus, Round


class Command(BaseCommand):
    help = "在演示名册上生成一年的结对共建活动（轮次与签约、共建档案、帮扶资金、党员结对、选派人才库、合规评估）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--policy", default="shanghai", help="轮次采用的政策配置（policies/*.yaml）")
        parser.add_argument("--density", type=int, default=50, help="每个结对一年的记录条数（约）")
        parser.add_argument("--candidates", type=int, default=300, help="选派人才库人数")
        parser.add_argument("--if-empty", action="store_true", help="已有轮次时不再生成")

    def handle(self, *args: Any, **options: Any) -> None:
        if Round.objects.exists():
            if options["if_empty"]:
                self.stdout.write("已有结对轮次，跳过演示活动数据。")
                return
            raise CommandError("已有结对轮次：演示活动数据只在没有轮次的名册上生成")
        admin = (
            User.objects.select_related("organization").filter(username__in=["province_admin", "city_admin"]).first()
        )
        if admin is None or admin.organization is None:
            raise CommandError("请先运行 manage.py demo 生成演示名册")
        today = datetime.date.today()
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        with transaction.atomic():
            made = demo_round_with_signed_pairings(
                scope=admin.organization,
                actor=admin,
                year=today.year,
                policy_key=options["policy"],
                seed=options["seed"],
                unit_user=User.objects.filter(username="unit_user").first(),
                village_user=User.objects.filter(username="village_user").first(),
            )
            pairings = Pairing.objects.filter(round=made.round, status=PairingStatus.SIGNED)
            records = generate_records(pairings, today.year, rng, options["density"], today=today)
            funds = generate_funds(list(pairings), today.year, rng, recorded_by=admin)
            members = generate_members(pairings, rng, today=today)
            pool = generate_pool(options["candidates"], rng)
            # 五个一, commitments and the public's evaluation on a few pairs (the demo unit's first):
            # generators of their own, so the rest of the demo year stays as it was.
            few = _showcase(pairings)
            practices = generate_practices(few, today.year, today=today)
            evaluations = generate_evaluations(few, today.year)
            # Then what runs through the year's end: a few flagged pairs replaced (the demo
            # accounts' own pairs kept), the village's duties and the members' quarterly reports
            # where the profile asks for them, and the notifications of the work left open.
            seed = options["seed"] * 100
            own = _demo_organizations()
            adjusted = generate_adjustments(made.round, admin, today=today, seed=seed + 7, keep=own)
            plans = generate_unit_plans(made.round, seed=seed + 11, keep=own)
            standing = list(pairings.select_related("round", "unit"))
            duties = generate_village_duties(standing, today.year, today=today, seed=seed + 15)
            reports = generate_member_reports(standing, today=today, seed=seed + 9)
            notified = notify_open_work(made.round)
        summary = compliance_evaluate(actor=None, round_or_scope=made.round, as_of=today, remind=False)
        rows = [
            ("结对轮次", made.round.name),
            ("已签约结对", f"{made.pairings:,}"),
            ("共建档案记录", f"{records['total']:,}"),
            ("帮扶资金记录", f"{sum(funds.counts.values()):,}"),
            ("党员结对与流动党员记录", f"{sum(members.values()):,}"),
            ("选派人才库", f"{sum(pool.values()):,}"),
            ("五个一、公开承诺与群众评议", f"{sum(practices.values()):,} 条，评议 {evaluations:,} 份"),
            (
                "动态调整、村对单位义务、党员季度报告",
                f"调整 {adjusted['adjusted']} 对（新结对已签约 {adjusted['signed']}），"
                f"村对单位义务 {duties:,} 条，党员季度报告 {reports:,} 份",
            ),
            ("结对帮扶方案", f"{plans:,} 个单位已填写"),
            ("待办通知", f"{notified:,} 条"),
            (
                "合规评估",
                f"{summary.pairs:,} 对："
                + "，".join(f"{ComplianceStatus(k).label} {n:,}" for k, n in summary.by_status.items()),
            ),
            ("用时", f"{time.perf_counter() - started:.1f} 秒"),
        ]
        for label, value in rows:
            self.stdout.write(f"{label}：{value}")


def _demo_organizations() -> set[int]:
    """The organizations the demo accounts sit at: their pairs are the walk-through's, not adjusted."""
    accounts = User.objects.filter(username__in=DEMO_USERNAMES)
    return {pk for pk in accounts.values_list("organization_id", flat=True) if pk}


def _showcase(pairings: Any, count: int = 12) -> list[Pairing]:
    """The demo unit's pairs first, then the first others: the pairs shown with practices."""
    unit = User.objects.filter(username="unit_user").values_list("organization_id", flat=True).first()
    ordered = sorted(pairings.select_related("round"), key=lambda p: (p.unit_id != unit, p.pk))
    return ordered[:count]

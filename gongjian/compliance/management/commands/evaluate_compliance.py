"""Evaluate every round with signed pairs and send the reminders that are due (celery beat
runs the same work nightly as a job: gongjian.jobs.tasks.nightly_compliance).

    manage.py evaluate_compliance [--as-of 2026-11-15] [--year 2026] [--round 12] [--no-remind]
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongjian.compliance.services import compliance_evaluate
from gongjian.rounds.models import PairingStatus, Round


class Command(BaseCommand):
    help = "合规评估：按各轮次的政策配置评估全部已签约结对，并发送到期提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="评估基准日（YYYY-MM-DD，默认今天）")
        parser.add_argument("--year", type=int, help="考核年度（默认基准日所在年度）")
        parser.add_argument("--round", type=int, help="只评估这一轮次")
        parser.add_argument("--no-remind", action="store_true", help="不发送提醒")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = datetime.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--as-of 应为 YYYY-MM-DD：{exc}") from exc
        rounds = Round.objects.filter(pairings__status=PairingStatus.SIGNED).distinct().order_by("pk")
        if options["round"]:
            rounds = rounds.filter(pk=options["round"])
        for round_ in rounds:
            summary = compliance_evaluate(
                actor=None, round_or_scope=round_, as_of=as_of, year=options["year"], remind=not options["no_remind"]
            )
            self.stdout.write(
                f"{round_.name}：结对 {summary.pairs}，义务 {summary.obligations}，"
                f"状态 {summary.by_status}，需调整 {summary.to_adjust}，提醒 {summary.reminders}"
            )

"""``manage.py members_reminders [--date YYYY-MM-DD]``: today's yearly reminders (七一
letter, 腊月 forum) as notifications for origin organizations; celery beat runs the same nightly as a job
(gongjian.jobs.tasks.members_reminders); never sends twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongjian.members.services_reminders import reminders_send


class Command(BaseCommand):
    help = "生成流动党员年度提醒（七一慰问信、腊月座谈会），同一提醒每年只发一次"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        created = reminders_send(today=today)
        for log in created:
            self.stdout.write(f"{log.organization.name}：{log.notification.title}")
        self.stdout.write(self.style.SUCCESS(f"{today.isoformat()}：新建提醒 {len(created)} 条"))

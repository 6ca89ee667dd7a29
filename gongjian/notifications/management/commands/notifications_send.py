"""``manage.py notifications_send [--deadlines] [--date YYYY-MM-DD]``: send every unsent
delivery again (e-mail, the gateway), and with ``--deadlines`` the round deadline reminders
of the day — for a deployment without Celery beat (cron); beat runs the reminders nightly as
a job (gongjian.notifications.deadlines). Never sends twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongjian.notifications.deadlines import deadlines_notify
from gongjian.notifications.outbound import deliveries_send


class Command(BaseCommand):
    help = "补发未发出的通知（邮件、网关）；加 --deadlines 生成当天的轮次截止提醒；不会重复发送"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--deadlines", action="store_true", help="同时生成轮次截止提醒")
        parser.add_argument("--date", help="截止提醒按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        if options.get("deadlines"):
            created = deadlines_notify(today=today)
            self.stdout.write(f"{today.isoformat()}：新建截止提醒 {len(created)} 条")
        counts = deliveries_send()
        self.stdout.write(self.style.SUCCESS(f"已发送 {counts['sent']} 条，失败 {counts['failed']} 条"))

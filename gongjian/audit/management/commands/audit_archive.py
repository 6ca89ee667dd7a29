"""``gongjian audit_archive --before DATE --out DIR``: move audit rows past the retention
period into a file (run as the table's owner)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongjian.audit.retention import RetentionError, audit_archive


class Command(BaseCommand):
    help = "将超过保存期限的审计记录归档到文件（哈希链从归档处继续）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, type=datetime.date.fromisoformat, help="归档此日期之前的记录")
        parser.add_argument("--out", required=True, type=Path, help="归档文件写入的目录")

    def handle(self, *args: Any, **options: Any) -> None:
        day: datetime.date = options["before"]
        cut_off = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        try:
            archived = audit_archive(cut_off=cut_off, out=options["out"])
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        if archived.path is None:
            self.stdout.write("没有可归档的记录")
        else:
            self.stdout.write(f"已归档 {archived.rows} 条记录：{archived.path}")

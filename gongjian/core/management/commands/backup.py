"""``gongjian backup --out DIR``: the database and every uploaded file, with SM3 hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和全部上传文件（含 SM3 校验清单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="备份写入的目录（在其下新建一个子目录）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backup_create(out=options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))

"""``gongjian restore DIR``: check every hash of a backup, then put the database and the
files back and check every table's row count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "从备份恢复数据库和上传文件（先校验 SM3，再覆盖当前数据）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="gongjian backup 生成的备份目录")
        parser.add_argument("--verify-only", action="store_true", help="只校验备份，不恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify_only"]:
                manifest = backup_verify(options["folder"])
                self.stdout.write(f"备份完整：{len(manifest['tables'])} 张表，{len(manifest['files'])} 个文件")
                return
            report = backup_restore(folder=options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复：{report.tables} 张表共 {report.rows} 行，{report.files} 个文件")

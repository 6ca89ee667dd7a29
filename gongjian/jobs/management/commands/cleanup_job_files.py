"""``manage.py cleanup_job_files``: delete finished exports past their retention period and
orphaned job files (gongjian/jobs/files.py); celery beat runs it every night."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongjian.jobs.files import job_files_cleanup, retention


class Command(BaseCommand):
    help = "删除超过保留期限的导出文件和无主的任务文件（通过存储接口，记入审计日志）"

    def handle(self, *args: Any, **options: Any) -> None:
        summary = job_files_cleanup()
        message = _("已删除过期导出文件 %(expired)d 个（保留 %(days)d 天）、无主文件 %(orphaned)d 个。")
        self.stdout.write(message % {**summary.as_dict(), "days": retention().days})

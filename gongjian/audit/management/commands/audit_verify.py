"""``gongjian audit_verify``: walk the audit log's SM3 chain and name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongjian.audit.retention import verify_log

REASONS = {
    "content": "该条记录的内容与其哈希不符（记录被直接改动）",
    "link": "该条记录与前一条的链接断开（前面的记录被删除、插入或改动）",
}


class Command(BaseCommand):
    help = "校验审计日志的 SM3 哈希链，报告第一处断链"

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_log()
        if result.first_break is not None:
            broken = result.first_break
            raise CommandError(f"审计日志第 {broken.entry_id} 号记录处断链：{REASONS[broken.reason]}")
        self.stdout.write(f"审计日志完整：共 {result.rows} 条记录，哈希链无断点")

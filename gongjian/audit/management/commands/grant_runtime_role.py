"""``gongjian grant_runtime_role ROLE``: give the application's runtime database role what
it needs and no more (issue 12 item 9, 审计记录保护).

Run it as the role that owns the tables (the one ``migrate`` runs as), after every
migration. The runtime role may read and write the business tables, but on the audit log
it may only INSERT and SELECT: it does not own the table, so it cannot lift the
append-only trigger, TRUNCATE, UPDATE or DELETE it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongjian.audit.models import AuditEntry


class Command(BaseCommand):
    help = "为应用运行时数据库角色授权（审计表只允许插入和查询）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="应用运行时使用的数据库角色（须已存在，且不是表的所有者）")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 支持按角色授权")
        quote = connection.ops.quote_name
        role = quote(options["role"])
        audit = quote(AuditEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [options["role"]])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"数据库角色不存在：{options['role']}")
            if found[0]:
                raise CommandError("运行时角色不能是超级用户（超级用户不受任何授权限制）")
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AuditEntry._meta.db_table])
            owner = cursor.fetchone()
            if owner and owner[0] == options["role"]:
                raise CommandError("运行时角色不能是审计表的所有者")
            cursor.execute(f"GRANT CONNECT ON DATABASE {quote(connection.settings_dict['NAME'])} TO {role}")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}")
            cursor.execute(f"REVOKE ALL ON {audit} FROM {role}")
            cursor.execute(f"GRANT SELECT, INSERT ON {audit} TO {role}")
        self.stdout.write(f"已授权 {options['role']}：业务表读写，审计表只可插入和查询")

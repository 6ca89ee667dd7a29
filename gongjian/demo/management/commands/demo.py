"""``gongjian demo --scale county|city|province [--seed N] [--password P] [--reset] [--if-empty]``."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjian.demo.registry import (
    DEFAULT_PASSWORD,
    DEMO_USERNAMES,
    SCALES,
    DemoDataExists,
    DemoResult,
    generate,
    registry_is_empty,
)

COUNT_LABELS = {
    "organizations": "党组织", "committees": "市委、区县委、工作党委", "towns": "乡镇（街道）党委",
    "units": "结对单位（含社区）", "villages": "村党组织", "weak_villages": "其中经济薄弱村",
    "regions": "行政区划", "figures": "村情数据（年）", "people": "人员", "tags": "村标签",
    "needs": "村需求", "resources": "单位资源", "users": "演示账号", "joint_organizations": "联建组织",
}


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


class Command(BaseCommand):
    help = "生成演示数据：县级、市级或省级规模的组织树、村情、人员和各角色演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            # The nation (≈ 46 万个村) is planned for the benchmarks only, never written by this command.
            choices=[name for name in SCALES if name != "nation"],
            default="county",
            help="规模：county（商南县、柞水县：约 290 个单位、169 个村）、city（晋城市：约 3000、1548）、"
            "province（陕西省：约 15000、16446）",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子，同一种子生成相同的数据（默认 1）")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help=f"演示账号的密码（默认 {DEFAULT_PASSWORD}）")
        parser.add_argument("--reset", action="store_true", help="先删除已有的组织、人员和演示账号（审计日志保留）")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有组织时什么也不做")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and not options["reset"] and not registry_is_empty():
            self.stdout.write("数据库中已有组织数据，未生成演示数据。")
            self.report_existing_accounts()
            return
        scale = options["scale"]
        self.stdout.write(f"正在生成{SCALES[scale].label}演示数据（种子 {options['seed']}）……")
        try:
            result = generate(scale, options["seed"], options["password"], reset=options["reset"])
        except DemoDataExists as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        self.report(result)

    def report_existing_accounts(self) -> None:
        """On a later ``make run``: the demo logins that are already there (passwords are not stored)."""
        users = get_user_model().objects.filter(username__in=DEMO_USERNAMES).select_related("organization")
        rows = [[u.username, f"{u.role_label}（{u.role}）", u.organization.name if u.organization else ""]
                for u in users.order_by("id")]
        if rows:
            for line in _table(["账号", "角色", "所属组织"], rows):
                self.stdout.write(line)
            self.stdout.write(f"演示账号的密码为生成时设定的密码（默认 {DEFAULT_PASSWORD}）。")

    def report(self, result: DemoResult) -> None:
        if result.deleted:
            self.stdout.write(f"已删除原有数据：{result.deleted}")
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，用时 {result.seconds:.1f} 秒。"))
        for line in _table(["数据", "数量"], [[COUNT_LABELS.get(k, k), f"{v:,}"] for k, v in result.counts.items()]):
            self.stdout.write(line)
        self.stdout.write("")
        rows = [[u.username, result.password, f"{u.role_label}（{u.role}）", u.organization_name]
                for u in result.users]
        for line in _table(["账号", "密码", "角色", "所属组织"], rows):
            self.stdout.write(line)
        self.stdout.write("city_admin 可查看完整个人信息；auditor 可查看审计日志；"
                          "committee_admin2 与 committee_admin 为同级区县，互不可见；"
                          "system_admin 管理账号，security_admin 管理角色、解锁和双因素认证。")
        if getattr(settings, "OTP_REQUIRED", False) and getattr(settings, "OTP_EXEMPT_USERNAMES", ()):
            self.stdout.write("开发环境下以上演示账号仅凭密码登录；其他管理员账号首次登录时须用手机身份验证器扫码绑定。")

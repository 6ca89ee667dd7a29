"""``gongjian rotate_data_keys``: re-encrypt personal data under the current SM4 key.

Rotation, step by step (README, operations):

1. ``gongjian rotate_data_keys --new-key > keys.json`` prints the configured keyring with a
   fresh random key added and made ``current`` (nothing in the database changes).
2. Install it (``GONGJIAN_DATA_KEY_FILE`` or ``GONGJIAN_DATA_KEYS``) and restart: new
   writes use the new key, rows under the old key id still decrypt.
3. ``gongjian rotate_data_keys`` re-encrypts every row whose key id is not the current one,
   table by table in batches (a row changed meanwhile is left to its writer), and writes
   one audit row with the counts. ``--all`` rewrites every row and recomputes every blind
   index (after the index key changed).
4. ``gongjian rotate_data_keys --status`` shows the rows per key id; once the old id has
   none left, remove it from the keyring.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongjian.audit.services import audit_event
from gongjian.core.crypto import DataKeyError, data_keys, dump_data_keys, with_new_key
from gongjian.core.fields import Column, count_by_key, encrypted_fields, reencrypt_column


def encrypted_columns() -> list[Column]:
    """Every encrypted column of every installed model."""
    return [Column.of(field) for model in apps.get_models() for field in encrypted_fields(model)]


class Command(BaseCommand):
    help = "用当前 SM4 密钥重新加密个人信息（密钥轮换），或生成新密钥、查看各密钥下的记录数"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--new-key", action="store_true", help="输出加入一把新密钥（设为当前）后的密钥配置")
        group.add_argument("--status", action="store_true", help="列出各表各密钥编号下的记录数")
        group.add_argument("--all", action="store_true", help="重新加密全部记录并重算盲索引（更换了索引密钥时）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            keys = data_keys()
            if options["new_key"]:
                self.stdout.write(dump_data_keys(with_new_key(keys)))
                return
            if options["status"]:
                for col in encrypted_columns():
                    counts = count_by_key(connection, col)
                    text = "，".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "无数据"
                    self.stdout.write(f"{col.label}  {text}")
                return
            rewritten = {
                col.label: reencrypt_column(connection, col, everything=options["all"]) for col in encrypted_columns()
            }
        except DataKeyError as exc:
            audit_event(
                "data_keys.rotate", actor=None, success=False, reason=str(exc), after={"current": keys_current()}
            )
            raise CommandError(str(exc)) from exc
        audit_event(
            "data_keys.rotate",
            actor=None,
            after={"current": keys.current, "all": options["all"], "rows": rewritten},
        )
        total = sum(rewritten.values())
        self.stdout.write(f"已用密钥 {keys.current} 重新加密 {total} 条记录")
        for label, rows in rewritten.items():
            if rows:
                self.stdout.write(f"  {label}: {rows}")


def keys_current() -> str:
    """The current key id, or empty when the keyring itself is unusable."""
    try:
        return data_keys().current
    except DataKeyError:
        return ""

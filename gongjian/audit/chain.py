"""The audit log's hash chain (GB/T 22239-2019 level 3, 审计记录保护): every row carries
the SM3 hash of its own content joined to the hash of the row before it, so that a row
changed, removed or slipped in directly in the database breaks the chain at that row.

Rows are chained in id order. Appending takes a transaction-scoped advisory lock on
PostgreSQL, so that two transactions never link to the same predecessor: the lock is held
from the moment a transaction reads the last hash until it commits (the audit row is the
last thing a service writes, so that is short).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections

from gongjian.core.crypto import sm3_hex

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the audit chain ("gjau" in ASCII).
LOCK_KEY = 0x676A6175
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "scope_path",
    "before",
    "after",
    "ip_address",
    "user_agent",
    "success",
    "reason",
)


def _canonical_value(name: str, value: Any) -> Any:
    if name == "at" and isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if name == "ip_address" and value:
        return str(ipaddress.ip_address(value))
    return value


def content(entry: Any) -> bytes:
    """The row's content as canonical JSON (sorted keys, UTC time to the microsecond), the
    same whether the row is about to be written or was read back from the database."""
    fields = {name: _canonical_value(name, getattr(entry, name)) for name in CONTENT_FIELDS}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link(previous: str, entry: Any) -> str:
    """The hash of ``entry`` chained to ``previous``."""
    return sm3_hex(previous.encode("ascii") + content(entry))


def lock_chain(using: str) -> None:
    """Serialise appends until the current transaction ends (PostgreSQL; SQLite writes are
    serialised by the database itself)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def holds_chain_lock(using: str) -> bool:
    """Whether the transaction open on ``using`` already holds the append lock (it wrote a
    chained row that is not committed yet): another connection of this thread would then
    wait for it forever."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        # A bigint advisory key is (classid, objid) = (high, low 32 bits), objsubid 1.
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            " AND granted AND classid = %s AND objid = %s AND objsubid = 1)",
            [LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF],
        )
        return bool(cursor.fetchone()[0])


def last_hash(model: Any, using: str) -> str:
    """The hash of the newest row, or the genesis value of an empty log."""
    newest = model._base_manager.using(using).order_by("-id").values_list("chain_hash", flat=True).first()
    return newest or GENESIS


def chain(entries: Iterable[Any], previous: str) -> str:
    """Set ``prev_hash`` and ``chain_hash`` on ``entries`` in order; return the last hash."""
    for entry in entries:
        entry.prev_hash = previous
        entry.chain_hash = previous = link(previous, entry)
    return previous


@dataclass(frozen=True)
class Break:
    """The first row at which the chain does not hold, and why."""

    entry_id: int
    reason: str


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found: rows checked, and the first break (None: intact)."""

    rows: int
    first_break: Break | None


def _rows(model: Any, using: str, chunk: int) -> Iterator[Any]:
    return model._base_manager.using(using).order_by("id").iterator(chunk_size=chunk)


def verify(model: Any, *, using: str = "default", chunk: int = 5000, anchor: str = GENESIS) -> Verification:
    """Walk the log in id order from ``anchor`` (the genesis value, or the last hash of the
    newest archived prefix) and recompute every link."""
    previous = anchor
    rows = 0
    for entry in _rows(model, using, chunk):
        rows += 1
        if entry.prev_hash != previous:
            return Verification(rows, Break(entry.id, "link"))
        if link(previous, entry) != entry.chain_hash:
            return Verification(rows, Break(entry.id, "content"))
        previous = entry.chain_hash
    return Verification(rows, None)

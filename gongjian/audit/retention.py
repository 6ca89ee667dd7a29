"""Keeping the audit log (GB/T 22239-2019 level 3; 网络安全法 第二十一条: logs kept no less
than six months): nothing younger than the retention period leaves the database; an older
prefix of the chain may be moved to a file, and the chain goes on from its last hash.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit import chain
from gongjian.audit.models import AuditArchive, AuditEntry
from gongjian.core.crypto import sm3_stream

# The law's floor: six months. A deployment may keep longer (AUDIT_RETENTION_DAYS), never shorter.
MINIMUM_RETENTION_DAYS = 183
TRIGGER = "audit_auditentry_append_only"


class RetentionError(Exception):
    """The archive cannot be made; the message says why, in Chinese."""


def retention_days() -> int:
    """The configured retention period, never under the legal minimum."""
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)), MINIMUM_RETENTION_DAYS)


def anchor() -> str:
    """Where the chain in the database starts: the newest archive's last hash, or genesis."""
    newest = AuditArchive.objects.order_by("-up_to_id").first()
    return newest.last_hash if newest else chain.GENESIS


def verify_log() -> chain.Verification:
    """The chain of the rows still in the database, from the anchor."""
    return chain.verify(AuditEntry, anchor=anchor())


@dataclass(frozen=True)
class Archived:
    """What :func:`audit_archive` moved out."""

    rows: int
    path: Path | None


def _prefix_end(cut_off: datetime.datetime) -> int | None:
    """The largest id such that every row up to it is older than ``cut_off`` (the chain is
    cut only at a whole prefix)."""
    first_young = AuditEntry.objects.filter(at__gte=cut_off).order_by("id").values_list("id", flat=True).first()
    old = AuditEntry.objects.filter(at__lt=cut_off)
    if first_young is not None:
        old = old.filter(id__lt=first_young)
    return old.order_by("-id").values_list("id", flat=True).first()


def audit_archive(*, cut_off: datetime.datetime, out: Path) -> Archived:
    """Move the rows older than ``cut_off`` (a whole prefix of the chain) into a JSON-lines
    file under ``out`` with its SM3 hash recorded, after checking their chain. Refused if
    ``cut_off`` lies inside the retention period. Runs as the table's owner (it lifts the
    append-only trigger for the delete, inside the transaction)."""
    limit = timezone.now() - datetime.timedelta(days=retention_days())
    if cut_off > limit:
        raise RetentionError(
            _("审计记录至少保存 %(days)s 天：只能归档 %(date)s 之前的记录")
            % {"days": retention_days(), "date": timezone.localtime(limit).date()}
        )
    end = _prefix_end(cut_off)
    if end is None:
        return Archived(rows=0, path=None)
    result = verify_log()
    if result.first_break is not None and result.first_break.entry_id <= end:
        raise RetentionError(_("审计日志第 %(id)s 号记录处断链，不能归档") % {"id": result.first_break.entry_id})
    out.mkdir(parents=True, exist_ok=True)
    first = AuditEntry.objects.order_by("id").values_list("id", flat=True).first()
    path = out / f"audit-{first}-{end}.jsonl"
    rows = 0
    last = ""
    with path.open("x", encoding="utf-8") as stream:
        for entry in AuditEntry.objects.filter(id__lte=end).order_by("id").iterator(chunk_size=5000):
            record = json.loads(chain.content(entry)) | {
                "id": entry.id,
                "prev_hash": entry.prev_hash,
                "chain_hash": entry.chain_hash,
            }
            stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            rows += 1
            last = entry.chain_hash
    with path.open("rb") as stream:
        digest = sm3_stream(stream)
    with transaction.atomic():
        chain.lock_chain("default")
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
            cursor.execute("DELETE FROM audit_auditentry WHERE id <= %s", [end])
            if postgres:
                cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")
        AuditArchive.objects.create(
            up_to_id=end, last_hash=last, rows=rows, cut_off=cut_off, file_name=path.name, file_sm3=digest
        )
    return Archived(rows=rows, path=path)

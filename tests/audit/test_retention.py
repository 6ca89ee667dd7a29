"""The audit log is kept at least six months (issue 12 item 9); an older prefix moves to a
file and the chain goes on from its last hash."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from gongjian.audit import chain
from gongjian.audit.models import AuditArchive, AuditEntry
from gongjian.audit.retention import verify_log
from gongjian.core.crypto import sm3_hex

pytestmark = pytest.mark.postgres


def _entry(days_ago: int, action: str) -> AuditEntry:
    entry = AuditEntry(action=action, at=timezone.now() - datetime.timedelta(days=days_ago))
    entry.save()
    return entry


@pytest.fixture
def year_of_log(db: None) -> list[AuditEntry]:
    # Ids follow time except one late row: a young row written before an old-dated one
    # stops the archived prefix there.
    return [_entry(400, "old-1"), _entry(300, "old-2"), _entry(10, "young"), _entry(250, "old-late"), _entry(1, "new")]


def test_nothing_younger_than_six_months_can_be_archived(year_of_log, tmp_path: Path) -> None:
    recent = (timezone.localdate() - datetime.timedelta(days=100)).isoformat()
    with pytest.raises(CommandError, match="至少保存 183 天"):
        call_command("audit_archive", f"--before={recent}", f"--out={tmp_path}")
    assert AuditEntry.objects.count() == 5


def test_an_old_prefix_moves_to_a_file_and_the_chain_goes_on(year_of_log, tmp_path: Path) -> None:
    old, older = year_of_log[:2]
    cut = (timezone.localdate() - datetime.timedelta(days=200)).isoformat()
    call_command("audit_archive", f"--before={cut}", f"--out={tmp_path}")
    # Only the whole prefix before the first young row leaves: "old-late" stays (its id is after "young").
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["young", "old-late", "new"]
    archive = AuditArchive.objects.get()
    assert (archive.up_to_id, archive.rows, archive.last_hash) == (older.id, 2, older.chain_hash)
    written = tmp_path / archive.file_name
    assert sm3_hex(written.read_bytes()) == archive.file_sm3
    lines = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["action"], r["chain_hash"]) for r in lines] == [
        (old.id, "old-1", old.chain_hash),
        (older.id, "old-2", older.chain_hash),
    ]
    assert verify_log().first_break is None
    call_command("audit_verify")
    # The archived rows' chain can still be checked from the file alone.
    previous = chain.GENESIS
    for record in lines:
        fields = {k: v for k, v in record.items() if k in chain.CONTENT_FIELDS}
        assert record["prev_hash"] == previous
        previous = chain.link(previous, AuditEntry(**fields))
        assert previous == record["chain_hash"]


def test_a_row_removed_after_the_archive_still_breaks_the_chain(year_of_log, tmp_path: Path) -> None:
    cut = (timezone.localdate() - datetime.timedelta(days=200)).isoformat()
    call_command("audit_archive", f"--before={cut}", f"--out={tmp_path}")
    young = AuditEntry.objects.get(action="young")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [young.id])
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only")
    with pytest.raises(CommandError, match="断链"):
        call_command("audit_verify")

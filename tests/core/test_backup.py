"""Backup → restore drill (issue 12 item 12): a backup restored into a fresh PostgreSQL
database gives every row and every file back identical; a changed backup is refused
before anything is overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection

from gongjian.audit.services import audit_event
from gongjian.core.backup import BackupError, backup_create, backup_restore, backup_verify
from gongjian.orgs.models import Organization

pytestmark = pytest.mark.postgres


def fingerprint() -> dict[str, str]:
    """Every table's rows as one md5, computed in SQL over the rows' text (not through the
    backup code under test)."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        prints = {}
        for table in tables:
            cursor.execute(
                f"SELECT COUNT(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            count, digest = cursor.fetchone()
            prints[table] = f"{count}:{digest}"
    return prints


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _files(storage: FileSystemStorage) -> dict[str, bytes]:
    root = Path(storage.location)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_restored_backup_has_every_row_and_file(
    cast, transactional_db, tmp_path: Path, settings, fresh_database: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("records/visits/2026/照片 1.jpg", ContentFile(b"\xff\xd8photo\x00bytes"))
    default_storage.save("rounds/agreements/协议-1.pdf", ContentFile(b"%PDF-1.7 agreement"))
    audit_event("demo", actor=cast.city_admin, target=cast.village, after={"name": "村"})
    before, files_before = fingerprint(), _files(default_storage)
    assert before["orgs_organization"].split(":")[0] == str(Organization.objects.count())

    folder = backup_create(out=tmp_path / "backups")
    assert backup_verify(folder)["tables"]["orgs_organization"] == Organization.objects.count()

    original = connection.settings_dict["NAME"]
    restored_media = tmp_path / "restored-media"
    try:
        connection.close()
        connection.settings_dict["NAME"] = fresh_database
        assert fingerprint() == {}
        report = backup_restore(folder=folder, storage=FileSystemStorage(location=restored_media))
        after = fingerprint()
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original

    assert after == before
    assert report.rows == sum(int(v.split(":")[0]) for v in before.values())
    assert _files(FileSystemStorage(location=restored_media)) == files_before
    assert report.files == 2


def test_a_changed_backup_is_refused_before_anything_is_restored(
    cast, transactional_db, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("funds/vouchers/凭证.pdf", ContentFile(b"%PDF-1.7 voucher"))
    folder = backup_create(out=tmp_path)
    voucher = folder / "files" / "funds" / "vouchers" / "凭证.pdf"
    voucher.write_bytes(b"%PDF-1.7 vouchex")
    rows = Organization.objects.count()
    with pytest.raises(BackupError, match=r"凭证\.pdf"):
        backup_restore(folder=folder)
    assert Organization.objects.count() == rows

    voucher.unlink()
    with pytest.raises(BackupError, match="缺少文件"):
        backup_verify(folder)


def test_the_commands_report_what_they_did(cast, transactional_db, tmp_path: Path, settings, capsys) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", out=tmp_path)
    folder = next(tmp_path.glob("gongjian-backup-*"))
    call_command("restore", str(folder), verify_only=True)
    assert "备份完整" in capsys.readouterr().out

"""The audit log's SM3 hash chain (issue 12 item 9): every row is linked to the one before;
``audit_verify`` names the first row changed, removed or slipped in directly in the
database, including by someone who can lift the append-only trigger."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from gongjian.audit import chain
from gongjian.audit.models import AuditEntry
from gongjian.audit.services import audit_event
from gongjian.core.crypto import sm3_hex
from gongjian.orgs.services import organization_update
from tests.conftest import Cast

pytestmark = pytest.mark.postgres
TRIGGER = "audit_auditentry_append_only"


def _write_some(cast: Cast) -> list[AuditEntry]:
    organization_update(actor=cast.city_admin, organization=cast.village, name="新名村")
    audit_event("login", actor=cast.unit_user, after={"金额": "20000.00", "次数": 2})
    AuditEntry.objects.bulk_create(
        [AuditEntry(action="import_row", actor_username="系统", object_id=str(i)) for i in range(3)]
    )
    return list(AuditEntry.objects.order_by("id"))


def _raw(sql: str, params: list | None = None) -> None:
    """As the table's owner would: lift the trigger, change the row, put the trigger back."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params or [])
        cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")


def test_each_row_hashes_its_content_onto_the_previous_hash(cast: Cast) -> None:
    rows = _write_some(cast)
    assert len(rows) >= 5
    assert rows[0].prev_hash == chain.GENESIS
    for before, row in itertools.pairwise(rows):
        assert row.prev_hash == before.chain_hash
    # Recomputed by hand from the row as read back: SM3(previous hash ‖ canonical content).
    row = rows[1]
    assert row.chain_hash == sm3_hex(row.prev_hash.encode() + chain.content(row))
    assert chain.verify(AuditEntry).first_break is None


def test_audit_verify_names_a_row_changed_directly_in_the_database(cast: Cast) -> None:
    rows = _write_some(cast)
    call_command("audit_verify")
    target = rows[2]
    _raw("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改过", target.id])
    with pytest.raises(CommandError, match=f"第 {target.id} 号记录.*内容"):
        call_command("audit_verify")


def test_audit_verify_names_the_row_after_a_deleted_one(cast: Cast) -> None:
    rows = _write_some(cast)
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [rows[1].id])
    with pytest.raises(CommandError, match=f"第 {rows[2].id} 号记录.*链接"):
        call_command("audit_verify")


def test_a_rehashed_forgery_still_breaks_at_the_next_row(cast: Cast) -> None:
    """Changing a row and recomputing its own hash is not enough: the next row links to the old one."""
    rows = _write_some(cast)
    forged = rows[1]
    forged.reason = "伪造"
    new_hash = chain.link(forged.prev_hash, forged)
    _raw("UPDATE audit_auditentry SET reason = %s, chain_hash = %s WHERE id = %s", ["伪造", new_hash, forged.id])
    result = chain.verify(AuditEntry)
    assert result.first_break == chain.Break(rows[2].id, "link")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_link_to_the_same_row(cast: Cast) -> None:
    """Eight threads append at once on separate connections; the chain stays one line."""

    def append(n: int) -> None:
        try:
            for i in range(10):
                audit_event("login", actor=None, after={"thread": n, "i": i})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = chain.verify(AuditEntry)
    assert result.first_break is None
    assert result.rows == AuditEntry.objects.count() >= 80
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == result.rows


@pytest.fixture
def runtime_role(transactional_db) -> Iterator[str]:
    # One role per test database: xdist workers run side by side on one cluster.
    name = f"{connection.settings_dict['NAME']}_runtime"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {name} LOGIN")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")


def test_the_runtime_role_can_only_insert_and_read_the_audit_log(cast: Cast, runtime_role: str) -> None:
    import psycopg

    audit_event("login", actor=cast.city_admin)
    call_command("grant_runtime_role", runtime_role)
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=runtime_role,
        autocommit=True,
    ) as runtime:
        runtime.execute("SELECT count(*) FROM audit_auditentry").fetchone()
        runtime.execute("UPDATE orgs_organization SET name = name WHERE id = %s", [cast.village.pk])
        for statement in (
            "UPDATE audit_auditentry SET reason = 'x'",
            "DELETE FROM audit_auditentry",
            "TRUNCATE audit_auditentry",
            f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                runtime.execute(statement)
    assert chain.verify(AuditEntry).first_break is None

"""The audit log: every write with who, when, what, before/after, from where, success."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from gongjian.audit.models import AuditEntry
from gongjian.auditlog.selectors import audit_entry_list
from gongjian.orgs.models import Person
from gongjian.orgs.services import organization_update, person_reveal
from tests.conftest import Cast


def client_for(user) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.10")
    client.force_login(user)
    return client


def test_a_write_records_before_after_ip_and_success(cast: Cast) -> None:
    client = client_for(cast.committee_admin)
    response = client.post(
        f"/orgs/{cast.unit.pk}/edit/",
        {
            "code": cast.unit.code,
            "name": "商南县农业农村局党组",
            "level": "committee",
            "kind": "agency",
            "line": "agriculture",
            "capacity": "3",
            "resources": [],
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.actor_username == "county"
    assert entry.before["name"] == "商南县农业农村局机关党委" and entry.after["name"] == "商南县农业农村局党组"
    assert entry.before["capacity"] == 2 and entry.after["capacity"] == 3
    assert entry.ip_address == "192.0.2.10" and entry.success
    assert entry.scope_path == cast.unit.path


def test_a_failed_write_is_recorded_and_changes_nothing(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        organization_update(actor=cast.committee_admin, organization=cast.unit, code="bad code!")
    cast.unit.refresh_from_db()
    assert cast.unit.code == "C0006"
    entry = AuditEntry.objects.get(action="organization.update")
    assert not entry.success and "组织代码" in entry.reason


def test_a_forbidden_write_is_refused(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        organization_update(actor=cast.sibling_admin, organization=cast.unit, name="改名")
    cast.unit.refresh_from_db()
    assert cast.unit.name == "商南县农业农村局机关党委"


def test_entries_cannot_be_changed_or_deleted(cast: Cast) -> None:
    organization_update(actor=cast.city_admin, organization=cast.unit, capacity=5)
    entry = AuditEntry.objects.filter(action="organization.update").get()
    entry.reason = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
def test_database_refuses_raw_update_and_delete(cast: Cast) -> None:
    organization_update(actor=cast.city_admin, organization=cast.unit, capacity=5)
    for sql in ("UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.filter(reason="x").count() == 0


def test_full_view_of_personal_data_is_audited(cast: Cast) -> None:
    person = Person.objects.get(name="张秀英")
    full = person_reveal(actor=cast.city_admin, person=person)
    assert full["phone"] == "13912345678"
    assert AuditEntry.objects.filter(action="person.view_full", success=True, object_id=str(person.pk)).exists()
    with pytest.raises(PermissionDenied):
        person_reveal(actor=cast.committee_admin, person=person)
    assert AuditEntry.objects.filter(action="person.view_full", success=False, actor_username="county").exists()


def test_people_are_masked_unless_permitted(cast: Cast) -> None:
    person = Person.objects.get(name="张秀英")
    page = client_for(cast.committee_admin).get(f"/orgs/people/{person.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert person.id_number not in page and person.id_number[:6] + "********" in page
    # The city admin holds the permission: the reveal shows the full numbers, and is audited.
    response = client_for(cast.city_admin).post(f"/orgs/people/{person.pk}/reveal/")
    assert "13912345678" in response.content.decode()
    # Without the permission, the reveal is a 404 and the attempt is on record.
    assert client_for(cast.committee_admin).post(f"/orgs/people/{person.pk}/reveal/").status_code == 404


def test_auditor_searches_and_exports_only_their_subtree(cast: Cast) -> None:
    organization_update(actor=cast.city_admin, organization=cast.unit, capacity=5)
    organization_update(actor=None, organization=cast.other_city, name="外市市委（改）")
    visible = list(audit_entry_list(user=cast.auditor, action="organization.update"))
    assert [e.object_repr for e in visible] == [cast.unit.name]
    assert not audit_entry_list(user=cast.committee_admin).exists()
    client = client_for(cast.auditor)
    assert cast.unit.name in client.get("/audit/?action=organization").content.decode()
    export = client.get("/audit/export.csv").content.decode("utf-8-sig")
    assert cast.unit.name in export and "外市市委" not in export
    assert client_for(cast.unit_user).get("/audit/").status_code == 404
    # 三员分立: a business admin (here another city's) does not read the audit log at all.
    assert client_for(cast.outsider).get("/audit/").status_code == 404
    assert client_for(cast.city_admin).get("/audit/").status_code == 404

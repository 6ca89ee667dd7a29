"""Personal information (issue 12 item 13, 个人信息保护法 第六条、第四十七条): an ID number is
collected only where the practice needs it (the form, like the import, registers a person
without one), and an erasure keeps the history that names the person, audited either way."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongjian.audit.models import AuditEntry
from gongjian.audit.retention import verify_log
from gongjian.orgs.models import Person
from gongjian.orgs.services import person_erase
from gongjian.records.models import MemberReport
from tests.conftest import Cast


def test_the_person_form_registers_without_an_id_number(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.city_admin)
    for name in ("赵一", "钱二"):  # two without one: the blind index's uniqueness allows it
        response = client.post(
            f"/orgs/{cast.village.pk}/people/new/",
            {"name": name, "post": "党员", "phone": "", "id_number": "", "is_party_member": "on"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    people = Person.objects.filter(organization=cast.village, name__in=["赵一", "钱二"])
    assert [p.id_number for p in people] == [None, None]
    assert AuditEntry.objects.filter(action="person.create", success=True, actor_username="city").count() == 2


def test_a_wrong_id_number_is_still_refused_when_given(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.city_admin)
    response = client.post(
        f"/orgs/{cast.village.pk}/people/new/",
        {"name": "孙三", "post": "", "phone": "", "id_number": "611023198001010011", "is_party_member": "on"},
    )
    assert response.status_code == 200 and not Person.objects.filter(name="孙三").exists()


def test_erasure_keeps_the_history_that_names_the_person_and_is_audited(cast: Cast) -> None:
    person = Person.objects.get(organization=cast.unit)
    report = MemberReport.objects.create(
        organization=cast.unit,
        person=person,
        year=2026,
        quarter=1,
        reported_on=datetime.date(2026, 3, 20),
        content="学习情况汇报",
    )
    with pytest.raises(PermissionDenied):  # no erase permission: refused, and on record
        person_erase(actor=cast.city_admin, person=person)
    cast.city_admin.user_permissions.add(Permission.objects.get(codename="erase_personal_data"))
    eraser = type(cast.city_admin).objects.get(pk=cast.city_admin.pk)
    person_erase(actor=eraser, person=person)
    report.refresh_from_db()
    assert report.person_id == person.pk and report.content == "学习情况汇报"
    person.refresh_from_db()
    assert (person.id_number, person.phone) == (None, "") and person.erased_at is not None
    rows = list(AuditEntry.objects.filter(action="person.erase").order_by("id").values_list("success", "object_id"))
    assert rows == [(False, str(person.pk)), (True, str(person.pk))]
    assert verify_log().first_break is None

"""Personal information (issue 12 item 13; 个人信息保护法 第四十七条): an authorised
administrator erases a person's personal data; the record and what names it stay; the
audit log records the erasure without the erased values."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client

from gongjian.audit.models import AuditEntry
from gongjian.orgs.models import Person
from gongjian.orgs.services import person_update
from tests.conftest import Cast


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def eraser(cast: Cast):
    user = cast.city_admin
    user.user_permissions.add(Permission.objects.get(codename="erase_personal_data"))
    return type(user).objects.get(pk=user.pk)


def test_an_authorised_admin_erases_and_the_record_stays(cast: Cast, eraser) -> None:
    people = list(Person.objects.filter(organization__in=[cast.village, cast.unit]).order_by("pk"))
    for person in people:
        response = _client(eraser).post(f"/orgs/people/{person.pk}/erase/")
        assert response.status_code == 302
    for person in people:
        person.refresh_from_db()
        assert (person.phone, person.id_number, person.post) == ("", None, "")
        assert person.erased_at is not None and "已删除" in person.name
    page = _client(eraser).get(f"/orgs/people/{people[0].pk}/").content.decode()
    assert "张秀英" not in page and "个人信息已于" in page and "查看完整信息" not in page
    entries = AuditEntry.objects.filter(action="person.erase", success=True)
    assert entries.count() == 2
    logged = str(list(entries.values_list("before", "after")))
    assert "13912345678" not in logged and "张秀英" not in logged


def test_an_erased_person_cannot_be_edited_back(cast: Cast, eraser) -> None:
    person = Person.objects.get(organization=cast.village)
    _client(eraser).post(f"/orgs/people/{person.pk}/erase/")
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        person_update(actor=eraser, person=person, phone="13900000000")


@pytest.mark.parametrize("who", ["committee_admin", "outsider", "unit_user"])
def test_without_the_permission_or_outside_the_scope_it_is_404(cast: Cast, who: str) -> None:
    person = Person.objects.get(organization=cast.village)
    assert _client(getattr(cast, who)).post(f"/orgs/people/{person.pk}/erase/").status_code == 404
    person.refresh_from_db()
    assert person.erased_at is None and person.id_number


def test_the_edit_page_masks_personal_data_and_blank_keeps_it(cast: Cast) -> None:
    person = Person.objects.get(organization=cast.village)
    full_phone, full_id = person.phone, person.id_number
    client = _client(cast.city_admin)
    page = client.get(f"/orgs/people/{person.pk}/edit/").content.decode()
    assert full_phone not in page and full_id not in page
    assert "139****5678" in page  # the masked value as the hint
    response = client.post(
        f"/orgs/people/{person.pk}/edit/",
        {"name": "张秀英", "post": "村党支部书记", "phone": "", "id_number": "", "is_party_member": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.post, person.phone, person.id_number) == ("村党支部书记", full_phone, full_id)
    client.post(
        f"/orgs/people/{person.pk}/edit/",
        {"name": "张秀英", "post": "村党支部书记", "phone": "13700001111", "id_number": "", "is_party_member": "on"},
    )
    person.refresh_from_db()
    assert (person.phone, person.id_number) == ("13700001111", full_id)

"""The people import over encrypted phones and ID numbers (issue 12.8, 12.13): rows found
through the blind index, the ID number optional, nothing in clear in the table or the log."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from gongjian.audit.models import AuditEntry
from gongjian.core.tabular import TableRejected, write_xlsx
from gongjian.orgs.import_people import person_import
from gongjian.orgs.io_columns import PERSON_COLUMNS
from gongjian.orgs.models import Person
from tests.conftest import Cast, fix_check

ID = fix_check("611023199202020020")


def sheet(*rows: list[str]) -> bytes:
    return write_xlsx(PERSON_COLUMNS, list(rows), sheet_title="人员名册")


@pytest.mark.django_db
def test_rows_with_an_id_number_are_found_again_through_the_index(cast: Cast) -> None:
    first = sheet(["冯一", "C0004", "委员", "13700002222", ID.lower(), "是"])
    assert person_import(actor=cast.village_user, data=first, filename="p.xlsx").created == 1
    changed = sheet(["冯一", "C0004", "副书记", "13700003333", ID, "是"])
    summary = person_import(actor=cast.village_user, data=changed, filename="p.xlsx")
    assert (summary.created, summary.updated) == (0, 1)
    person = Person.objects.get(id_number=ID)
    assert (person.post, person.phone) == ("副书记", "13700003333")
    assert Person.objects.get(phone="13700003333") == person  # the bulk update kept the index
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM orgs_person WHERE id = %s", [person.pk])
        assert all(value.startswith("sm4:") for value in cursor.fetchone())
    logged = json.dumps(list(AuditEntry.objects.filter(object_id=str(person.pk)).values("before", "after")))
    assert ID not in logged and "13700003333" not in logged and "137****3333" in logged


@pytest.mark.django_db
def test_the_id_number_is_optional(cast: Cast) -> None:
    data = sheet(["褚二", "C0004", "", "13700004444", "", "是"], ["卫三", "C0004", "", "", "", "否"])
    assert person_import(actor=cast.village_user, data=data, filename="p.xlsx").created == 2
    assert Person.objects.filter(name__in=["褚二", "卫三"], id_number__isnull=True).count() == 2
    # Again: the same people (organization, name, phone), not two more.
    again = person_import(actor=cast.village_user, data=data, filename="p.xlsx")
    assert (again.created, again.unchanged) == (0, 2)
    moved = sheet(["褚二", "C0004", "委员", "13700004444", "", "是"])
    assert person_import(actor=cast.village_user, data=moved, filename="p.xlsx").updated == 1
    assert Person.objects.get(name="褚二").post == "委员"


@pytest.mark.django_db
def test_duplicates_in_the_file_are_named(cast: Cast) -> None:
    data = sheet(
        ["蒋四", "C0004", "", "13700005555", ID, "是"],
        ["沈五", "C0004", "", "", ID, "是"],
        ["韩六", "C0004", "", "13700006666", "", "是"],
        ["韩六", "C0004", "", "13700006666", "", "是"],
    )
    with pytest.raises(TableRejected) as caught:
        person_import(actor=cast.village_user, data=data, filename="p.xlsx")
    assert {(e.row, e.column) for e in caught.value.errors} == {(3, "身份证号"), (5, "姓名")}
    assert not Person.objects.filter(name__in=["蒋四", "沈五", "韩六"]).exists()

"""The archive's services: the unit records visits (with photos), 六个一, 五送 and projects;
nobody else may; every write leaves an audit row; bad input is refused field by field."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongjian.audit.models import AuditEntry
from gongjian.records.choices import ContactSide, ProjectStatus, SixMust, VisitorLevel
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import Contact, Visit, VisitPhoto
from gongjian.records.selectors import six_must_year
from gongjian.records.services_archive import (
    contact_create,
    contacts_prefill,
    delivery_create,
    milestone_complete,
    milestone_create,
    project_create,
    project_update_progress,
    six_must_create,
    visit_create,
)
from gongjian.rounds.models import Pairing
from tests.conftest import Cast


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


TODAY = datetime.date.today()


def test_unit_records_a_visit_with_photos_and_it_is_audited(cast: Cast, signed: Pairing) -> None:
    visit = visit_create(
        actor=cast.unit_user,
        pairing=signed,
        date=TODAY,
        visitor_level=VisitorLevel.PRINCIPAL,
        visitors="李建国 党委书记",
        content="到村召开座谈会",
        photos=[jpeg(), jpeg("second.png")],
    )
    assert Visit.objects.get(pk=visit.pk).visitors == "李建国 党委书记"
    assert VisitPhoto.objects.filter(visit=visit).count() == 2
    entry = AuditEntry.objects.get(action="visit.create", success=True)
    assert entry.object_id == str(visit.pk) and (entry.after or {})["photos"] == 2
    assert entry.actor_username == cast.unit_user.username


def test_visit_refuses_a_renamed_document_a_future_date_and_other_people(cast: Cast, signed: Pairing) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    base = {"pairing": signed, "visitor_level": VisitorLevel.DEPARTMENT, "visitors": "王芳", "content": "走访"}
    with pytest.raises(ValidationError) as bad_photo:
        visit_create(actor=cast.unit_user, date=TODAY, photos=[fake], **base)  # type: ignore[arg-type]
    assert "photos" in bad_photo.value.message_dict
    with pytest.raises(ValidationError) as future:
        visit_create(actor=cast.unit_user, date=TODAY + datetime.timedelta(days=1), **base)  # type: ignore[arg-type]
    assert "date" in future.value.message_dict
    for someone in (cast.village_user, cast.committee_admin, cast.city_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            visit_create(actor=someone, date=TODAY, **base)  # type: ignore[arg-type]
    assert not Visit.objects.exists()


def test_six_musts_deliveries_and_the_year_overview(cast: Cast, signed: Pairing) -> None:
    six_must_create(actor=cast.unit_user, pairing=signed, date=TODAY, kind=SixMust.JOINT_MEETING, content="联席会议")
    six_must_create(actor=cast.unit_user, pairing=signed, date=TODAY, kind=SixMust.PARTY_LESSON, content="联合党课")
    year = six_must_year(signed, TODAY.year)
    assert year.done == {SixMust.JOINT_MEETING: 1, SixMust.PARTY_LESSON: 1}
    assert "一份工作计划" in year.missing and len(year.missing) == 4
    delivery = delivery_create(
        actor=cast.unit_user, pairing=signed, date=TODAY, kind="funds", content="拨付资金", amount=Decimal("20000.00")
    )
    assert delivery.amount == Decimal("20000.00")
    with pytest.raises(ValidationError):
        delivery_create(actor=cast.unit_user, pairing=signed, date=TODAY, kind="money", content="x")
    assert AuditEntry.objects.filter(action="six_must.create", success=True).count() == 2
    assert AuditEntry.objects.filter(action="delivery.create", success=True).count() == 1


def test_project_progress_and_milestones(cast: Cast, signed: Pairing) -> None:
    project = project_create(
        actor=cast.unit_user,
        pairing=signed,
        name="村集体光伏电站",
        goal="村集体年增收 5 万元",
        budget=Decimal("300000"),
        start=TODAY,
        end=TODAY + datetime.timedelta(days=200),
    )
    with pytest.raises(ValidationError) as wrong:
        project_update_progress(actor=cast.unit_user, project=project, status=ProjectStatus.DONE, progress=80)
    assert "progress" in wrong.value.message_dict
    project = project_update_progress(
        actor=cast.unit_user, project=project, status=ProjectStatus.IN_PROGRESS, progress=40
    )
    assert project.progress == 40
    entry = AuditEntry.objects.get(action="project.progress", success=True)
    assert entry.before == {"status": "planned", "progress": 0} and (entry.after or {})["progress"] == 40
    milestone = milestone_create(actor=cast.unit_user, project=project, title="完成招标", due=TODAY)
    milestone_complete(actor=cast.unit_user, milestone=milestone, done_on=TODAY)
    with pytest.raises(RecordActionRefused):
        milestone_complete(actor=cast.unit_user, milestone=milestone, done_on=TODAY)
    with pytest.raises(ValidationError):
        project_create(
            actor=cast.unit_user,
            pairing=signed,
            name="x",
            goal="y",
            budget=Decimal("1"),
            start=TODAY,
            end=TODAY - datetime.timedelta(days=1),
        )


def test_contact_card_prefill_and_each_side_its_own(cast: Cast, signed: Pairing) -> None:
    added = contacts_prefill(actor=cast.village_user, pairing=signed)
    contacts = list(Contact.objects.filter(pairing=signed).order_by("side", "position"))
    names = {(c.side, c.name) for c in contacts}
    # The agreement's signatories, with their phones from the registry.
    assert (ContactSide.UNIT, "李建国") in names and (ContactSide.VILLAGE, "张秀英") in names
    assert added == len(contacts) == 2
    assert all(c.phone == "13912345678" for c in contacts)
    with pytest.raises(RecordActionRefused):
        contacts_prefill(actor=cast.unit_user, pairing=signed)
    contact_create(
        actor=cast.unit_user, pairing=signed, side="unit", name="王芳", post="办公室主任", phone="139 1234 0000"
    )
    assert Contact.objects.get(name="王芳").phone == "13912340000"
    with pytest.raises(PermissionDenied):
        contact_create(actor=cast.unit_user, pairing=signed, side="village", name="某人", post="", phone="")
    with pytest.raises(PermissionDenied):
        contact_create(actor=cast.committee_admin, pairing=signed, side="unit", name="某人", post="", phone="")
    entry = AuditEntry.objects.get(action="contact.create", success=True)
    assert "phone" not in (entry.after or {})  # the log keeps no phone number

"""Correcting and removing archive entries (visits, 六个一, 五送): only the unit of a signed
pairing, with the create's checks; each change audited with before and after; files leave
the storage only once committed; the pages fill in the entry, keep what was typed, delete
only on POST, and give a 404 to anyone outside the scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from gongjian.audit.models import AuditEntry
from gongjian.records.choices import FiveDelivery, SixMust, VisitorLevel
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import Delivery, SixMustRecord, Visit, VisitPhoto
from gongjian.records.services_archive import MAX_PHOTOS, delivery_create, six_must_create, visit_create
from gongjian.records.services_archive_edit import (
    delivery_delete,
    delivery_update,
    six_must_delete,
    six_must_update,
    visit_delete,
    visit_update,
)
from gongjian.rounds.models import Pairing, PairingStatus
from tests.conftest import Cast
from tests.records.test_archive_services import jpeg
from tests.records.test_views import client_for

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)

CaptureCommits = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 a plan", content_type="application/pdf")


def stored(name: str | None) -> bool:
    return name is not None and name != "" and default_storage.exists(name)


@pytest.fixture
def visit(cast: Cast, signed: Pairing) -> Visit:
    return visit_create(
        actor=cast.unit_user,
        pairing=signed,
        date=YESTERDAY,
        visitor_level=VisitorLevel.PRINCIPAL,
        visitors="李建国 党委书记",
        content="到村召开座谈会",
        photos=[jpeg("one.jpg"), jpeg("two.jpg")],
    )


@pytest.fixture
def six(cast: Cast, signed: Pairing) -> SixMustRecord:
    return six_must_create(
        actor=cast.unit_user,
        pairing=signed,
        date=YESTERDAY,
        kind=SixMust.JOINT_MEETING,
        content="联席会议",
        evidence=pdf(),
    )


@pytest.fixture
def delivery(cast: Cast, signed: Pairing) -> Delivery:
    return delivery_create(
        actor=cast.unit_user,
        pairing=signed,
        date=YESTERDAY,
        kind=FiveDelivery.FUNDS,
        content="拨付资金",
        amount=Decimal("20000.00"),
    )


def end(pairing: Pairing) -> None:
    Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ENDED)


# ---------------------------------------------------------------- services


def test_visit_update_changes_fields_and_photos_and_audits_before_and_after(
    cast: Cast, visit: Visit, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    first, second = visit.photos.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        updated = visit_update(
            actor=cast.unit_user,
            visit=visit,
            date=TODAY,
            visitor_level=VisitorLevel.DEPARTMENT,
            visitors="  王芳 办公室主任 ",
            content="走访困难党员",
            photos=[jpeg("three.png"), jpeg("four.png")],
            remove_photos=[first.pk],
        )
    fresh = Visit.objects.get(pk=visit.pk)
    assert (fresh.date, fresh.visitor_level, fresh.visitors) == (TODAY, VisitorLevel.DEPARTMENT, "王芳 办公室主任")
    assert fresh.content == updated.content == "走访困难党员"
    names = sorted(Path(p.image.name or "").stem for p in fresh.photos.all())
    assert len(names) == 3 and [n[:3] for n in names] == ["fou", "thr", "two"]
    assert not stored(first.image.name) and stored(second.image.name)  # the removed photo's file is gone
    entry = AuditEntry.objects.get(action="visit.update", success=True)
    assert entry.object_id == str(visit.pk) and entry.actor_username == cast.unit_user.username
    assert entry.before == {
        "date": f"{YESTERDAY}",
        "visitor_level": VisitorLevel.PRINCIPAL,
        "visitors": "李建国 党委书记",
        "content": "到村召开座谈会",
        "photos": 2,
    }
    assert entry.after == {
        "date": f"{TODAY}",
        "visitor_level": VisitorLevel.DEPARTMENT,
        "visitors": "王芳 办公室主任",
        "content": "走访困难党员",
        "photos": 3,
    }


def test_visit_update_keeps_to_the_photo_limit_and_to_its_own_photos(cast: Cast, signed: Pairing, visit: Visit) -> None:
    for n in range(MAX_PHOTOS - 2):
        VisitPhoto.objects.create(visit=visit, image=jpeg(f"more{n}.jpg"))
    base = {"date": TODAY, "visitor_level": VisitorLevel.PRINCIPAL, "visitors": "李建国", "content": "座谈"}
    with pytest.raises(ValidationError) as full:
        visit_update(actor=cast.unit_user, visit=visit, photos=[jpeg()], **base)  # type: ignore[arg-type]
    assert "photos" in full.value.message_dict and f"已有 {MAX_PHOTOS} 张" in full.value.messages[0]
    assert Visit.objects.get(pk=visit.pk).date == YESTERDAY  # nothing of the refused change stayed
    # Another visit's photo cannot be removed through this one.
    other = visit_create(
        actor=cast.unit_user,
        pairing=signed,
        photos=[jpeg("other.jpg")],
        **base,  # type: ignore[arg-type]
    )
    theirs = other.photos.get()
    mine = visit.photos.order_by("pk").first()
    assert mine is not None
    visit_update(
        actor=cast.unit_user,
        visit=visit,
        photos=[jpeg()],
        remove_photos=[mine.pk, theirs.pk],
        **base,  # type: ignore[arg-type]
    )
    assert visit.photos.count() == MAX_PHOTOS and VisitPhoto.objects.filter(pk=theirs.pk).exists()
    with pytest.raises(ValidationError) as fake:
        visit_update(
            actor=cast.unit_user,
            visit=visit,
            photos=[SimpleUploadedFile("x.jpg", b"%PDF-1.4", content_type="image/jpeg")],
            remove_photos=[p.pk for p in visit.photos.all()],
            **base,  # type: ignore[arg-type]
        )
    assert "photos" in fake.value.message_dict


def test_visit_delete_removes_it_with_its_photo_files_after_commit(
    cast: Cast, visit: Visit, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    files = [p.image.name for p in visit.photos.all()]
    assert all(stored(name) for name in files)
    with django_capture_on_commit_callbacks() as callbacks:
        visit_delete(actor=cast.unit_user, visit=visit)
        # Until the commit the files stay: a rollback must not leave rows without their files.
        assert all(stored(name) for name in files)
    assert not Visit.objects.filter(pk=visit.pk).exists() and not VisitPhoto.objects.exists()
    for callback in callbacks:
        callback()
    assert not any(stored(name) for name in files)
    entry = AuditEntry.objects.get(action="visit.delete", success=True)
    assert entry.object_id == str(visit.pk) and entry.object_type == "records.visit"
    assert entry.before is not None and entry.before["content"] == "到村召开座谈会"
    assert sorted(entry.before["files"]) == sorted(name or "" for name in files)


def test_six_must_update_replaces_and_clears_the_evidence_and_delete_audits(
    cast: Cast, six: SixMustRecord, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    old = six.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        six_must_update(
            actor=cast.unit_user,
            item=six,
            date=TODAY,
            kind=SixMust.PARTY_LESSON,
            content="联合党课",
            evidence=pdf("lesson.pdf"),
        )
    fresh = SixMustRecord.objects.get(pk=six.pk)
    assert (fresh.kind, fresh.content) == (SixMust.PARTY_LESSON, "联合党课")
    assert "lesson" in (fresh.evidence.name or "") and stored(fresh.evidence.name) and not stored(old)
    entry = AuditEntry.objects.get(action="six_must.update", success=True)
    assert entry.before is not None and entry.after is not None
    assert entry.before["kind"] == SixMust.JOINT_MEETING and entry.before["evidence"] == old
    assert entry.after["kind"] == SixMust.PARTY_LESSON and entry.after["evidence"] == fresh.evidence.name
    kept = fresh.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        six_must_update(actor=cast.unit_user, item=fresh, date=TODAY, kind=SixMust.PARTY_LESSON, content="党课")
    assert SixMustRecord.objects.get(pk=six.pk).evidence.name == kept  # no new file, no clearing: kept
    with django_capture_on_commit_callbacks(execute=True):
        six_must_update(
            actor=cast.unit_user,
            item=fresh,
            date=TODAY,
            kind=SixMust.PARTY_LESSON,
            content="党课",
            remove_evidence=True,
        )
    assert not SixMustRecord.objects.get(pk=six.pk).evidence and not stored(kept)
    with pytest.raises(ValidationError) as bad:
        six_must_update(
            actor=cast.unit_user,
            item=fresh,
            date=TODAY,
            kind=SixMust.PARTY_LESSON,
            content="党课",
            evidence=SimpleUploadedFile("run.exe", b"MZ"),
        )
    assert bad.value.messages[0].startswith("佐证材料只能是")
    six_must_delete(actor=cast.unit_user, item=fresh)
    assert not SixMustRecord.objects.exists()
    deleted = AuditEntry.objects.get(action="six_must.delete", success=True)
    assert deleted.object_id == str(six.pk) and (deleted.before or {})["content"] == "党课"


def test_delivery_update_and_delete_are_audited(cast: Cast, delivery: Delivery) -> None:
    delivery_update(
        actor=cast.unit_user,
        item=delivery,
        date=TODAY,
        kind=FiveDelivery.TECHNOLOGY,
        content="送技术下乡",
        amount=None,
    )
    fresh = Delivery.objects.get(pk=delivery.pk)
    assert (fresh.kind, fresh.content, fresh.amount) == (FiveDelivery.TECHNOLOGY, "送技术下乡", None)
    entry = AuditEntry.objects.get(action="delivery.update", success=True)
    assert entry.before == {"date": f"{YESTERDAY}", "kind": "funds", "content": "拨付资金", "amount": "20000.00"}
    assert entry.after == {"date": f"{TODAY}", "kind": "technology", "content": "送技术下乡", "amount": None}
    for bad, field in (
        (dict(amount=Decimal("-1")), "amount"),
        (dict(kind="money"), "kind"),
        (dict(content=" "), "content"),
    ):
        values: dict[str, Any] = {"date": TODAY, "kind": "policy", "content": "政策宣讲", "amount": None} | bad
        with pytest.raises(ValidationError) as refused:
            delivery_update(actor=cast.unit_user, item=fresh, **values)
        assert field in refused.value.message_dict
    assert Delivery.objects.get(pk=delivery.pk).content == "送技术下乡"
    delivery_delete(actor=cast.unit_user, item=fresh)
    assert not Delivery.objects.exists()
    deleted = AuditEntry.objects.get(action="delivery.delete", success=True)
    assert deleted.object_id == str(delivery.pk) and (deleted.before or {})["kind"] == "technology"


def _updates(visit: Visit, six: SixMustRecord, delivery: Delivery, day: datetime.date) -> list[Callable[[Any], Any]]:
    common: dict[str, Any] = {"date": day, "content": "改正"}
    return [
        lambda actor: visit_update(
            actor=actor, visit=visit, visitor_level=VisitorLevel.PRINCIPAL, visitors="某", **common
        ),
        lambda actor: six_must_update(actor=actor, item=six, kind=SixMust.PARTY_LESSON, **common),
        lambda actor: delivery_update(actor=actor, item=delivery, kind=FiveDelivery.POLICY, **common),
    ]


def _deletes(visit: Visit, six: SixMustRecord, delivery: Delivery) -> list[Callable[[Any], Any]]:
    return [
        lambda actor: visit_delete(actor=actor, visit=visit),
        lambda actor: six_must_delete(actor=actor, item=six),
        lambda actor: delivery_delete(actor=actor, item=delivery),
    ]


def _unchanged(visit: Visit, six: SixMustRecord, delivery: Delivery) -> bool:
    return (
        Visit.objects.get(pk=visit.pk).content == "到村召开座谈会"
        and SixMustRecord.objects.get(pk=six.pk).content == "联席会议"
        and Delivery.objects.get(pk=delivery.pk).content == "拨付资金"
    )


def test_only_the_unit_may_correct_or_remove(cast: Cast, visit: Visit, six: SixMustRecord, delivery: Delivery) -> None:
    for someone in (cast.village_user, cast.committee_admin, cast.city_admin, cast.outsider):
        for call in _updates(visit, six, delivery, TODAY) + _deletes(visit, six, delivery):
            with pytest.raises(PermissionDenied):
                call(someone)
    assert _unchanged(visit, six, delivery)


def test_an_ended_pairing_refuses_corrections_and_removals(
    cast: Cast, signed: Pairing, visit: Visit, six: SixMustRecord, delivery: Delivery
) -> None:
    end(signed)
    for item in (visit, six, delivery):
        item.pairing.refresh_from_db()
    for call in _updates(visit, six, delivery, TODAY) + _deletes(visit, six, delivery):
        with pytest.raises(RecordActionRefused) as refused:
            call(cast.unit_user)
        assert refused.value.code == "not_signed"
    assert _unchanged(visit, six, delivery)


def test_a_future_date_is_refused(cast: Cast, visit: Visit, six: SixMustRecord, delivery: Delivery) -> None:
    for call in _updates(visit, six, delivery, TOMORROW):
        with pytest.raises(ValidationError) as future:
            call(cast.unit_user)
        assert future.value.message_dict == {"date": ["日期不能晚于今天"]}
    assert _unchanged(visit, six, delivery)
    assert not AuditEntry.objects.filter(action__endswith=".update").exists()


def test_an_entry_deleted_meanwhile_is_refused_not_a_crash(cast: Cast, delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).delete()
    with pytest.raises(RecordActionRefused) as gone:
        delivery_delete(actor=cast.unit_user, item=delivery)
    assert gone.value.code == "gone"


# ---------------------------------------------------------------- pages


@pytest.fixture
def entries(visit: Visit, six: SixMustRecord, delivery: Delivery) -> dict[str, int]:
    return {"visit": visit.pk, "six": six.pk, "delivery": delivery.pk}


def urls(o: dict[str, int], action: str) -> list[str]:
    """The ``edit`` or ``delete`` URLs of the visit, the 六个一 and the 五送, in that order."""
    return [reverse(f"records:{kind}_{action}", args=[o[kind]]) for kind in ("visit", "six", "delivery")]


def good_posts(o: dict[str, int]) -> list[tuple[str, dict[str, str]]]:
    visit = {"date": f"{TODAY}", "visitor_level": "in_charge", "visitors": "王芳", "content": "改正后的走访"}
    return [
        (urls(o, "edit")[0], visit),
        (urls(o, "edit")[1], {"date": f"{TODAY}", "kind": "party_lesson", "content": "改正后的党课"}),
        (urls(o, "edit")[2], {"date": f"{TODAY}", "kind": "policy", "content": "改正后的五送", "amount": "5"}),
    ]


@pytest.mark.parametrize("who", ["outsider", "sibling_admin"])
def test_every_new_url_is_a_404_outside_the_scope(
    cast: Cast, visit: Visit, six: SixMustRecord, delivery: Delivery, entries: dict[str, int], who: str
) -> None:
    client = client_for(getattr(cast, who))
    writes = AuditEntry.objects.exclude(action="access_denied")
    before = writes.count()
    for url in urls(entries, "edit"):
        assert client.get(url).status_code == 404, url
    for url, data in good_posts(entries):
        assert client.post(url, data).status_code == 404, url
    for url in urls(entries, "delete"):
        assert client.post(url).status_code == 404, url
    assert writes.count() == before
    # Each refusal is on record as a denied access (issue 12 item 9).
    assert AuditEntry.objects.filter(action="access_denied", actor_username=getattr(cast, who).username).exists()
    assert _unchanged(visit, six, delivery)


def test_the_village_and_the_superior_see_no_buttons_and_may_not_write(
    cast: Cast, signed: Pairing, visit: Visit, six: SixMustRecord, delivery: Delivery, entries: dict[str, int]
) -> None:
    for user in (cast.village_user, cast.committee_admin):
        client = client_for(user)
        for tab in ("visits", "six", "deliveries"):
            page = client.get(reverse("records:archive", args=[signed.pk]) + f"?tab={tab}").content.decode()
            assert "/edit/" not in page and "/delete/" not in page, (user.username, tab)
        for url in urls(entries, "edit"):
            assert client.get(url).status_code == 403, url
        for url, data in good_posts(entries):
            assert client.post(url, data).status_code == 403, url
        for url in urls(entries, "delete"):
            assert client.post(url).status_code == 403, url
    assert _unchanged(visit, six, delivery)


def test_the_archive_offers_edit_and_delete_to_the_unit(cast: Cast, signed: Pairing, entries: dict[str, int]) -> None:
    client = client_for(cast.unit_user)
    archive = reverse("records:archive", args=[signed.pk])
    for tab, edit, delete in zip(
        ("visits", "six", "deliveries"), urls(entries, "edit"), urls(entries, "delete"), strict=True
    ):
        page = client.get(f"{archive}?tab={tab}").content.decode()
        assert f'href="{edit}"' in page and f'action="{delete}"' in page and "data-confirm=" in page, tab


def test_edit_forms_are_filled_in_from_the_entry(cast: Cast, visit: Visit, entries: dict[str, int]) -> None:
    client = client_for(cast.unit_user)
    visit_page, six_page, delivery_page = (client.get(url).content.decode() for url in urls(entries, "edit"))
    assert f'value="{YESTERDAY:%Y-%m-%d}"' in visit_page and 'value="李建国 党委书记"' in visit_page
    assert "到村召开座谈会" in visit_page and '<option value="principal" selected>' in visit_page
    for photo in visit.photos.all():  # each photo is a checkbox to remove it, with the picture as its label
        assert f'name="remove_photos" value="{photo.pk}"' in visit_page
        assert reverse("files:visit_photo", args=[visit.pk, photo.pk]) in visit_page
    assert reverse("records:visit_delete", args=[visit.pk]) in visit_page
    assert "联席会议" in six_page and '<option value="joint_meeting" selected>' in six_page
    assert "evidence-clear" in six_page  # the current file can be cleared
    assert "拨付资金" in delivery_page and 'value="20000.00"' in delivery_page


def test_a_bad_correction_keeps_what_was_typed(cast: Cast, visit: Visit, entries: dict[str, int]) -> None:
    client = client_for(cast.unit_user)
    url = urls(entries, "edit")[0]
    empty = client.post(url, {"date": f"{TODAY}", "visitor_level": "principal", "visitors": "王芳 改正", "content": ""})
    assert empty.status_code == 200
    assert 'value="王芳 改正"' in empty.content.decode() and "has-error" in empty.content.decode()
    future = client.post(
        url, {"date": f"{TOMORROW}", "visitor_level": "principal", "visitors": "王芳", "content": "改正后的内容"}
    )
    body = future.content.decode()
    assert future.status_code == 200 and "日期不能晚于今天" in body and "改正后的内容" in body
    delivery = client.post(
        urls(entries, "edit")[2], {"date": f"{TODAY}", "kind": "policy", "content": "", "amount": "7"}
    )
    assert delivery.status_code == 200 and 'value="7"' in delivery.content.decode()
    assert Visit.objects.get(pk=visit.pk).visitors == "李建国 党委书记"


def test_good_corrections_save_and_go_back_to_the_tab(
    cast: Cast, visit: Visit, entries: dict[str, int], django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    client = client_for(cast.unit_user)
    for (url, data), tab in zip(good_posts(entries), ("visits", "six", "deliveries"), strict=True):
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].endswith(f"?tab={tab}"), url
        assert "已修改" in client.get(response["Location"]).content.decode()
    assert Visit.objects.get().content == "改正后的走访"
    assert SixMustRecord.objects.get().content == "改正后的党课"
    assert Delivery.objects.get().amount == Decimal("5")
    # Photos through the page: tick one off, add one.
    gone = visit.photos.order_by("pk").first()
    assert gone is not None
    photo_data: dict[str, Any] = good_posts(entries)[0][1] | {
        "remove_photos": [str(gone.pk)],
        "photos": [jpeg("n.jpg")],
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(urls(entries, "edit")[0], photo_data).status_code == 302
    names = [p.image.name or "" for p in Visit.objects.get().photos.all()]
    assert len(names) == 2 and gone.image.name not in names and any(Path(n).name.startswith("n") for n in names)
    # Clearing the 六个一 evidence through the page.
    six_data = good_posts(entries)[1][1] | {"evidence-clear": "on"}
    assert client.post(urls(entries, "edit")[1], six_data).status_code == 302
    assert not SixMustRecord.objects.get().evidence


def test_delete_is_post_only_and_removes(cast: Cast, entries: dict[str, int]) -> None:
    client = client_for(cast.unit_user)
    for url in urls(entries, "delete"):
        assert client.get(url).status_code == 405, url
    assert Visit.objects.count() == SixMustRecord.objects.count() == Delivery.objects.count() == 1
    for url, tab in zip(urls(entries, "delete"), ("visits", "six", "deliveries"), strict=True):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].endswith(f"?tab={tab}")
        assert "已删除" in client.get(response["Location"]).content.decode()
    assert not Visit.objects.exists() and not SixMustRecord.objects.exists() and not Delivery.objects.exists()
    assert AuditEntry.objects.filter(action__endswith=".delete", success=True).count() == 3


def test_an_ended_pairing_keeps_its_entries_with_a_reason(cast: Cast, signed: Pairing, entries: dict[str, int]) -> None:
    end(signed)
    client = client_for(cast.unit_user)
    response = client.post(urls(entries, "delete")[2], follow=True)
    assert "未处于已签约状态" in response.content.decode()
    assert Delivery.objects.exists()
    assert client.get(urls(entries, "edit")[2]).status_code == 403


def test_the_edit_page_and_the_archive_in_english(cast: Cast, signed: Pairing, entries: dict[str, int]) -> None:
    client = client_for(cast.unit_user)
    # The middleware leaves English active in this thread; override puts the previous language back.
    with translation.override(settings.LANGUAGE_CODE):
        page = client.get(urls(entries, "edit")[0], HTTP_ACCEPT_LANGUAGE="en").content.decode()
        archive = client.get(reverse("records:archive", args=[signed.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Edit visit" in page and "Photos already taken" in page and "修改走访记录" not in page
    # The tabs are translated per request, not once when the module was imported.
    assert "Six annual musts" in archive and "Five deliveries" in archive and ">六个一<" not in archive

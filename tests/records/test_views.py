"""Records pages: scope (outsider and sibling county admin get 404 on every detail and write,
nothing in lists), the phone forms keep what the user typed on errors, and the main flows
work through the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.records.choices import CardStatus
from gongjian.records.models import (
    Contact,
    FeedbackCard,
    InspectionNotice,
    Milestone,
    PerformanceCard,
    Project,
    QuarterlyReport,
    Visit,
)
from gongjian.records.services_archive import milestone_create, project_create, visit_create
from gongjian.records.services_cards import feedback_enter, performance_card_save
from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.records.test_archive_services import jpeg

TODAY = datetime.date.today()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def objects(cast: Cast, signed: Pairing) -> dict[str, int]:
    visit = visit_create(
        actor=cast.unit_user,
        pairing=signed,
        date=TODAY,
        visitor_level="principal",
        visitors="李建国 党委书记",
        content="座谈会",
    )
    project = project_create(
        actor=cast.unit_user,
        pairing=signed,
        name="光伏电站",
        goal="增收",
        budget=Decimal("1000"),
        start=TODAY,
        end=TODAY,
    )
    milestone = milestone_create(actor=cast.unit_user, project=project, title="招标", due=TODAY)
    contact = Contact.objects.create(pairing=signed, side="unit", name="李建国", phone="13912345678")
    feedback = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="王大爷", opinion="修渠")
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=TODAY, work="走访", submit=True)
    report = QuarterlyReport.objects.create(organization=cast.unit, year=TODAY.year, quarter=1, body="报告")
    notice = InspectionNotice.objects.create(organization=cast.county, year=TODAY.year, half=1, sha256="0" * 64)
    return {
        "pairing": signed.pk,
        "visit": visit.pk,
        "project": project.pk,
        "milestone": milestone.pk,
        "contact": contact.pk,
        "feedback": feedback.pk,
        "card": card.pk,
        "report": report.pk,
        "notice": notice.pk,
    }


def detail_urls(o: dict[str, int]) -> list[str]:
    p = o["pairing"]
    return [
        reverse("records:archive", args=[p]),
        reverse("records:archive", args=[p]) + "?tab=cards",
        reverse("records:visit_new", args=[p]),
        reverse("records:six_new", args=[p]),
        reverse("records:delivery_new", args=[p]),
        reverse("records:project_new", args=[p]),
        reverse("records:contacts", args=[p]),
        reverse("records:feedback_new", args=[p]),
        reverse("records:card_edit", args=[p]),
        reverse("records:project", args=[o["project"]]),
        reverse("records:feedback", args=[o["feedback"]]),
        reverse("records:card", args=[o["card"]]),
        reverse("records:report", args=[o["report"]]),
        reverse("records:notice_pdf", args=[o["notice"]]),
    ]


def write_posts(o: dict[str, int]) -> list[tuple[str, dict[str, str]]]:
    p = o["pairing"]
    visit = {"date": f"{TODAY}", "visitor_level": "principal", "visitors": "某", "content": "某"}
    return [
        (reverse("records:visit_new", args=[p]), visit),
        (reverse("records:six_new", args=[p]), {"date": f"{TODAY}", "kind": "volunteer", "content": "某"}),
        (reverse("records:delivery_new", args=[p]), {"date": f"{TODAY}", "kind": "policy", "content": "某"}),
        (reverse("records:contacts", args=[p]), {"side": "unit", "name": "某"}),
        (reverse("records:contact_prefill", args=[p]), {}),
        (reverse("records:feedback_new", args=[p]), {"villager_name": "某", "opinion": "某"}),
        (reverse("records:card_edit", args=[p]), {"month": f"{TODAY:%Y-%m}", "work": "某", "submit": "1"}),
        (reverse("records:project", args=[o["project"]]), {"action": "progress", "status": "done", "progress": "100"}),
        (reverse("records:milestone_done", args=[o["milestone"]]), {}),
        (reverse("records:contact_delete", args=[o["contact"]]), {}),
        (reverse("records:feedback", args=[o["feedback"]]), {"answer": "某"}),
        (reverse("records:feedback_close", args=[o["feedback"]]), {}),
        (reverse("records:card", args=[o["card"]]), {"countersign": "1", "village_comment": "属实"}),
        (reverse("records:card_acknowledge", args=[o["card"]]), {}),
    ]


@pytest.mark.parametrize("who", ["outsider", "sibling_admin"])
def test_outsider_and_sibling_admin_get_404_and_see_nothing(cast: Cast, objects: dict[str, int], who: str) -> None:
    client = client_for(getattr(cast, who))
    for url in detail_urls(objects):
        assert client.get(url).status_code == 404, url
    writes = AuditEntry.objects.exclude(action="access_denied")
    before = writes.count()
    for url, data in write_posts(objects):
        assert client.post(url, data).status_code == 404, url
    assert writes.count() == before  # nothing was written, not even a failure
    # …but every refused request is on record as a denied access (issue 12 item 9).
    denied = AuditEntry.objects.filter(action="access_denied", actor_username=getattr(cast, who).username)
    assert denied.count() >= len(write_posts(objects))
    assert Visit.objects.count() == 1 and Contact.objects.count() == 1
    assert FeedbackCard.objects.get().status == "open"
    assert PerformanceCard.objects.get().status == CardStatus.SUBMITTED
    for name in ("records:index", "records:feedback_list", "records:card_list", "records:reports"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        body = response.content.decode()
        assert "花家村" not in body and "商南县农业农村局" not in body, name
    # Their quarterly-report page lists none of our units.
    assert "商南县农业农村局" not in client.get(reverse("records:reports")).content.decode()


def test_the_superior_sees_but_cannot_write(cast: Cast, objects: dict[str, int]) -> None:
    for user in (cast.committee_admin, cast.city_admin):
        client = client_for(user)
        for url in detail_urls(objects)[:2] + detail_urls(objects)[6:7] + detail_urls(objects)[9:13]:
            assert client.get(url).status_code == 200, url
        for url in detail_urls(objects)[2:6]:
            assert client.get(url).status_code == 403, url
        assert client.post(write_posts(objects)[0][0], write_posts(objects)[0][1]).status_code == 403
    assert Visit.objects.count() == 1


def test_visit_form_on_the_phone_keeps_input_and_saves_with_photo(cast: Cast, signed: Pairing) -> None:
    client = client_for(cast.unit_user)
    url = reverse("records:visit_new", args=[signed.pk])
    page = client.get(url).content.decode()
    assert 'accept="image/*"' in page and "capture" in page and f'value="{TODAY:%Y-%m-%d}"' in page
    bad = client.post(url, {"date": f"{TODAY}", "visitor_level": "principal", "visitors": "王芳 办公室主任"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "王芳 办公室主任" in body and "has-error" in body
    future = TODAY + datetime.timedelta(days=3)
    bad_date = client.post(
        url, {"date": f"{future}", "visitor_level": "principal", "visitors": "王芳", "content": "走访农户"}
    )
    assert "日期不能晚于今天" in bad_date.content.decode() and "走访农户" in bad_date.content.decode()
    ok = client.post(
        url,
        {"date": f"{TODAY}", "visitor_level": "in_charge", "visitors": "王芳", "content": "走访", "photos": [jpeg()]},
    )
    assert ok.status_code == 302 and ok["Location"].endswith("?tab=visits")
    visit = Visit.objects.get()
    assert visit.photos.count() == 1
    archive = client.get(ok["Location"]).content.decode()
    assert "王芳" in archive and reverse("files:visit_photo", args=[visit.pk, visit.photos.get().pk]) in archive


def test_card_pages_submit_return_and_countersign(cast: Cast, signed: Pairing) -> None:
    unit, village = client_for(cast.unit_user), client_for(cast.village_user)
    url = reverse("records:card_edit", args=[signed.pk])
    empty = unit.post(url, {"month": f"{TODAY:%Y-%m}", "work": "", "submit": "1"})
    assert empty.status_code == 200 and f'value="{TODAY:%Y-%m}"' in empty.content.decode()
    done = unit.post(url, {"month": f"{TODAY:%Y-%m}", "work": "本月走访两次", "submit": "1"})
    card = PerformanceCard.objects.get()
    assert done.status_code == 302 and card.status == CardStatus.SUBMITTED
    detail = reverse("records:card", args=[card.pk])
    assert "会签" in village.get(detail).content.decode()
    assert unit.post(detail, {"countersign": "1"}).status_code == 403
    village.post(detail, {"return": "1", "comment": "请补充走访日期"})
    card.refresh_from_db()
    assert card.status == CardStatus.RETURNED
    assert "请补充走访日期" in unit.get(f"{url}?month={TODAY:%Y-%m}").content.decode()
    unit.post(url, {"month": f"{TODAY:%Y-%m}", "work": "3日、18日到村走访", "submit": "1"})
    village.post(detail, {"countersign": "1", "village_comment": ""})  # 签注意见 is required (seed 000)
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED
    village.post(detail, {"countersign": "1", "village_comment": "情况属实，群众满意"})
    card.refresh_from_db()
    assert card.status == CardStatus.COUNTERSIGNED and card.village_comment == "情况属实，群众满意"
    committee = client_for(cast.committee_admin)
    listing = committee.get(reverse("records:card_list")).content.decode()
    assert "村已会签" in listing and "待上级党委收阅" in listing
    assert "情况属实，群众满意" in committee.get(detail).content.decode()
    acknowledge = reverse("records:card_acknowledge", args=[card.pk])
    assert unit.post(acknowledge).status_code == 302  # refused with a message, nothing written
    card.refresh_from_db()
    assert card.acknowledged_at is None
    assert committee.post(acknowledge).status_code == 302
    card.refresh_from_db()
    assert card.acknowledged_by == cast.committee_admin
    assert "待上级党委收阅" not in committee.get(reverse("records:card_list")).content.decode()


def test_contact_card_masks_phones_in_the_list(cast: Cast, signed: Pairing) -> None:
    Contact.objects.create(pairing=signed, side="village", name="张秀英", post="书记", phone="13912345678")
    body = client_for(cast.unit_user).get(reverse("records:contacts", args=[signed.pk])).content.decode()
    assert "张秀英" in body and "13912345678" not in body
    # The print layout is in the records style sheet (no inline style under the CSP).
    assert "records/records.css" in body
    assert "@media print" in (Path(__file__).parents[2] / "gongjian/records/static/records/records.css").read_text()


def test_project_page_updates_progress(cast: Cast, objects: dict[str, int]) -> None:
    client = client_for(cast.unit_user)
    url = reverse("records:project", args=[objects["project"]])
    bad = client.post(url, {"action": "progress", "status": "done", "progress": "70"})
    assert bad.status_code == 200 and "100%" in bad.content.decode()
    client.post(url, {"action": "progress", "status": "in_progress", "progress": "70"})
    assert Project.objects.get().progress == 70
    client.post(reverse("records:milestone_done", args=[objects["milestone"]]))
    assert Milestone.objects.get().done_on == TODAY

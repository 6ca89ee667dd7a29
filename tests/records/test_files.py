"""Uploaded and generated files through their scoped views: every kind (visit photo, 六个一
evidence, project evidence, transfer and use vouchers, agreement, inspection notice) reaches
its owner with its type, a Chinese name and private headers; an outsider and another county's
admin get 404, an anonymous visitor the login page; there is no public /media/; an archived
document whose SHA-256 changed is refused in Chinese and the refusal is audited."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.funds.models import Transfer, Use
from gongjian.records.models import InspectionNotice, Project, ProjectEvidence, SixMustRecord, Visit, VisitPhoto
from gongjian.rounds.models import Agreement, Pairing
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PDF = b"%PDF-1.4\n% evidence\n"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (10, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Kind:
    """One kind of file: its URL, who owns it, the type and the start of the saved name."""

    url: str
    owner: User
    content_type: str
    name_starts: str
    body: bytes
    inline: bool


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def disposition_name(header: str) -> str:
    kind, _sep, rest = header.partition("; filename*=UTF-8''")
    assert kind in ("inline", "attachment") and rest, header
    return unquote(rest)


@pytest.fixture
def kinds(cast: Cast, signed: Pairing) -> dict[str, Kind]:
    """One stored file of every kind on the signed pair of the unit and 花家村."""
    day = TODAY - datetime.timedelta(days=3)
    photo_bytes = jpeg_bytes()
    visit = Visit.objects.create(
        pairing=signed, date=day, visitor_level="principal", visitors="李建国 党委书记", content="座谈"
    )
    photo = VisitPhoto.objects.create(visit=visit, image=ContentFile(photo_bytes, name="p.jpg"))
    six = SixMustRecord.objects.create(
        pairing=signed, date=day, kind="joint_meeting", content="联席会议", evidence=ContentFile(PDF, name="e.pdf")
    )
    project = Project.objects.create(
        pairing=signed, name="茶园提升", goal="增收", budget=Decimal(1000), start=day, end=day
    )
    evidence = ProjectEvidence.objects.create(project=project, file=ContentFile(PDF, name="x.pdf"), note="验收报告")
    transfer = Transfer.objects.create(
        pairing=signed, date=day, amount=Decimal(20000), voucher=ContentFile(PDF, name="t.pdf"),
        recorded_by=cast.unit_user,
    )  # fmt: skip
    use = Use.objects.create(
        village=cast.village, pairing=signed, date=day, amount=Decimal(500), purpose="修路",
        voucher=ContentFile(photo_bytes, name="u.jpg"), recorded_by=cast.village_user,
    )  # fmt: skip
    notice = InspectionNotice.objects.create(
        organization=cast.county, year=TODAY.year, half=1, pdf=ContentFile(PDF, name="n.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )  # fmt: skip
    agreement = Agreement.objects.get(pairing=signed)
    signed_bytes = default_storage.open(agreement.signed_pdf.name).read()
    year = signed.round.term_start.year
    return {
        "photo": Kind(
            reverse("files:visit_photo", args=[visit.pk, photo.pk]), cast.unit_user, "image/jpeg",
            f"走访照片-花家村-{day.isoformat()}-1.jpg", photo_bytes, True,
        ),
        "six": Kind(
            reverse("files:six_must_evidence", args=[six.pk]), cast.village_user, "application/pdf",
            f"六个一佐证-花家村-{day.isoformat()}-一次联席会议.pdf", PDF, True,
        ),
        "project": Kind(
            reverse("files:project_evidence", args=[project.pk, evidence.pk]), cast.unit_user, "application/pdf",
            "项目佐证-茶园提升-验收报告.pdf", PDF, True,
        ),
        "transfer": Kind(
            reverse("funds:transfer_voucher", args=[transfer.pk]), cast.village_user, "application/pdf",
            f"拨付凭证-花家村-{day.isoformat()}.pdf", PDF, True,
        ),
        "use": Kind(
            reverse("funds:use_voucher", args=[use.pk]), cast.unit_user, "image/jpeg",
            f"支出凭证-花家村-{day.isoformat()}.jpg", photo_bytes, True,
        ),
        "agreement": Kind(
            reverse("rounds:agreement_pdf", args=[signed.pk]), cast.village_user, "application/pdf",
            f"共建协议书（已签署）-花家村-{year}.pdf", signed_bytes, True,
        ),
        "notice": Kind(
            reverse("records:notice_pdf", args=[notice.pk]), cast.committee_admin, "application/pdf",
            f"督查通报-商南县委-{TODAY.year}上半年.pdf", PDF, True,
        ),
    }  # fmt: skip


KINDS = ["photo", "six", "project", "transfer", "use", "agreement", "notice"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_owner_gets_the_file_with_its_type_name_and_private_headers(kinds: dict[str, Kind], kind: str) -> None:
    k = kinds[kind]
    response = client_for(k.owner).get(k.url)
    assert response.status_code == 200, (kind, response.status_code)
    assert b"".join(response.streaming_content) == k.body
    assert response["Content-Type"] == k.content_type
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.isascii() and disposition.startswith("inline" if k.inline else "attachment")
    assert disposition_name(disposition) == k.name_starts


@pytest.mark.parametrize("kind", KINDS)
def test_outsider_and_another_countys_admin_get_404_and_anonymous_the_login(
    cast: Cast, kinds: dict[str, Kind], kind: str
) -> None:
    k = kinds[kind]
    for stranger in (cast.outsider, cast.sibling_admin):
        assert client_for(stranger).get(k.url).status_code == 404, (kind, stranger.username)
    anonymous = client_for(None).get(k.url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_photo_of_another_visit_is_not_served_under_this_visit(cast: Cast, kinds: dict[str, Kind]) -> None:
    photo = VisitPhoto.objects.get()
    other = Visit.objects.create(
        pairing=photo.visit.pairing, date=TODAY, visitor_level="in_charge", visitors="王芳", content="回访"
    )
    client = client_for(cast.unit_user)
    assert client.get(reverse("files:visit_photo", args=[other.pk, photo.pk])).status_code == 404


def test_no_public_media_url(cast: Cast, kinds: dict[str, Kind]) -> None:
    photo = VisitPhoto.objects.get()
    for user in (None, cast.unit_user):
        assert client_for(user).get(f"/media/{photo.image.name}").status_code == 404


Tamper = Callable[[str], None]


def overwrite(name: str) -> None:
    """Change a stored file behind the platform's back (as someone with disk access might)."""
    path = Path(settings.MEDIA_ROOT) / name
    path.write_bytes(path.read_bytes() + b"% changed\n")


@pytest.mark.parametrize("kind", ["agreement", "notice"])
def test_a_changed_archived_document_is_refused_in_chinese_and_audited(
    cast: Cast, kinds: dict[str, Kind], kind: str
) -> None:
    k = kinds[kind]
    if kind == "agreement":
        stored, action = Agreement.objects.get().signed_pdf.name, "agreement.download"
    else:
        stored, action = InspectionNotice.objects.get().pdf.name, "inspection_notice.download"
    client = client_for(k.owner)
    assert client.get(k.url).status_code == 200
    assert AuditEntry.objects.filter(action=action, success=True).count() == 1
    overwrite(stored)
    refused = client.get(k.url)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "摘要" in page and "已拒绝下载" in page and "%PDF" not in page
    entry = AuditEntry.objects.get(action=action, success=False)
    assert entry.actor_id == k.owner.pk and "SHA-256" in entry.reason

"""The 流出党员管理协议书 download: a Chinese name, private headers, checked against its
stored SHA-256 (a changed file is refused and the refusal audited), 404 outside the scope."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.members.models import MobileMember
from gongjian.members.services_mobile import agreement_generate
from tests.conftest import Cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_member_agreement_download(cast: Cast, member: MobileMember) -> None:
    agreement = agreement_generate(actor=cast.village_user, member=member)
    url = reverse("members:agreement_pdf", args=[member.pk])
    response = client_for(cast.village_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    expected = f"流出党员管理协议书-{member.person.name}-{member.left_on.year}.pdf"
    assert unquote(disposition.split("''", 1)[1]) == expected
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"

    hospital = make_user("hospital", "unit_user", cast.sibling_unit)
    for stranger in (cast.outsider, hospital):
        assert client_for(stranger).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302

    path = Path(settings.MEDIA_ROOT) / agreement.pdf.name
    path.write_bytes(path.read_bytes() + b"% changed\n")
    refused = client_for(cast.village_user).get(url)
    assert refused.status_code == 409 and "已拒绝下载" in refused.content.decode()
    assert AuditEntry.objects.filter(action="member_agreement.download", success=False).count() == 1

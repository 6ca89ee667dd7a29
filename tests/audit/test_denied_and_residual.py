"""Refused requests are audited (issue 12 item 9) and signed-in pages and downloads are not
kept by browsers or proxies (item 11)."""

from __future__ import annotations

from django.test import Client

from gongjian.audit.models import AuditEntry
from tests.conftest import Cast


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_object_outside_the_scope_is_a_404_on_record(cast: Cast) -> None:
    response = _client(cast.outsider).get(f"/orgs/{cast.village.pk}/")
    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="access_denied")
    assert (entry.actor_username, entry.success) == (cast.outsider.username, False)
    assert entry.after == {"method": "GET", "path": f"/orgs/{cast.village.pk}/", "status": 404}


def test_a_mistyped_address_and_an_allowed_page_are_not_denials(cast: Cast) -> None:
    client = _client(cast.committee_admin)
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(f"/orgs/{cast.village.pk}/").status_code == 200
    assert not AuditEntry.objects.filter(action="access_denied").exists()


def test_signed_in_pages_are_no_store_and_public_ones_are_not(cast: Cast) -> None:
    page = _client(cast.committee_admin).get(f"/orgs/{cast.village.pk}/")
    assert "no-store" in page["Cache-Control"]
    public = Client().get("/portal/")
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")


def test_downloads_are_no_store(cast: Cast) -> None:
    response = _client(cast.city_admin).get("/orgs/export/organizations.csv")
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

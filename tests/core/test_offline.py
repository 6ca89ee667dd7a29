"""Intranets have no internet: no page references an external host, and every asset is served."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from gongjian.orgs.models import Person
from tests.conftest import Cast

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1|localhost|testserver)""", re.I)
ASSET = re.compile(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)["']""")


def pages(cast: Cast) -> list[str]:
    person = Person.objects.get(name="张秀英")
    return [
        "/",
        "/orgs/",
        "/orgs/?q=hjc",
        f"/orgs/{cast.village.pk}/",
        f"/orgs/{cast.village.pk}/edit/",
        f"/orgs/{cast.county.pk}/new/",
        "/orgs/people/",
        f"/orgs/people/{person.pk}/",
        "/orgs/import/organizations/",
        "/orgs/import/people/",
        "/audit/",
        "/accounts/password/",
        "/api/docs",
    ]


def test_no_page_references_an_external_host(cast: Cast) -> None:
    anonymous = Client()
    checked = 0
    for body in [anonymous.get("/accounts/login/").content.decode()]:
        assert not EXTERNAL.search(body)
    client, auditor = Client(), Client()
    client.force_login(cast.city_admin)
    auditor.force_login(cast.auditor)  # the audit log is the audit administrator's alone (三员分立)
    for url in pages(cast):
        response = (auditor if url.startswith("/audit/") else client).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        match = EXTERNAL.search(body)
        assert match is None, f"{url} references an external host: {body[match.start() : match.start() + 120]}"
        for asset in ASSET.findall(body):
            assert finders.find(asset.removeprefix("/static/")), f"{url} links {asset}, which is not served"
            checked += 1
    assert checked >= 10  # the check above really looked at assets


@pytest.mark.parametrize("asset", ["vendor/htmx/htmx.min.js", "vendor/echarts/echarts.min.js", "gongjian/gongjian.css"])
def test_assets_are_served_by_the_app(cast: Cast, asset: str) -> None:
    response = Client().get(f"/static/{asset}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])

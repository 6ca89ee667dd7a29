"""Bad input is a 4xx with a reason, never a 500: a NUL character anywhere in a request (it
cannot reach PostgreSQL), page numbers past bigint on the pages and in the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import Cast

HUGE = "9223372036854775807"


def _parameterless_pages(patterns: Any = None, prefix: str = "") -> list[str]:
    """Every address of the site that takes no parameter (the lists and search pages), from
    the URL configuration itself, so that a new page is covered without being named here."""
    found: list[str] = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(" in route or route.startswith("^"):
            continue  # takes a parameter (or is a regex: django-admin's, static files)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("api/", "django-admin/")):
                found += _parameterless_pages(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and not route.endswith((".xlsx", ".csv", ".pdf", ".json")):
            found.append("/" + prefix + route)
    return sorted(set(found))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_nul_in_any_query_is_400_with_a_reason_on_every_page(cast: Cast) -> None:
    pages = _parameterless_pages()
    assert "/orgs/" in pages and "/audit/" in pages and len(pages) >= 30, pages
    client = client_for(cast.city_admin)
    answers = {page: client.get(page, {"q": "花\x00家", "status": "x\x00"}) for page in pages}
    assert {page: r.status_code for page, r in answers.items() if r.status_code != 400} == {}
    body = answers["/orgs/"].content.decode()
    assert "空字符（NUL）" in body and "查询参数" in body
    english = client.get("/orgs/", {"q": "\x00"}, headers={"accept-language": "en"}).content.decode()
    assert "contain a NUL character" in english and "query parameters" in english
    # The key too, and anonymous visitors of the public pages.
    assert client.get("/orgs/", {"q\x00": "1"}).status_code == 400
    assert Client().get("/portal/", {"q": "\x00"}).status_code == 400


@pytest.mark.django_db
def test_page_numbers_past_bigint_are_not_a_500_on_any_page(cast: Cast) -> None:
    client = client_for(cast.city_admin)
    answers = {page: client.get(page, {"page": HUGE}).status_code for page in _parameterless_pages()}
    assert {page: status for page, status in answers.items() if status >= 500} == {}
    assert answers["/orgs/"] == 200
    assert client.get("/orgs/", {"page": "1" * 5000}).status_code == 200


@pytest.mark.django_db
def test_a_nul_in_a_form_post_or_a_file_name_is_400(cast: Cast) -> None:
    client = client_for(cast.city_admin)
    response = client.post(f"/orgs/{cast.village.pk}/edit/", {"name": "花家村\x00党支部"})
    assert response.status_code == 400 and "表单内容" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("名册\x00.csv", "组织代码\nC0004\n".encode())
    response = client.post("/orgs/import/organizations/", {"file": upload})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_api_answers_400_json_for_nul_and_422_for_a_page_past_bigint(cast: Cast) -> None:
    client = client_for(cast.city_admin)
    response = client.get("/api/orgs/", {"q": "\x00"})
    assert response.status_code == 400 and response.json()["code"] == "nul_character"
    assert "空字符" in response.json()["detail"]
    response = client.get("/api/orgs/", {"page": HUGE})
    assert response.status_code == 422 and "page" in response.json()["detail"]
    assert client.get("/api/orgs/", {"page": "1000000"}).json()["items"] == []
    assert client.get("/api/orgs/people/", {"page_size": "101"}).status_code == 422
    # A NUL escaped inside a JSON body: the same 400, nothing written.
    body = json.dumps({"capacity": 3, "needs": ["funds\u0000"]})
    response = client.patch(f"/api/orgs/{cast.village.pk}", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"
    # An escaped backslash followed by "u0000" is text, not a NUL.
    response = client.get("/api/orgs/", {"q": "\\u0000"})
    assert response.status_code == 200

"""Data scope: every list, detail, export and API call, for every role of the cast."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.orgs.models import Person
from gongjian.orgs.selectors import organization_list, person_list
from tests.conftest import Cast


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(user) -> set[str]:
    return set(organization_list(user=user).values_list("code", flat=True))


def test_each_role_sees_exactly_its_subtree(cast: Cast) -> None:
    city_codes = {f"C{n:04d}" for n in range(1, 11)}
    assert codes(cast.city_admin) == city_codes
    assert codes(cast.committee_admin) == {"C0002", "C0003", "C0004", "C0005", "C0006"}
    assert codes(cast.sibling_admin) == {"C0007", "C0008", "C0009", "C0010"}
    assert codes(cast.unit_user) == {"C0006"}
    assert codes(cast.village_user) == {"C0004"}
    assert codes(cast.auditor) == set()
    assert codes(cast.outsider) == {"X0001"}


def test_committee_admin_never_sees_sibling_people(cast: Cast) -> None:
    names = set(person_list(user=cast.committee_admin).values_list("name", flat=True))
    assert names == {"张秀英", "李建国"}
    assert "王磊" not in set(person_list(user=cast.committee_admin).values_list("name", flat=True))
    assert set(person_list(user=cast.sibling_admin).values_list("name", flat=True)) == {"王磊"}
    assert not person_list(user=cast.outsider).exists()


def _detail_urls(cast: Cast) -> list[tuple[str, str]]:
    person = Person.objects.get(name="张秀英")
    return [
        ("get", reverse("orgs:detail", args=[cast.village.pk])),
        ("get", reverse("orgs:edit", args=[cast.village.pk])),
        ("post", reverse("orgs:edit", args=[cast.village.pk])),
        ("get", reverse("orgs:create", args=[cast.village.pk])),
        ("get", reverse("orgs:person_create", args=[cast.village.pk])),
        ("get", reverse("orgs:person_detail", args=[person.pk])),
        ("get", reverse("orgs:person_edit", args=[person.pk])),
        ("post", reverse("orgs:person_reveal", args=[person.pk])),
        ("get", f"/api/orgs/{cast.village.pk}"),
        ("patch", f"/api/orgs/{cast.village.pk}"),
        ("get", f"/api/orgs/people/{person.pk}"),
    ]


@pytest.mark.parametrize("who", ["outsider", "sibling_admin", "unit_user", "auditor"])
def test_objects_outside_scope_are_404(cast: Cast, who: str) -> None:
    client = client_for(getattr(cast, who))
    for method, url in _detail_urls(cast):
        if method == "patch":
            response = client.patch(url, data=json.dumps({"capacity": 3}), content_type="application/json")
        else:
            response = getattr(client, method)(url)
        assert response.status_code == 404, (who, method, url, response.status_code)


def test_objects_inside_scope_are_visible(cast: Cast) -> None:
    for user in (cast.city_admin, cast.committee_admin, cast.village_user):
        client = client_for(user)
        assert client.get(reverse("orgs:detail", args=[cast.village.pk])).status_code == 200
        assert client.get(f"/api/orgs/{cast.village.pk}").status_code == 200


LIST_URLS = [
    "/orgs/",
    "/orgs/?q=hjc",
    "/orgs/people/",
    "/orgs/export/organizations.xlsx",
    "/orgs/export/organizations.csv",
    "/orgs/export/people.csv",
    "/orgs/export/people.csv?full=1",
    "/api/orgs/",
    "/api/orgs/?q=hua",
    "/api/orgs/people/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_and_exports_give_outsiders_nothing_of_the_city(cast: Cast, url: str) -> None:
    for user in (cast.outsider, cast.sibling_admin):
        response = client_for(user).get(url)
        assert response.status_code == 200
        body = _text(url, response.content)
        for secret in ("花家村", "C0004", "张秀英", "李建国", "商南县农业农村局"):
            assert secret not in body, (user.username, url, secret)


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_and_exports_show_the_scope(cast: Cast, url: str) -> None:
    response = client_for(cast.committee_admin).get(url)
    body = _text(url, response.content)
    expected = "张秀英" if "people" in url else "花家村"
    assert expected in body, url


def test_auditor_and_anonymous_get_no_registry(cast: Cast) -> None:
    anonymous = Client()
    assert anonymous.get("/orgs/").status_code == 302  # to the login page
    assert anonymous.get("/api/orgs/").status_code == 401
    auditor = client_for(cast.auditor)
    assert auditor.get("/orgs/export/organizations.csv").status_code == 404
    assert auditor.get("/orgs/import/organizations/").status_code == 404


def _text(url: str, content: bytes) -> str:
    """The response as text a person would read (JSON unescaped, xlsx cells joined)."""
    if url.startswith("/api/"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    if ".xlsx" in url:
        return _xlsx_text(content)
    return content.decode("utf-8-sig")


def _xlsx_text(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )

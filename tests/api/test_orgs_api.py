"""The registry API: scoped, masked, and every error a 4xx with a reason."""

from __future__ import annotations

import json

from django.test import Client

from gongjian.orgs.models import Person
from tests.conftest import Cast


def api_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_is_paginated_and_scoped(cast: Cast) -> None:
    data = api_client(cast.committee_admin).get("/api/orgs/?kind=village").json()
    assert data["count"] == 2 and {o["name"] for o in data["items"]} == {"花家村党支部", "王家沟村党支部"}
    village = next(o for o in data["items"] if o["code"] == "C0004")
    assert village["tags"] == ["weak"] and village["needs"] == ["funds", "technology"]


def test_people_are_masked(cast: Cast) -> None:
    person = Person.objects.get(name="张秀英")
    data = api_client(cast.city_admin).get(f"/api/orgs/people/{person.pk}").json()
    assert data["phone"] == "139****5678" and data["id_number"].startswith("611023********")


def test_profile_update_by_the_village_itself(cast: Cast) -> None:
    client = api_client(cast.village_user)
    response = client.patch(
        f"/api/orgs/{cast.village.pk}", data=json.dumps({"needs": ["medical"]}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["needs"] == ["medical"]


def test_bad_calls_get_4xx_with_a_reason(cast: Cast) -> None:
    client = api_client(cast.village_user)
    url = f"/api/orgs/{cast.village.pk}"
    cases = [
        (client.patch(url, data="not json", content_type="application/json"), {400, 422}),
        (client.patch(url, data=json.dumps({"capacity": -1}), content_type="application/json"), {422}),
        (client.patch(url, data=json.dumps({"needs": ["flying"]}), content_type="application/json"), {400}),
        (client.get("/api/orgs/999999"), {404}),
        (client.get("/api/orgs/abc"), {404}),
        (client.get("/api/orgs/?page=-3"), {422}),
        (Client().get("/api/orgs/"), {401}),
    ]
    for response, expected in cases:
        assert response.status_code in expected, (response.status_code, response.content)
        assert response.json().get("detail"), response.content
    assert "flying" in cases[2][0].json()["errors"]["needs"][0]
    # Schema errors name the field in a Chinese sentence.
    assert cases[1][0].json()["detail"] == "请求数据校验未通过：capacity"
    assert cases[1][0].json()["errors"][0]["field"] == "capacity"


def test_openapi_document_is_published(cast: Cast) -> None:
    spec = Client().get("/api/openapi.json").json()
    assert "/api/orgs/" in spec["paths"]

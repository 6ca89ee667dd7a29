"""The village secretaries' page (seed 004 doc 3): admins record a year and a departure on it,
the figures computed by the profile; outsiders see nothing; a unit cannot post."""

from __future__ import annotations

from typing import Any

from django.test import Client

from gongjian.compliance.models import SecretaryDeparture, SecretaryYearPay


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_records_a_year_and_a_departure_on_the_page(world_factory: Any) -> None:
    w = world_factory("suifenhe")
    admin = _client(w.cast.committee_admin)
    page = admin.get("/compliance/secretaries/").content.decode()
    assert "村党组织书记“双百分”绩效报酬" in page and "花家村党支部" in page  # the form's village choice
    response = admin.post("/compliance/secretaries/", {
        "pay": "1", "village": w.cast.village.pk, "year": 2026, "secretary": "李书记", "score": "103",
        "base_yuan": "20000", "village_income": "8000", "insurance_premiums": "4000",
    })  # fmt: skip
    assert response.status_code == 302
    row = SecretaryYearPay.objects.get()
    assert (row.performance_yuan, row.contribution_yuan, row.total_yuan) == (150, 800, 20950)
    # A short service without the grant amount is refused next to the field; nothing written.
    refused = admin.post("/compliance/secretaries/", {
        "departure": "1", "village": w.cast.village.pk, "secretary": "王书记", "left_on": "2026-03-01",
        "consecutive_years": "4", "total_years": "9", "current_base_yuan": "20000",
    })  # fmt: skip
    assert refused.status_code == 200 and "应填写一次性离任补助金额" in refused.content.decode()
    assert not SecretaryDeparture.objects.exists()
    page = admin.get("/compliance/secretaries/").content.decode()
    assert "李书记" in page and "¥20,950.00" in page


def test_outsiders_see_nothing_and_units_cannot_post(world_factory: Any) -> None:
    w = world_factory("suifenhe")
    SecretaryYearPay.objects.create(
        village=w.cast.village, year=2026, secretary="李书记", score=100, base_yuan=20000, total_yuan=20000,
        profile_key="suifenhe",
    )  # fmt: skip
    for user in (w.cast.sibling_admin, w.cast.outsider):
        page = _client(user).get("/compliance/secretaries/")
        assert page.status_code in (200, 404) and "李书记" not in page.content.decode()
    unit = _client(w.cast.unit_user)
    assert unit.post("/compliance/secretaries/", {"pay": "1", "village": w.cast.village.pk}).status_code == 404
    assert SecretaryYearPay.objects.count() == 1

"""Downloads carry their (Chinese) file name so that the browser saves it as named."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.core.downloads import attachment
from tests.conftest import Cast


def _saved_name(disposition: str) -> str:
    prefix = "attachment; filename*=UTF-8''"
    assert disposition.startswith(prefix), disposition
    return unquote(disposition[len(prefix) :])


def test_a_chinese_name_survives_the_header() -> None:
    response = attachment(b"x", "组织名册20261122.xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.isascii()  # raw, the header would be MIME-encoded and the name lost
    assert _saved_name(disposition) == "组织名册20261122.xlsx"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment(b"x", "audit.csv")["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.django_db
def test_the_registry_export_is_saved_under_its_chinese_name(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    response = client.get(reverse("orgs:export", args=["organizations", "csv"]))
    assert response.status_code == 200
    assert _saved_name(response["Content-Disposition"]).startswith("组织名册")

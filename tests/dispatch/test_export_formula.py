"""The talent pool export writes no live formula: a candidate registered as
``=HYPERLINK(...)`` comes out as text (see tests/core/test_formula_injection.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import Cast
from tests.core.test_formula_injection import LINK, assert_no_formula
from tests.dispatch.conftest import MakeCandidate


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_pool_export_neutralises_formulas(cast: Cast, make_candidate: MakeCandidate, fmt: str) -> None:
    make_candidate(LINK)
    client = Client()
    client.force_login(cast.city_admin)
    response = client.get(f"/dispatch/export/pool.{fmt}")
    assert response.status_code == 200
    assert_no_formula(response.content, fmt, LINK)

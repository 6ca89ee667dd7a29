"""Applying twice with one ID number is refused in the pool's own words (found in the browser
walk: the model form's generic "具有 身份证号 的 人才库人选 已存在。" showed instead)."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.dispatch.models import Candidate
from tests.conftest import Cast
from tests.dispatch.conftest import MakeCandidate

pytestmark = pytest.mark.django_db


def test_second_application_with_the_same_id_number(cast: Cast, skills: dict, make_candidate: MakeCandidate) -> None:
    first = make_candidate(stage="applied")
    client = Client()
    client.force_login(cast.unit_user)
    response = client.post(
        "/dispatch/candidates/apply/",
        {
            "unit": cast.unit.pk,
            "name": "钱学勤",
            "gender": "F",
            "birth_date": first.birth_date.isoformat(),
            "id_number": first.id_number,
            "phone": "13800001111",
            "education": "bachelor",
            "political_status": "member",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == ["此身份证号已在人才库中报名"]
    assert "钱学勤" in response.content.decode()
    assert Candidate.objects.count() == 1

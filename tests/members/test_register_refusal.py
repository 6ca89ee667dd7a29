"""The mobile-member registration page says a refusal about the person next to the ID number
the user typed (found in the browser walk: it stood above the form, with a summary pointing
at a red field that was not there)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.members.models import MobileMember
from gongjian.orgs.models import Person
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_already_registered_is_said_on_the_id_number(cast: Cast, member: MobileMember, needy_member: Person) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    response = client.post(
        reverse("members:register"),
        {
            "id_number": needy_member.id_number,
            "location": "西安市雁塔区",
            "work": "快递",
            "left_on": datetime.date.today().isoformat(),
        },
    )
    form = response.context["form"]
    assert form.errors["id_number"] == [f"{needy_member.name}已登记为流动党员"]
    assert not form.non_field_errors()
    assert 'value="快递"' in response.content.decode()  # what was typed is kept
    assert MobileMember.objects.count() == 1

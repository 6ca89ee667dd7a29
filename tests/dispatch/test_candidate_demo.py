"""The candidate page on demo data: the demo pool's history steps have no actor (bulk
inserted, as an import would), and the page must still show them (it answered 500)."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongjian.demo.activity.dispatch import generate_pool
from gongjian.demo.registry import generate
from gongjian.dispatch.models import Candidate, CandidateStep

pytestmark = pytest.mark.django_db


def test_every_demo_candidate_page_opens_for_the_city_admin() -> None:
    generate("county", seed=5)
    generate_pool(40, random.Random(5))
    assert CandidateStep.objects.filter(actor=None).exists()  # what made the page fail
    client = Client()
    client.force_login(get_user_model().objects.get(username="city_admin"))
    candidates = list(Candidate.objects.order_by("pk"))
    assert candidates
    for candidate in candidates:
        response = client.get(f"/dispatch/candidates/{candidate.pk}/")
        assert response.status_code == 200, candidate.pk
        page = response.content.decode()
        assert candidate.name in page
        steps = candidate.steps.count()
        assert page.count('<li><strong>') >= steps

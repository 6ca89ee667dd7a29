"""The demo's 五个一, commitments and public evaluations: ``demo_activity`` writes them for a
few pairs (the demo unit's first), and the pages show them."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.compliance.models import PairStatus
from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation
from gongjian.records.models_commitments import Commitment
from gongjian.records.models_five_ones import FiveOneTarget
from gongjian.rounds.models import Pairing


def test_demo_activity_shows_the_practices_on_a_shangnan_round(db: None) -> None:
    call_command("demo", scale="county", seed=3, stdout=StringIO())
    out = StringIO()
    call_command("demo_activity", seed=3, policy="shangnan", stdout=out)
    assert "五个一、公开承诺与群众评议" in out.getvalue()
    unit_user = User.objects.get(username="unit_user")
    own = Pairing.objects.filter(unit_id=unit_user.organization_id).first()
    assert own is not None
    assert FiveOneTarget.objects.filter(pairing=own).count() == 5 and Commitment.objects.filter(pairing=own).exists()
    survey = PublicEvaluation.objects.get(pairing=own)
    assert 12 <= EvaluationResponse.objects.filter(evaluation=survey).count() <= 30
    # The run after the generation weighed the survey in.
    row = PairStatus.objects.get(pairing=own)
    assert row.evaluation_points is not None and 0 < row.evaluation_rate <= 100
    client = Client()
    client.force_login(unit_user)
    page = client.get(reverse("records:five_ones", args=[own.pk])).content.decode()
    assert "引进茶叶加工企业订单收购" in page
    assert "评议人数" in client.get(reverse("compliance:evaluation", args=[own.pk])).content.decode()

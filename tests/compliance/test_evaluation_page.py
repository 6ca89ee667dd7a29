"""The public's evaluation page (群众评议, seed 002): the village secretary enters one
respondent after another; every question must be answered; the unit and the admins of the
scope read the counts, the rate and the points; nobody else writes; a profile without the
practice has no survey; the evaluation run and the assessment page show the points."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.compliance.models import PairStatus
from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation
from gongjian.compliance.services import compliance_evaluate
from gongjian.rounds.models import Pairing, Round
from tests.conftest import Cast
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
QUESTIONS = ("help", "style", "results")  # shangnan.yaml


def signed_pair(cast: Cast, policy_key: str = "shangnan") -> Pairing:
    round_ = make_round(cast)
    Round.objects.filter(pk=round_.pk).update(policy_key=policy_key)
    round_.refresh_from_db()
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(YEAR - 1, 1, 1))
    return Pairing.objects.select_related("round", "unit", "village").get(pk=pairing.pk)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(value: str, respondent: str = "villager", comment: str = "") -> dict[str, str]:
    return {**{f"q_{q}": value for q in QUESTIONS}, "respondent": respondent, "comment": comment}


def test_the_village_collects_and_everyone_in_scope_reads(cast: Cast) -> None:
    pairing = signed_pair(cast)
    url = reverse("compliance:evaluation", args=[pairing.pk])
    village = client_for(cast.village_user)
    page = village.get(url).content.decode()
    assert "对结对单位帮扶工作的总体评价" in page and "保存并录入下一位" in page
    for value in ["satisfied"] * 7 + ["basic"] * 2:
        assert village.post(url, answer(value)).status_code == 302
    response = village.post(url, answer("unsatisfied", "member", comment="希望多来村里"), follow=True)
    assert "已录入第 10 份评议" in response.content.decode()
    # A respondent who skipped a question is not saved.
    partial = answer("satisfied")
    del partial["q_style"]
    assert village.post(url, partial).status_code == 200
    assert EvaluationResponse.objects.count() == 10
    survey = PublicEvaluation.objects.get(pairing=pairing, year=YEAR)
    assert [q["weight"] for q in survey.questions] == [50, 25, 25]
    assert AuditEntry.objects.filter(action="evaluation.response", success=True).count() == 10
    # 7 满意, 2 基本满意, 1 不满意: 90 %, 17.2 of 20 (see test_seed_practices).
    for user in (cast.unit_user, cast.committee_admin, cast.city_admin):
        text = client_for(user).get(url).content.decode()
        assert "90%" in text and "17.2" in text and "希望多来村里" in text, user
        assert "保存并录入下一位" not in text
    assert client_for(cast.unit_user).post(url, answer("satisfied")).status_code == 403
    assert EvaluationResponse.objects.count() == 10

    # The evaluation run stores the points; the assessment page shows them.
    compliance_evaluate(actor=cast.city_admin, round_or_scope=pairing.round, remind=False)
    row = PairStatus.objects.get(pairing=pairing, year=YEAR)
    assert (row.evaluation_points, row.score) == (Decimal("17.20"), Decimal("97.20"))
    text = client_for(cast.city_admin).get(reverse("compliance:assessment") + f"?year={YEAR}").content.decode()
    assert "群众评议与承诺评议" in text and "17.2" in text and "97.2" in text
    # ... and so does the assessment workbook's sheet of pairs.
    export = client_for(cast.city_admin).get(reverse("compliance:assessment_export") + f"?year={YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))[f"{YEAR}年结对得分"]
    header, line = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    got = dict(zip(header, line, strict=True))
    assert (got["群众评议人数"], got["群众满意率（%）"], got["群众评议得分"], got["群众评议扣分"], got["得分"]) == (
        10, 90, 17.2, 2.8, 97.2,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["outsider", "sibling_admin"])
def test_outsiders_get_404(cast: Cast, who: str) -> None:
    pairing = signed_pair(cast)
    client = client_for(getattr(cast, who))
    url = reverse("compliance:evaluation", args=[pairing.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, answer("unsatisfied")).status_code == 404
    assert not EvaluationResponse.objects.exists()
    compliance_evaluate(actor=cast.city_admin, round_or_scope=pairing.round, remind=False)
    text = client.get(reverse("compliance:assessment") + f"?year={YEAR}")
    assert "花家村" not in text.content.decode()


def test_a_profile_without_the_practice_has_no_survey(cast: Cast) -> None:
    """Shanghai's seed (004 doc 1) has no 群众评议: the page says so and takes no answers."""
    pairing = signed_pair(cast, "shanghai")
    url = reverse("compliance:evaluation", args=[pairing.pk])
    village = client_for(cast.village_user)
    assert "未规定群众评议" in village.get(url).content.decode()
    assert village.post(url, answer("satisfied")).status_code == 403
    assert not PublicEvaluation.objects.exists()

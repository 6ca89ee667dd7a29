"""五个一 (seed 000) and public commitments with 述职 and 评议 (seed 002 双承诺/双述职、四级承诺一评议;
seed 004 doc 2 作出公开承诺): the unit plans, proves and reports; the village records the 评议
after the report; the village and the admins of the scope see them; an outsider and another
county's admin get 404 on every page, write and file."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.records.choices_practices import CommitmentOutcome, FiveOne, FiveOneStatus, ReviewResult
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_five_ones import FiveOneTarget
from gongjian.records.services_practices import (
    commitment_add,
    commitment_report,
    commitment_review_record,
    five_one_evidence_add,
    five_one_save,
)
from gongjian.rounds.models import Pairing
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
YEAR = TODAY.year
PDF = b"%PDF-1.4\n% five ones\n"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf(name: str = "e.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# ---------------------------------------------------------------- 五个一


def test_the_unit_plans_and_proves_a_target(cast: Cast, signed: Pairing) -> None:
    target = five_one_save(
        actor=cast.unit_user, pairing=signed, year=YEAR, kind=FiveOne.BRANCH_TEAM, plan="换届前谈心谈话",
        status=FiveOneStatus.PLANNED,
    )  # fmt: skip
    assert (target.plan_recorded_on, target.evidence_on) == (TODAY, None)
    # Done needs evidence (text or a file).
    with pytest.raises(ValidationError):
        five_one_save(
            actor=cast.unit_user, pairing=signed, year=YEAR, kind=FiveOne.BRANCH_TEAM, plan="换届前谈心谈话",
            status=FiveOneStatus.DONE,
        )  # fmt: skip
    five_one_evidence_add(actor=cast.unit_user, target=target, file=pdf(), note="班子会议记录")
    target.refresh_from_db()
    assert target.evidence_on == TODAY
    again = five_one_save(
        actor=cast.unit_user, pairing=signed, year=YEAR, kind=FiveOne.BRANCH_TEAM, plan="换届前谈心谈话（修订）",
        status=FiveOneStatus.DONE,
    )  # fmt: skip
    assert again.pk == target.pk and again.plan_recorded_on == TODAY and again.status == FiveOneStatus.DONE
    entries = AuditEntry.objects.filter(action__in=["five_one.save", "five_one.evidence"])
    # Two saves and a file went through; the refused "done" without evidence is audited too.
    assert (entries.filter(success=True).count(), entries.filter(success=False).count()) == (3, 1)


def test_only_the_unit_writes_five_ones_and_not_for_a_future_year(cast: Cast, signed: Pairing) -> None:
    for actor in (cast.village_user, cast.committee_admin):
        with pytest.raises(PermissionDenied):
            five_one_save(
                actor=actor, pairing=signed, year=YEAR, kind=FiveOne.PROBLEMS, plan="x", status=FiveOneStatus.PLANNED
            )
    with pytest.raises(ValidationError):
        five_one_save(
            actor=cast.unit_user, pairing=signed, year=YEAR + 1, kind=FiveOne.PROBLEMS, plan="x",
            status=FiveOneStatus.PLANNED,
        )  # fmt: skip


def test_five_ones_page_and_form(cast: Cast, signed: Pairing) -> None:
    unit = client_for(cast.unit_user)
    url = reverse("records:five_one_edit", args=[signed.pk, FiveOne.INCOME_PATH]) + f"?year={YEAR}"
    data = {"plan": "发展茶叶合作社", "status": "in_progress", "evidence_text": "已签订收购协议", "note": "协议"}
    response = unit.post(url, {**data, "file": pdf()})
    assert response.status_code == 302
    target = FiveOneTarget.objects.get(pairing=signed, kind=FiveOne.INCOME_PATH)
    assert target.files.count() == 1 and target.evidence_on == TODAY
    page = client_for(cast.village_user).get(reverse("records:five_ones", args=[signed.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "发展茶叶合作社" in text and "开辟一条增收门路" in text
    assert "尚未制定计划" in text  # the four others
    # The village sees, but does not edit.
    assert client_for(cast.village_user).get(url).status_code == 403
    file_url = reverse("files:five_one_evidence", args=[target.pk, target.files.get().pk])
    for user in (cast.unit_user, cast.village_user, cast.committee_admin, cast.city_admin):
        got = client_for(user).get(file_url)
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]


# ---------------------------------------------------------------- commitments


def test_commitments_report_then_review(cast: Cast, signed: Pairing) -> None:
    first = commitment_add(actor=cast.unit_user, pairing=signed, year=YEAR, content="新建茶园 100 亩")
    second = commitment_add(actor=cast.unit_user, pairing=signed, year=YEAR, content="培养入党积极分子 6 名")
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(PermissionDenied):
        commitment_add(actor=cast.village_user, pairing=signed, year=YEAR, content="x")
    commitment_report(actor=cast.unit_user, commitment=first, outcome=CommitmentOutcome.DONE, report="已建成")
    # 评议 follows 述职: refused while one commitment is unreported; never by the unit.
    with pytest.raises(RecordActionRefused) as refused:
        commitment_review_record(
            actor=cast.village_user, pairing=signed, year=YEAR, result=ReviewResult.GOOD, participants=30
        )
    assert refused.value.code == "not_reported"
    commitment_report(actor=cast.unit_user, commitment=second, outcome=CommitmentOutcome.PARTLY, report="培养 4 名")
    with pytest.raises(PermissionDenied):
        commitment_review_record(
            actor=cast.unit_user, pairing=signed, year=YEAR, result=ReviewResult.GOOD, participants=30
        )
    review = commitment_review_record(
        actor=cast.village_user, pairing=signed, year=YEAR, result=ReviewResult.FAIRLY_GOOD, participants=32,
        comment="作风扎实",
    )  # fmt: skip
    assert review.result == "fairly_good"
    # Reviewed: the year's commitments and reports are closed.
    with pytest.raises(RecordActionRefused):
        commitment_add(actor=cast.unit_user, pairing=signed, year=YEAR, content="再加一项")
    with pytest.raises(RecordActionRefused):
        commitment_report(actor=cast.unit_user, commitment=second, outcome=CommitmentOutcome.DONE, report="改")
    with pytest.raises(RecordActionRefused):
        commitment_review_record(
            actor=cast.village_user, pairing=signed, year=YEAR, result=ReviewResult.GOOD, participants=1
        )


def test_commitment_pages(cast: Cast, signed: Pairing) -> None:
    url = reverse("records:commitments", args=[signed.pk]) + f"?year={YEAR}"
    unit, village = client_for(cast.unit_user), client_for(cast.village_user)
    assert unit.post(url, {"action": "add", "content": "帮助修建活动场所"}).status_code == 302
    item = Commitment.objects.get(pairing=signed)
    # The village cannot add, the unit cannot review.
    assert village.post(url, {"action": "add", "content": "x"}).status_code == 403
    assert unit.post(url, {"action": "review", "r-result": "good", "r-participants": 5}).status_code == 403
    report = reverse("records:commitment_report", args=[item.pk])
    assert unit.post(report, {"outcome": "done", "report": "场所已投入使用"}).status_code == 302
    assert village.post(url, {"action": "review", "r-result": "good", "r-participants": 25}).status_code == 302
    assert CommitmentReview.objects.get(pairing=signed).participants == 25
    text = client_for(cast.committee_admin).get(url).content.decode()
    assert "帮助修建活动场所" in text and "场所已投入使用" in text and "25 人参加" in text
    archive = client_for(cast.village_user).get(reverse("records:archive", args=[signed.pk])).content.decode()
    assert "1 项，已述职 1 项" in archive and "评议好" in archive


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("who", ["outsider", "sibling_admin"])
def test_outsiders_get_404_on_every_new_page_write_and_file(cast: Cast, signed: Pairing, who: str) -> None:
    target = five_one_save(
        actor=cast.unit_user, pairing=signed, year=YEAR, kind=FiveOne.MEMBER_TEAM, plan="党员培训",
        status=FiveOneStatus.PLANNED,
    )  # fmt: skip
    evidence = five_one_evidence_add(actor=cast.unit_user, target=target, file=pdf())
    item = commitment_add(actor=cast.unit_user, pairing=signed, year=YEAR, content="承诺")
    client = client_for(getattr(cast, who))
    gets = [
        reverse("records:five_ones", args=[signed.pk]),
        reverse("records:five_one_edit", args=[signed.pk, FiveOne.MEMBER_TEAM]),
        reverse("records:commitments", args=[signed.pk]),
        reverse("records:commitment_report", args=[item.pk]),
        reverse("files:five_one_evidence", args=[target.pk, evidence.pk]),
        reverse("compliance:evaluation", args=[signed.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (gets[1], {"plan": "x", "status": "planned"}),
        (gets[2], {"action": "add", "content": "x"}),
        (gets[2], {"action": "review", "r-result": "good", "r-participants": 1}),
        (gets[3], {"outcome": "done", "report": "x"}),
        (gets[5], {"respondent": "villager"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert Commitment.objects.count() == 1 and CommitmentReview.objects.count() == 0

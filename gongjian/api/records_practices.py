"""Archive endpoints of a pair's practices (共建档案, #13 point 8): the 五个一 targets (seed
000), the unit's public commitments with their year-end report and the village's 评议
(seed 002, seed 004 doc 2), and what the village does for its unit (双向受益).

Operations of the records router (``gongjian.api.records.router``), added here to keep that
module small; ``gongjian/api/urls.py`` imports this module. Through the records selectors
and services, as the pages (``records/views_practices.py``, ``views_village_duties.py``):
a pairing outside the user's scope is a 404, the wrong side a 403, a refusal 409/422.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.api.records import PAIRING, router
from gongjian.records import selectors, selectors_practices
from gongjian.records.access import can_act_as_village, can_record
from gongjian.records.choices_practices import FiveOne
from gongjian.records.selectors_village_duties import duties_of, village_duty_status
from gongjian.records.services_practices import (
    commitment_add,
    commitment_report,
    commitment_review_record,
    five_one_save,
)
from gongjian.records.services_village_duties import village_duty_record

Page = BoundedPageNumberPagination
YEAR: Any = Query(None, ge=2000, le=2100, description="年度，不填为协议期内最近的一年")


def _year(pairing: Any, year: int | None) -> int:
    """The year asked for if it is one of the term's, else the latest (as the pages)."""
    return selectors_practices.chosen_year(pairing, str(year) if year else None)


# ---------------------------------------------------------------- 五个一


class EvidenceFileOut(Schema):
    id: int
    note: str
    uploaded_at: datetime.datetime


class FiveOneTargetOut(Schema):
    id: int
    plan: str
    plan_recorded_on: datetime.date
    status: str
    status_label: str
    evidence_text: str
    evidence_on: datetime.date | None
    files: list[EvidenceFileOut]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")

    @staticmethod
    def resolve_files(obj: Any) -> list[Any]:
        return sorted(obj.files.all(), key=lambda f: f.pk)


class FiveOneRowOut(Schema):
    kind: str
    label: str
    target: FiveOneTargetOut | None


class FiveOnesOut(Schema):
    year: int
    years: list[int]
    can_record: bool
    items: list[FiveOneRowOut]


class FiveOneIn(Schema):
    plan: str = Field(..., max_length=20000, description="计划措施")
    status: str = Field(..., pattern="^(planned|in_progress|done)$", description="planned、in_progress、done")
    evidence_text: str = Field("", max_length=20000, description="完成情况")


@router.get(
    PAIRING + "/five-ones",
    response={200: FiveOnesOut, **READ_ERRORS},
    summary="五个一目标",
    description="一年的五项目标：计划措施、状态、完成情况和佐证文件（未制定计划的为空）。",
)
def five_ones(request: HttpRequest, pairing_id: int, year: int | None = YEAR) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    chosen = _year(pairing, year)
    return {
        "year": chosen,
        "years": selectors_practices.term_years(pairing),
        "can_record": can_record(request.user, pairing),
        "items": selectors_practices.five_ones_of(pairing, chosen),
    }


@router.put(
    PAIRING + "/five-ones/{kind}",
    response={200: FiveOneTargetOut, **WRITE_ERRORS},
    summary="制定或更新五个一目标",
    description="结对单位填写一项目标的计划措施、状态和完成情况（佐证文件另行上传）。年度须在协议期内。",
)
def five_one_put(request: HttpRequest, pairing_id: int, kind: str, payload: FiveOneIn, year: int | None = YEAR) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    if kind not in FiveOne.values:
        raise Http404
    target = five_one_save(actor=request.user, pairing=pairing, year=_year(pairing, year), kind=kind, **payload.dict())  # type: ignore[arg-type]
    return selectors_practices.five_one_get(user=request.user, pk=target.pk)


# ---------------------------------------------------------------- commitments and 评议


class CommitmentOut(Schema):
    id: int
    pairing_id: int
    year: int
    position: int
    content: str
    outcome: str
    outcome_label: str
    report: str
    reported_at: datetime.datetime | None

    @staticmethod
    def resolve_outcome_label(obj: Any) -> str:
        return label(obj, "outcome") if obj.outcome else ""


class ReviewOut(Schema):
    year: int
    result: str
    result_label: str
    participants: int
    comment: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_result_label(obj: Any) -> str:
        return label(obj, "result")


class CommitmentsOut(Schema):
    year: int
    years: list[int]
    items: list[CommitmentOut]
    reported: int
    review: ReviewOut | None
    can_record: bool
    can_village: bool


class CommitmentIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    content: str = Field(..., max_length=20000, description="承诺事项")


class CommitmentReportIn(Schema):
    outcome: str = Field(..., max_length=16, description="兑现情况：done 已兑现、partly 部分兑现、not_done 未兑现")
    report: str = Field(..., max_length=20000, description="述职说明")


class ReviewIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    result: str = Field(..., max_length=16, description="评议结果：good 好、fairly_good 较好、average 一般、poor 差")
    participants: int = Field(..., ge=1, le=100_000, description="参加评议人数")
    comment: str = Field("", max_length=20000)


@router.get(
    PAIRING + "/commitments",
    response={200: CommitmentsOut, **READ_ERRORS},
    summary="公开承诺与评议",
    description="一年的承诺事项、每项的述职（兑现情况）和村党组织的评议结果。",
)
def commitments(request: HttpRequest, pairing_id: int, year: int | None = YEAR) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    data = selectors_practices.commitments_of(pairing, _year(pairing, year))
    return {
        "year": data.year,
        "years": selectors_practices.term_years(pairing),
        "items": data.items,
        "reported": data.reported,
        "review": data.review,
        "can_record": can_record(request.user, pairing),
        "can_village": can_act_as_village(request.user, pairing),
    }


@router.post(
    PAIRING + "/commitments",
    response={201: CommitmentOut, **WRITE_ERRORS},
    summary="公开一项承诺",
    description="结对单位公开本年度的一项承诺；评议后不能再增加，每年有上限。",
)
def commitment_create(request: HttpRequest, pairing_id: int, payload: CommitmentIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, commitment_add(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.post(
    "/commitments/{int:commitment_id}/report",
    response={200: CommitmentOut, **WRITE_ERRORS},
    summary="承诺述职",
    description="结对单位年终对一项承诺述职：兑现情况和说明；评议后不能再改。",
)
def commitment_report_save(request: HttpRequest, commitment_id: int, payload: CommitmentReportIn) -> Any:
    item = selectors_practices.commitment_get(user=request.user, pk=commitment_id)
    return commitment_report(actor=request.user, commitment=item, **payload.dict())  # type: ignore[arg-type]


@router.post(
    PAIRING + "/commitments/review",
    response={201: ReviewOut, **WRITE_ERRORS},
    summary="登记承诺评议结果",
    description="结对村党组织在各项承诺都已述职后登记评议结果，每年一次。",
)
def commitment_review(request: HttpRequest, pairing_id: int, payload: ReviewIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, commitment_review_record(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


# ---------------------------------------------------------------- village duties (双向受益)


class VillageDutyOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: datetime.date
    content: str
    people: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return label(obj, "kind")


class DutyLineOut(Schema):
    kind: str
    label: str
    period: str
    required: int
    done: int
    due: datetime.date
    met: bool
    overdue: bool


class VillageDutyIn(Schema):
    kind: str = Field(..., max_length=24, description="类型：forum、opinion、young_member、review_delegates 等")
    date: datetime.date
    content: str = Field(..., max_length=4000)
    people: str = Field("", max_length=255, description="参加人员")


@router.get(PAIRING + "/village-duties/", response=list[VillageDutyOut], summary="村对共建单位的工作记录")
@paginate(Page, page_size=50)
def village_duties(request: HttpRequest, pairing_id: int) -> Any:
    return duties_of(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.get(
    PAIRING + "/village-duties/status",
    response={200: list[DutyLineOut], **READ_ERRORS},
    summary="村对共建单位工作的完成情况",
    description="按本地政策配置：每季度座谈交流、反映社情民意，每年培养年轻党员、选派代表参与党员评议。",
)
def village_duties_status(request: HttpRequest, pairing_id: int, year: int | None = YEAR) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return village_duty_status(pairing, year or timezone.localdate().year, within_term=True)


@router.post(
    PAIRING + "/village-duties/",
    response={201: VillageDutyOut, **WRITE_ERRORS},
    summary="登记村对共建单位的工作",
    description="结对村登记座谈交流、反映社情民意、为单位培养党员或参与党员评议；日期不得晚于今天。",
)
def village_duty_create(request: HttpRequest, pairing_id: int, payload: VillageDutyIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, village_duty_record(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]

"""Compliance endpoints (合规考核): each pair's status and obligations for a year, the
annual assessment (pairs', units' and committees' scores, pairs to adjust), and starting an
evaluation. Read through the compliance selectors: only pairs whose unit or village is in
the user's subtree; a pair outside it is a 404."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.jobs import JobOut
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.compliance import selectors
from gongjian.compliance.services_run import compliance_evaluation_start
from gongjian.jobs import selectors as job_selectors

router = Router(tags=["合规考核"])
Page = BoundedPageNumberPagination


class PairStatusOut(Schema):
    pairing_id: int
    year: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    village_id: int
    village: str = Field(..., alias="village.name")
    county: str
    status: str
    status_label: str
    missed: int
    at_risk: int
    next_deadline: datetime.date | None
    score: Decimal
    rank: int | None
    to_adjust: bool
    adjust_reason: str
    as_of: datetime.date
    # Both sides assessed (the profile's joint_appraisal; "" / null where it has none)
    joint_mode: str
    plan_lost: int
    village_score: Decimal | None
    village_lost: int
    village_missed: int
    village_duties: list[dict[str, Any]]
    joint_score: Decimal | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")


class ObligationOut(Schema):
    obligation_id: str
    kind: str
    label: str
    status: str
    done: Decimal
    required: Decimal
    deadline: datetime.date | None
    reason: str
    points_lost: int


class PairDetailOut(Schema):
    status: PairStatusOut
    obligations: list[ObligationOut]


class ObligationChoiceOut(Schema):
    id: str
    label: str


class UnitScoreOut(Schema):
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    committee_id: int | None
    committee: str | None = Field(None, alias="committee.name")
    year: int
    pairs: int
    score: Decimal
    rank: int | None


class CommitteeScoreOut(Schema):
    committee_id: int = Field(..., alias="committee.pk")
    committee: str = Field(..., alias="committee.name")
    rank: int
    pairs: int
    units: int
    score: Decimal
    met: int
    missed: int
    to_adjust: int
    met_percent: Decimal


YEAR: Any = Query(None, ge=2000, le=2100, description="年度，不填为今年")


def _year(value: int | None) -> int:
    return value or timezone.localdate().year


@router.get("/years", response=list[int], summary="有评估结果的年度", description="新的在前。")
def list_years(request: HttpRequest) -> Any:
    return selectors.years(user=request.user)


@router.get("/statuses/", response=list[PairStatusOut], summary="结对合规状态", description="未完成、有风险的在前。")
@paginate(Page, page_size=50)
def list_statuses(
    request: HttpRequest,
    year: int | None = YEAR,
    status: str = Query("", max_length=16, description="met、at_risk、missed 等"),
    county: str = Query("", max_length=64),
    obligation: str = Query("", max_length=64, description="义务编号；给出时按该义务的状态筛选"),
) -> Any:
    query = selectors.Filters(year=_year(year), status=status, county=county, obligation=obligation)
    return selectors.pair_statuses(user=request.user, filters=query)


@router.get("/statuses/counts", response=dict[str, int], summary="各状态的结对数")
def status_counts(request: HttpRequest, year: int | None = YEAR) -> Any:
    return selectors.status_counts(user=request.user, year=_year(year))


@router.get("/obligations/", response=list[ObligationChoiceOut], summary="本年度出现的义务")
def list_obligations(request: HttpRequest, year: int | None = YEAR) -> Any:
    rows = selectors.obligation_choices(user=request.user, year=_year(year))
    return [{"id": key, "label": text} for key, text in rows]


@router.get(
    "/pairings/{int:pairing_id}",
    response={200: PairDetailOut, **READ_ERRORS},
    summary="一个结对的合规状态与各项义务",
    description="每项义务的完成数、应完成数、截止日期与说明。",
)
def pair_detail(request: HttpRequest, pairing_id: int, year: int | None = YEAR) -> Any:
    status, results = selectors.pair_detail(user=request.user, pairing_id=pairing_id, year=_year(year))
    return {"status": status, "obligations": results}


@router.get("/pairings/{int:pairing_id}/history", response=list[PairStatusOut], summary="一个结对各年度的合规状态")
def pair_history(request: HttpRequest, pairing_id: int) -> Any:
    rows = list(selectors.pair_history(user=request.user, pairing_id=pairing_id))
    if not rows:
        raise Http404
    return rows


@router.get("/assessment/pairs/", response=list[PairStatusOut], summary="年度考核：结对得分与排名")
@paginate(Page, page_size=50)
def pair_scores(request: HttpRequest, year: int | None = YEAR) -> Any:
    return selectors.pair_scores(user=request.user, year=_year(year))


@router.get("/assessment/units/", response=list[UnitScoreOut], summary="年度考核：单位得分与党委内排名")
@paginate(Page, page_size=50)
def unit_scores(request: HttpRequest, year: int | None = YEAR, committee_id: int | None = None) -> Any:
    return selectors.unit_scores(user=request.user, year=_year(year), committee_id=committee_id)


@router.get(
    "/assessment/committees/",
    response=list[CommitteeScoreOut],
    summary="年度考核：区县/工作党委责任制考核",
    description="只对管理员返回；按结对平均得分在同级党委中排名。",
)
def committee_scores(request: HttpRequest, year: int | None = YEAR) -> Any:
    return selectors.committee_scores(user=request.user, year=_year(year))


@router.get("/assessment/to-adjust/", response=list[PairStatusOut], summary="年度考核：需调整的结对")
@paginate(Page, page_size=50)
def pairs_to_adjust(request: HttpRequest, year: int | None = YEAR) -> Any:
    return selectors.pairs_to_adjust(user=request.user, year=_year(year))


@router.post(
    "/evaluate",
    response={202: JobOut, **WRITE_ERRORS},
    summary="立即重新评估本范围",
    description="管理员对本人管理范围重新运行合规评估（后台任务，每晚也自动运行）；返回任务，进度见 /api/jobs/{id}。",
)
def evaluate(request: HttpRequest) -> Any:
    job = compliance_evaluation_start(actor=request.user)
    return Status(202, job_selectors.job_status(job))

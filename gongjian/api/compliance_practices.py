"""Compliance endpoints of two local practices (合规考核, #13 point 8): the village party
secretaries' dual-hundred assessment and pay with their departure subsidies (村党组织书记
“双百分”绩效报酬, seed 004 doc 3, where a profile has ``secretaries`` rules — 绥芬河's), and
the public's evaluation of a pair (群众评议, seed 002).

Operations of the compliance router (``gongjian.api.compliance.router``); ``gongjian/api/
urls.py`` imports this module. As the pages (``compliance/views_secretaries.py``,
``views_evaluation.py``): the lists are the user's subtree; only its administrators record a
secretary (a village outside their villages is a 404); the pair's village enters the public's
answers; a refusal is 409/422.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.compliance import router
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.compliance import selectors
from gongjian.compliance.selectors_evaluation import evaluation_view
from gongjian.compliance.services_evaluation import evaluation_response_add
from gongjian.compliance.services_secretaries import secretary_departure_record, secretary_year_record
from gongjian.records.access import can_act_as_village
from gongjian.records.selectors import pairing_get
from gongjian.records.selectors_practices import chosen_year, term_years

Page = BoundedPageNumberPagination


def _village(request: HttpRequest, village_id: int) -> Any:
    """A village the administrator may record a secretary for (the page's choices), else 404."""
    village = selectors.villages_for_secretaries(user=request.user).filter(pk=village_id).first()
    if village is None:
        raise Http404
    return village


# ---------------------------------------------------------------- village secretaries (双百分)


class SecretaryPayOut(Schema):
    id: int
    village_id: int
    village: str = Field(..., alias="village.name")
    year: int
    secretary: str
    score: Decimal
    base_yuan: Decimal
    village_income: Decimal
    insurance_premiums: Decimal
    performance_yuan: Decimal
    contribution_yuan: Decimal
    insurance_subsidy_yuan: Decimal
    total_yuan: Decimal
    profile_key: str


class SecretaryPayIn(Schema):
    village_id: int
    year: int = Field(..., ge=2000, le=2100)
    secretary: str = Field(..., max_length=64, description="村党组织书记")
    score: Decimal = Field(..., ge=0, max_digits=7, decimal_places=2, description="双百分考核得分")
    base_yuan: Decimal = Field(..., description="年基础补贴（元）", ge=0, max_digits=14, decimal_places=2)
    village_income: Decimal = Field(Decimal(0), description="村创收（元）", ge=0, max_digits=14, decimal_places=2)
    insurance_premiums: Decimal = Field(Decimal(0), description="两险保费（元）", ge=0, max_digits=14, decimal_places=2)


class DepartureOut(Schema):
    id: int
    village_id: int
    village: str = Field(..., alias="village.name")
    secretary: str
    left_on: datetime.date
    consecutive_years: int
    total_years: int
    kind: str
    kind_label: str
    yearly_yuan: Decimal | None
    one_time_yuan: Decimal | None
    profile_key: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return label(obj, "kind")


class DepartureIn(Schema):
    village_id: int
    secretary: str = Field(..., max_length=64, description="离任书记")
    left_on: datetime.date = Field(..., description="离任日期")
    consecutive_years: int = Field(..., ge=0, le=80, description="连续任职年数")
    total_years: int = Field(..., ge=0, le=80, description="累计任职年数")
    current_base_yuan: Decimal = Field(
        ..., description="本村现任书记年基础补贴（元）", ge=0, max_digits=14, decimal_places=2
    )
    one_time_yuan: Decimal | None = Field(
        None, description="一次性补助（元）；按政策计定期补贴时不填", ge=0, max_digits=14, decimal_places=2
    )


@router.get(
    "/secretaries/pays/",
    response=list[SecretaryPayOut],
    summary="村党组织书记“双百分”绩效报酬",
    description="本范围各村书记各年度的考核得分、基础补贴、绩效奖惩、创收奖、两险补贴和年度报酬（新的在前）。",
)
@paginate(Page, page_size=50)
def secretary_pays(request: HttpRequest) -> Any:
    return selectors.secretary_pays(user=request.user)


@router.post(
    "/secretaries/pays/",
    response={201: SecretaryPayOut, **WRITE_ERRORS},
    summary="登记村书记年度考核与报酬",
    description=(
        "所属党委管理员登记一名村书记一个年度的双百分考核得分和基础补贴等，报酬按本地政策配置计算；"
        "同村同年再次登记为更正。政策配置没有该项规定时返回 422。"
    ),
)
def secretary_pay_create(request: HttpRequest, payload: SecretaryPayIn) -> Any:
    village = _village(request, payload.village_id)
    values = payload.dict(exclude={"village_id"})
    return Status(201, secretary_year_record(actor=request.user, village=village, **values))


@router.get(
    "/secretaries/departures/",
    response=list[DepartureOut],
    summary="村书记离任补贴",
    description="本范围各村离任书记的定期补贴或一次性补助（新的在前）。",
)
@paginate(Page, page_size=50)
def secretary_departures(request: HttpRequest) -> Any:
    return selectors.secretary_departures(user=request.user)


@router.post(
    "/secretaries/departures/",
    response={201: DepartureOut, **WRITE_ERRORS},
    summary="登记村书记离任",
    description="所属党委管理员登记村书记离任；够年限的按现任书记基础补贴计定期补贴，否则登记一次性补助。",
)
def secretary_departure_create(request: HttpRequest, payload: DepartureIn) -> Any:
    village = _village(request, payload.village_id)
    values = payload.dict(exclude={"village_id"})
    return Status(201, secretary_departure_record(actor=request.user, village=village, **values))


# ---------------------------------------------------------------- public evaluation (群众评议)


class QuestionOut(Schema):
    id: str
    text: str
    weight: int
    counts: dict[str, int] = Field(..., description="各评价（satisfied、basic、unsatisfied）的人数")


class EvaluationOut(Schema):
    pairing_id: int
    year: int
    years: list[int]
    collecting: bool = Field(..., description="本人能否录入（结对村）")
    configured: bool = Field(..., description="本地政策配置是否规定群众评议")
    respondents: int
    by_kind: dict[str, int]
    questions: list[QuestionOut]
    rate: Decimal | None = Field(None, description="满意率（%）")
    score: Decimal | None
    points: Decimal | None
    counted: bool


class ResponseIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    respondent: str = Field(..., pattern="^(villager|member)$", description="villager 村民群众，member 村党员")
    answers: dict[str, str] = Field(..., description="每个问题的评价：问题编号 → satisfied、basic、unsatisfied")
    comment: str = Field("", max_length=20000, description="意见建议")


class ResponseOut(Schema):
    id: int
    respondent: str
    answers: dict[str, str]
    comment: str
    entered_at: datetime.datetime


@router.get(
    "/pairings/{int:pairing_id}/evaluation",
    response={200: EvaluationOut, **READ_ERRORS},
    summary="群众评议",
    description="一个结对某年度的群众评议：各问题各评价的人数、满意率和计入考核的得分。",
)
def evaluation(
    request: HttpRequest, pairing_id: int, year: int | None = Query(None, ge=2000, le=2100, description="年度")
) -> Any:
    pairing = pairing_get(user=request.user, pk=pairing_id)
    chosen = chosen_year(pairing, str(year) if year else None)
    view = evaluation_view(pairing, chosen)
    out: dict[str, Any] = {
        "pairing_id": pairing.pk,
        "year": chosen,
        "years": term_years(pairing),
        "collecting": view is not None and can_act_as_village(request.user, pairing),
        "configured": view is not None,
        "respondents": 0,
        "by_kind": {},
        "questions": [],
        "counted": False,
    }
    if view is not None:
        score = view.score
        out.update(respondents=view.respondents, by_kind=view.by_kind, questions=view.questions)
        out.update(rate=score.rate, score=score.score, points=score.points, counted=score.counted)
    return out


@router.post(
    "/pairings/{int:pairing_id}/evaluation/responses",
    response={201: ResponseOut, **WRITE_ERRORS},
    summary="录入一份群众评议",
    description="结对村党组织逐份录入评议人的评价（不记姓名）；政策配置未规定群众评议或结对未签约的返回 409。",
)
def evaluation_response(request: HttpRequest, pairing_id: int, payload: ResponseIn) -> Any:
    pairing = pairing_get(user=request.user, pk=pairing_id)
    return Status(201, evaluation_response_add(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]

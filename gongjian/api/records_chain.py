"""The reporting chain over the API (共建档案, #13 point 8): the party members' quarterly
reports to their unit (seed 004 doc 5 三、3, the first link before the unit's own quarterly
report) and the half-year inspection notices (督查通报) an admin generates from the quarterly
reports and records of its subtree.

Operations of the records router (``gongjian.api.records.router``); ``gongjian/api/urls.py``
imports this module. As the pages (``records/views_member_reports.py``, ``views_reports.py``):
member reports are the unit user's (anyone else 404), notices the admins' of the subtree.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.api.records import router
from gongjian.orgs import selectors as org_selectors
from gongjian.records import views_reports
from gongjian.records.selectors_member_reports import member_report_rows, unit_members
from gongjian.records.selectors_reports import current_quarter, notice_get, notice_list, reporting_unit
from gongjian.records.services_member_reports import member_report_record
from gongjian.records.services_reports import inspection_notice_generate

Page = BoundedPageNumberPagination


# ---------------------------------------------------------------- members' quarterly reports


class MemberReportOut(Schema):
    id: int
    person_id: int
    year: int
    quarter: int
    reported_on: datetime.date
    content: str


class MemberRowOut(Schema):
    person_id: int = Field(..., alias="person.pk")
    name: str = Field(..., alias="person.name")
    organization: str = Field(..., alias="person.organization.name")
    report: MemberReportOut | None
    due: datetime.date | None
    overdue: bool


class MemberReportIn(Schema):
    person_id: int = Field(..., description="本单位党员（人员编号）")
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    content: str = Field(..., max_length=4000, description="报告内容")
    reported_on: datetime.date | None = Field(None, description="报告日期，不填为今天")


@router.get(
    "/member-reports/",
    response={200: list[MemberRowOut], **READ_ERRORS},
    summary="党员季度报告",
    description="结对单位的每名党员及其本季度向所在党组织的报告（未报告的为空）；只对单位用户开放。",
)
def member_reports(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100, description="年度，不填为本季度所在年"),
    quarter: int | None = Query(None, ge=1, le=4, description="季度，不填为本季度"),
) -> Any:
    this_year, this_quarter = current_quarter()
    return member_report_rows(user=request.user, year=year or this_year, quarter=quarter or this_quarter)


@router.post(
    "/member-reports/",
    response={201: MemberReportOut, **WRITE_ERRORS},
    summary="登记党员季度报告",
    description="单位用户登记本单位一名党员某季度的报告；季度未开始的不予登记。",
)
def member_report_create(request: HttpRequest, payload: MemberReportIn) -> Any:
    unit = reporting_unit(request.user)
    if unit is None:
        raise Http404
    person = unit_members(unit).filter(pk=payload.person_id).first()
    if person is None:
        raise Http404
    values = payload.dict(exclude={"person_id"})
    return Status(201, member_report_record(actor=request.user, person=person, **values))  # type: ignore[arg-type]


# ---------------------------------------------------------------- half-year inspection notices


class NoticeOut(Schema):
    id: int
    organization_id: int
    organization: str = Field(..., alias="organization.name")
    year: int
    half: int
    sha256: str
    figures: dict[str, Any]
    created_at: datetime.datetime


class NoticeIn(Schema):
    organization_id: int = Field(..., description="通报单位：本级或下级党委（须在本人管理范围内）")
    year: int = Field(..., ge=2000, le=2100)
    half: int = Field(..., ge=1, le=2, description="1 上半年，2 下半年")


@router.get(
    "/notices/",
    response=list[NoticeOut],
    summary="督查通报",
    description="管理员本范围内生成的半年督查通报（新的在前）；其他角色为空。",
)
@paginate(Page, page_size=50)
def notices(request: HttpRequest) -> Any:
    return notice_list(user=request.user)


@router.post(
    "/notices/",
    response={201: NoticeOut, **WRITE_ERRORS},
    summary="生成半年督查通报",
    description="本级及上级党委管理员按当前的季度报告和档案生成半年督查通报（PDF），每次生成都保留并编号。",
)
def notice_create(request: HttpRequest, payload: NoticeIn) -> Any:
    organization = org_selectors.organization_get(user=request.user, pk=payload.organization_id)
    notice = inspection_notice_generate(
        actor=request.user,  # type: ignore[arg-type]
        organization=organization,
        year=payload.year,
        half=payload.half,
    )
    return Status(201, notice)


@router.get("/notices/{int:notice_id}", response={200: NoticeOut, **READ_ERRORS}, summary="督查通报详情")
def notice_detail(request: HttpRequest, notice_id: int) -> Any:
    return notice_get(user=request.user, pk=notice_id)


@router.get(
    "/notices/{int:notice_id}/pdf",
    response={200: None, **READ_ERRORS},
    summary="下载督查通报（PDF）",
    description="按保存时的 SHA-256 校验后下载；下载留有审计记录。",
)
def notice_pdf(request: HttpRequest, notice_id: int) -> HttpResponseBase:
    # The page's own download (name, checksum, audit row), so the two cannot drift apart.
    return views_reports.notice_pdf(request, notice_id)

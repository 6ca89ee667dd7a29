"""The helping side of a round over the API (结对轮次, #13 point 8; seed 004 doc 1 (三)(十)):
a unit's 分管领导, 负责部门 and 结对帮扶方案, the round's plans for its admins, and the
enterprises or institutions that help an agency's pair with it (组合帮扶, 机关+企业).

Operations of the rounds router (``gongjian.api.rounds.router``); ``gongjian/api/urls.py``
imports this module. As the pages (``rounds/views_helping.py``): a round or pairing outside
the user's scope is a 404, the wrong role a 403, a refusal 409/422.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, ErrorOut
from gongjian.api.pagination import BoundedPageNumberPagination as Page
from gongjian.api.rounds import _round, router
from gongjian.api.rounds_pairing import _pairing
from gongjian.orgs.scope import subtree_path
from gongjian.rounds.access import can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.selectors_helping import own_plan, partner_choices, plan_rows
from gongjian.rounds.services_helping import pairing_partner_add, unit_plan_save


class PlanIn(Schema):
    leader_name: str = Field(..., max_length=64, description="分管领导")
    leader_post: str = Field(..., max_length=64, description="分管领导职务")
    department: str = Field(..., max_length=128, description="负责部门")
    plan: str = Field(..., max_length=20000, description="结对帮扶方案")


class PlanOut(PlanIn):
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    updated_at: datetime.datetime


class PlanRowOut(Schema):
    unit_id: int = Field(..., alias="unit.pk")
    unit: str = Field(..., alias="unit.name")
    pairs: int
    plan: PlanOut | None


class PartnerIn(Schema):
    partner_id: int = Field(..., description="组合帮扶的企业或事业单位（本轮次范围内）")


class PartnerOut(Schema):
    id: int
    partner_id: int
    partner: str = Field(..., alias="partner.name")
    created_at: datetime.datetime


@router.get("/{int:round_id}/plan", response={200: PlanOut, **READ_ERRORS}, summary="本单位的结对帮扶方案")
def plan(request: HttpRequest, round_id: int) -> Any:
    found = own_plan(user=request.user, round_=_round(request, round_id))
    if found is None:
        raise Http404(_("尚未填写结对帮扶方案"))
    return found


@router.put(
    "/{int:round_id}/plan",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="填写结对帮扶方案",
    description="本轮的结对单位填写分管领导及其职务、负责部门和结对帮扶方案（再次提交为修改）。",
)
def plan_save(request: HttpRequest, round_id: int, payload: PlanIn) -> Any:
    return unit_plan_save(actor=request.user, round_=_round(request, round_id), **payload.dict())  # type: ignore[arg-type]


@router.get(
    "/{int:round_id}/plans",
    response={200: list[PlanRowOut], 403: ErrorOut, 404: ErrorOut},
    summary="各结对单位的帮扶方案",
    description="本轮次管理员查看本范围内有结对的单位及其方案（未填写的在前，分页）。",
)
@paginate(Page, page_size=50)
def plans(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request, round_id)
    if not can_administer(request.user, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以查看各单位的帮扶方案"))
    return plan_rows(round_=round_, scope_path=subtree_path(request.user))


@router.get(
    "/{int:round_id}/pairings/{int:pairing_id}/partners",
    response={200: list[PartnerOut], **READ_ERRORS},
    summary="组合帮扶单位",
)
def partners(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    return _pairing(request, round_id, pairing_id).partners.select_related("partner").order_by("pk")


@router.post(
    "/{int:round_id}/pairings/{int:pairing_id}/partners",
    response={201: PartnerOut, **WRITE_ERRORS},
    summary="增加组合帮扶单位",
    description="本轮次管理员或结对的机关单位增加一家企业或事业单位共同帮扶（政策配置允许组合式帮扶时）。",
)
def partner_add(request: HttpRequest, round_id: int, pairing_id: int, payload: PartnerIn) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    partner = partner_choices(pairing).filter(pk=payload.partner_id).first()
    if partner is None:
        message = _("该单位不能组合帮扶：应为本轮次范围内、尚未参与的企业或事业单位")
        raise RoundActionRefused(message, code="not_partner", field="partner_id")
    return Status(201, pairing_partner_add(actor=request.user, pairing=pairing, partner=partner))  # type: ignore[arg-type]

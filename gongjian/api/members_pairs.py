"""Party members' pairs in detail over the API (党员结对与流动党员, #13 point 8): a branch's
pair with a needy member (双结对), each pair's plans (脱困致富方案) with their progress and
its 五送; the mobile members' missing half-year reports and the service stations.

Operations of the members router (``gongjian.api.members.router``); ``gongjian/api/urls.py``
imports this module. As the pages (``members/views_pairs.py``, ``views_mobile.py``): a
pairing, pair or plan outside the user's scope is a 404, a user who may not write the pairs
a 403; a service's validation errors are a 400 by field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.members import PAIR, PAIRING, Page, PairOut, _choose, router
from gongjian.members import selectors_mobile as mobile
from gongjian.members import selectors_pairs as pairs
from gongjian.members.services_mobile import station_create
from gongjian.members.services_pairs import branch_pair_create, delivery_record, help_plan_create, help_progress_add
from gongjian.orgs import selectors as org_selectors

# ---------------------------------------------------------------- schemas


class BranchPairIn(Schema):
    branch_id: int = Field(..., description="单位或其所属党支部（组织编号）")
    needy_member_id: int = Field(..., description="村里的困难党员（人员编号）")


class ProgressOut(Schema):
    id: int
    recorded_on: datetime.date
    note: str
    percent: int


class PlanOut(Schema):
    id: int
    beneficiary: str
    beneficiary_label: str
    difficulty: str
    goals: str
    measures: str
    target_date: datetime.date
    progress_percent: int
    progress: list[ProgressOut] = Field(default_factory=list, description="进展（新的在前）")

    @staticmethod
    def resolve_beneficiary_label(obj: Any) -> str:
        return label(obj, "beneficiary")

    @staticmethod
    def resolve_progress(obj: Any) -> list[Any]:
        return list(getattr(obj, "progress_steps", []))  # set by pair_work; a new plan has none


class DeliveryOut(Schema):
    id: int
    kind: str
    kind_label: str
    delivered_on: datetime.date
    content: str
    amount: Decimal | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return label(obj, "kind")


class PairWorkOut(Schema):
    can_write: bool
    plans: list[PlanOut]
    deliveries: list[DeliveryOut]


class PlanIn(Schema):
    beneficiary: str = Field(
        ..., max_length=16, description="帮扶对象：member 困难党员、villager 困难群众、household 贫困户"
    )
    difficulty: str = Field(..., max_length=20000, description="主要困难")
    goals: str = Field(..., max_length=20000, description="帮扶目标")
    measures: str = Field(..., max_length=20000, description="帮扶措施")
    target_date: datetime.date = Field(..., description="目标完成日期")


class ProgressIn(Schema):
    recorded_on: datetime.date
    note: str = Field(..., max_length=20000, description="进展情况")
    percent: int = Field(..., ge=0, le=100, description="完成进度（%）")


class DeliveryIn(Schema):
    kind: str = Field(..., max_length=16, description="五送类别代码")
    delivered_on: datetime.date
    content: str = Field(..., max_length=20000)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="金额（元）")


class MissingOut(Schema):
    member_id: int = Field(..., alias="member.pk")
    name: str = Field(..., alias="member.person.name")
    origin: str = Field(..., alias="member.origin.name")
    year: int
    half: int
    label: str
    due: datetime.date


class StationOut(Schema):
    id: int
    name: str
    organization_id: int
    organization: str = Field(..., alias="organization.name")
    address: str
    members_out: int = Field(0, description="在外党员数")


class StationIn(Schema):
    organization_id: int = Field(..., description="所属党组织（本组织或下级）")
    name: str = Field(..., max_length=128)
    address: str = Field("", max_length=255)


# ---------------------------------------------------------------- 双结对, plans, progress, 五送


@router.post(
    PAIRING + "/branch-pairs/",
    response={201: PairOut, **WRITE_ERRORS},
    summary="登记支部结对困难党员",
    description="单位或其所属党支部与村里一名困难党员结对（双结对）。",
)
def create_branch_pair(request: HttpRequest, pairing_id: int, payload: BranchPairIn) -> Any:
    pairing = pairs.pairing_get(user=request.user, pk=pairing_id)
    branch = _choose(pairs.unit_branches(pairing=pairing), payload.branch_id, "branch_id", _("党支部"))
    member = _choose(pairs.village_party_members(pairing=pairing), payload.needy_member_id, "needy_member_id",
                     _("困难党员"))  # fmt: skip
    return Status(201, branch_pair_create(actor=request.user, pairing=pairing, branch=branch, needy_member=member))


@router.get(
    PAIR + "/work",
    response={200: PairWorkOut, **READ_ERRORS},
    summary="党员结对的帮扶方案、进展与五送",
)
def pair_work(request: HttpRequest, kind: str, pair_id: int) -> Any:
    pair = pairs.pair_get(user=request.user, kind=kind, pk=pair_id)
    detail = pairs.pair_detail(user=request.user, pair=pair)
    for plan in detail.plans:
        plan.progress_steps = detail.progress.get(plan.pk, [])  # type: ignore[attr-defined]
    return {"can_write": detail.can_write, "plans": detail.plans, "deliveries": detail.deliveries}


@router.post(
    PAIR + "/plans/",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="制定帮扶方案",
    description="为结对的一名帮扶对象制定脱困致富方案（“1+2”结对每人一份）；已结束的结对不能再登记。",
)
def create_plan(request: HttpRequest, kind: str, pair_id: int, payload: PlanIn) -> Any:
    pair = pairs.pair_get(user=request.user, kind=kind, pk=pair_id)
    return Status(201, help_plan_create(actor=request.user, pair=pair, **payload.dict()))


@router.post(
    PAIR + "/plans/{int:plan_id}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    summary="记录帮扶进展",
    description="记录方案的一步进展，方案完成进度随之更新。",
)
def add_progress(request: HttpRequest, kind: str, pair_id: int, plan_id: int, payload: ProgressIn) -> Any:
    pair = pairs.pair_get(user=request.user, kind=kind, pk=pair_id)
    plan = pairs.plan_get(user=request.user, pair=pair, pk=plan_id)
    return Status(201, help_progress_add(actor=request.user, plan=plan, pair=pair, **payload.dict()))


@router.post(
    PAIR + "/deliveries/",
    response={201: DeliveryOut, **WRITE_ERRORS},
    summary="记录对结对对象的五送",
    description="日期在结对日期与今天之间；已结束的结对不能再登记。",
)
def create_delivery(request: HttpRequest, kind: str, pair_id: int, payload: DeliveryIn) -> Any:
    pair = pairs.pair_get(user=request.user, kind=kind, pk=pair_id)
    return Status(201, delivery_record(actor=request.user, pair=pair, **payload.dict()))


# ---------------------------------------------------------------- missing reports, stations


@router.get(
    "/reports/missing/",
    response=list[MissingOut],
    summary="未报送的半年思想汇报",
    description="本范围流动党员应报未报的半年思想汇报（按应报日期，早的在前）。",
)
@paginate(Page, page_size=50)
def missing_reports(request: HttpRequest) -> Any:
    return mobile.missing_reports(user=request.user)


@router.get(
    "/stations/", response=list[StationOut], summary="流动党员服务站", description="本范围的服务站及在外党员数。"
)
@paginate(Page, page_size=50)
def stations(request: HttpRequest) -> Any:
    return mobile.station_list(user=request.user)


@router.post(
    "/stations/",
    response={201: StationOut, **WRITE_ERRORS},
    summary="设立流动党员服务站",
    description="为本组织或下级组织设立服务站；同一组织不能有同名服务站。",
)
def create_station(request: HttpRequest, payload: StationIn) -> Any:
    organization = org_selectors.organization_get(user=request.user, pk=payload.organization_id)
    station = station_create(actor=request.user, organization=organization, name=payload.name, address=payload.address)
    return Status(201, mobile.station_list(user=request.user).get(pk=station.pk))

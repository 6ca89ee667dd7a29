"""Mobile members' registration and moves over the API (流动党员, #13 point 8): registering a
member who leaves, the management agreement (generate, download, record its signing), a
move to another host and the return home.

Operations of the members router (``gongjian.api.members.router``; ``POST /mobile/`` shares
its path with the list); ``gongjian/api/urls.py`` imports this module. As the pages
(``members/views_mobile.py``): the member is found by ID number in the user's part of the
registry, the host by its organization code anywhere (members work far from home), a member
outside the scope is a 404, the wrong side a 403, a refusal 409/422.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.members import MemberOut, _choose, router
from gongjian.members import selectors_mobile as mobile
from gongjian.members import views_mobile
from gongjian.members.services_mobile import (
    agreement_generate,
    agreement_record_signed,
    member_move,
    member_register,
    member_return,
)

MEMBER = "/mobile/{int:member_id}"


class HostIn(Schema):
    host_code: str = Field("", max_length=32, description="流入地党组织的组织代码；选择服务站时可不填")
    station_id: int | None = Field(None, description="服务站（流入地按服务站所在组织）")


class RegisterIn(HostIn):
    id_number: str = Field(..., max_length=18, description="党员身份证号（该党员须已在本范围的人员名册中）")
    location: str = Field(..., max_length=128, description="外出地点")
    work: str = Field(..., max_length=128, description="从事工作")
    phone: str = Field("", max_length=20)
    left_on: datetime.date = Field(..., description="外出日期")


class MoveIn(HostIn):
    moved_on: datetime.date = Field(..., description="流动日期")
    location: str = Field(..., max_length=128, description="新的外出地点")
    work: str = Field(..., max_length=128, description="从事工作")


class ReturnIn(Schema):
    returned_on: datetime.date = Field(..., description="返回日期")


class SignIn(Schema):
    signed_on: datetime.date = Field(..., description="签订日期（不晚于今天）")
    branch_signer: str = Field(..., max_length=64, description="党支部签订人")


class AgreementOut(Schema):
    member_id: int
    generated: bool
    sha256: str
    signed_on: datetime.date | None
    branch_signer: str


def _host(request: HttpRequest, payload: HostIn) -> dict[str, Any]:
    """The host organization and station the form would accept, or the form's error (400)."""
    host = mobile.host_by_code(payload.host_code)
    if payload.host_code.strip() and host is None:
        raise ValidationError({"host_code": _("找不到该组织代码")})
    station = None
    if payload.station_id is not None:
        station = _choose(mobile.station_choices(user=request.user), payload.station_id, "station_id", _("服务站"))
    return {"host": host, "station": station}


@router.post(
    "/mobile/",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="登记流动党员",
    description=(
        "流出地党组织（或其上级）按身份证号在本范围人员名册中找到党员并登记外出；"
        "登记后须生成并签订流出党员管理协议书才完成登记。"
    ),
)
def register(request: HttpRequest, payload: RegisterIn) -> Any:
    person = mobile.person_by_id_number(user=request.user, id_number=payload.id_number)
    if person is None:
        raise ValidationError({"id_number": _("在您管理范围内的人员名册中找不到该身份证号")})
    values = payload.dict(exclude={"id_number", "host_code", "station_id"})
    member = member_register(actor=request.user, person=person, **values, **_host(request, payload))
    return Status(201, mobile.member_get(user=request.user, pk=member.pk))


@router.post(
    MEMBER + "/move",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="登记流动（更换流入地）",
    description="流出地或当前流入地党组织登记党员流动到新的地点；原流入地记录保留。已返回的不能再登记。",
)
def move(request: HttpRequest, member_id: int, payload: MoveIn) -> Any:
    member = mobile.member_get(user=request.user, pk=member_id)
    values = payload.dict(exclude={"host_code", "station_id"})
    member_move(actor=request.user, member=member, **values, **_host(request, payload))
    return mobile.member_get(user=request.user, pk=member_id)


@router.post(
    MEMBER + "/return",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="登记返回",
    description="流出地党组织登记党员返回；返回日期应在外出日期与今天之间。",
)
def return_home(request: HttpRequest, member_id: int, payload: ReturnIn) -> Any:
    member = mobile.member_get(user=request.user, pk=member_id)
    member_return(actor=request.user, member=member, returned_on=payload.returned_on)
    return mobile.member_get(user=request.user, pk=member_id)


def _agreement_out(member: Any) -> dict[str, Any]:
    agreement = mobile.member_agreement(member)
    if agreement is None:
        return {"member_id": member.pk, "generated": False, "sha256": "", "signed_on": None, "branch_signer": ""}
    return {
        "member_id": member.pk,
        "generated": bool(agreement.pdf),
        "sha256": agreement.sha256,
        "signed_on": agreement.signed_on,
        "branch_signer": agreement.branch_signer,
    }


@router.get(MEMBER + "/agreement", response={200: AgreementOut, **READ_ERRORS}, summary="流出党员管理协议书状态")
def agreement(request: HttpRequest, member_id: int) -> Any:
    return _agreement_out(mobile.member_get(user=request.user, pk=member_id))


@router.post(
    MEMBER + "/agreement",
    response={200: AgreementOut, **WRITE_ERRORS},
    summary="生成流出党员管理协议书",
    description="流出地党组织生成协议书（PDF，只生成一次并保存其 SHA-256），打印后由党员与党支部签订。",
)
def agreement_create(request: HttpRequest, member_id: int) -> Any:
    member = mobile.member_get(user=request.user, pk=member_id)
    agreement_generate(actor=request.user, member=member)
    return _agreement_out(member)


@router.get(
    MEMBER + "/agreement/pdf",
    response={200: None, **READ_ERRORS},
    summary="下载流出党员管理协议书（PDF）",
    description="按保存时的 SHA-256 校验后下载；下载留有审计记录。未生成的为 404。",
)
def agreement_pdf(request: HttpRequest, member_id: int) -> HttpResponseBase:
    # The page's own download (name, checksum, audit row), so the two cannot drift apart.
    return views_mobile.agreement_download_view(request, member_id)


@router.post(
    MEMBER + "/agreement/sign",
    response={200: AgreementOut, **WRITE_ERRORS},
    summary="登记协议书签订",
    description="流出地党组织登记党员与党支部签订协议书，流动党员登记由此完成；已签订的返回 409。",
)
def agreement_sign(request: HttpRequest, member_id: int, payload: SignIn) -> Any:
    member = mobile.member_get(user=request.user, pk=member_id)
    agreement_record_signed(actor=request.user, member=member, **payload.dict())
    return _agreement_out(member)

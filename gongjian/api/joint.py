"""Joint-organization endpoints (联建组织): list and read joint organizations, their members
and shared rules; an administrator of the joint organization adds and removes members and
adopts a new version of the rules.

Through the orgs selectors and joint services; a joint organization outside the user's view
is a 404, a member organization outside their scope too.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.joint import selectors as selectors_joint
from gongjian.joint import services as services_joint
from gongjian.orgs import selectors

router = Router(tags=["联建组织"])
Page = BoundedPageNumberPagination
JOINT = "/{int:joint_id}"


class MembershipOut(Schema):
    id: int
    member_id: int
    member: str = Field(..., alias="member.name")
    role: str
    role_label: str
    joined_on: datetime.date
    left_on: datetime.date | None
    left_reason: str

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return label(obj, "role")


class JointOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    joint_type: str = Field(..., alias="joint_profile.joint_type")
    founded_on: datetime.date = Field(..., alias="joint_profile.founded_on")
    purpose: str = Field(..., alias="joint_profile.purpose")
    members: list[MembershipOut] = Field(..., description="现有成员组织")

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(getattr(obj, "current_members", []))


class MemberIn(Schema):
    member_id: int = Field(..., description="加入的组织编号（须在本人管理范围内）")
    role: str = Field("member", pattern="^(lead|member)$", description="lead（牵头）或 member")
    joined_on: datetime.date | None = None


class RemoveIn(Schema):
    reason: str = Field(..., max_length=255, description="退出原因")
    left_on: datetime.date | None = None


class CharterIn(Schema):
    text: str = Field(..., max_length=50000, description="共同制度")
    items: list[str] = Field(default_factory=list, description="共享事项代码")
    adopted_on: datetime.date | None = None


class CharterOut(Schema):
    id: int
    version: int
    text: str
    items: list[str]
    adopted_on: datetime.date


@router.get("/", response=list[JointOut], summary="联建组织", description="可按名称（含拼音）与联建类型检索。")
@paginate(Page, page_size=50)
def list_joints(request: HttpRequest, q: str = "", joint_type: str = "") -> Any:
    return selectors_joint.joint_list(user=request.user, query=q, joint_type=joint_type)


@router.get(JOINT, response={200: JointOut, **READ_ERRORS}, summary="联建组织详情")
def get_joint(request: HttpRequest, joint_id: int) -> Any:
    return selectors_joint.joint_get(user=request.user, pk=joint_id)


@router.get(JOINT + "/members/", response={200: list[MembershipOut], **READ_ERRORS}, summary="成员组织（含已退出）")
def list_members(request: HttpRequest, joint_id: int) -> Any:
    joint = selectors_joint.joint_get(user=request.user, pk=joint_id)
    return list(selectors_joint.joint_members(user=request.user, joint=joint))


@router.post(
    JOINT + "/members/",
    response={201: MembershipOut, **WRITE_ERRORS},
    summary="增加成员组织",
    description="联建组织的管理员增加成员；指定新的牵头组织时原牵头组织改为成员。",
)
def add_member(request: HttpRequest, joint_id: int, payload: MemberIn) -> Any:
    joint = selectors_joint.joint_get(user=request.user, pk=joint_id)
    member = selectors.organization_get(user=request.user, pk=payload.member_id)
    membership = services_joint.joint_member_add(
        actor=request.user, joint=joint, member=member, role=payload.role, joined_on=payload.joined_on
    )
    return Status(201, membership)


@router.post(
    JOINT + "/members/{int:membership_id}/remove",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="成员组织退出",
    description="须写明退出原因；牵头组织不能退出，退出后仍须满足联建条件。",
)
def remove_member(request: HttpRequest, joint_id: int, membership_id: int, payload: RemoveIn) -> Any:
    joint = selectors_joint.joint_get(user=request.user, pk=joint_id)
    membership = selectors_joint.joint_membership_get(user=request.user, joint=joint, pk=membership_id)
    return services_joint.joint_member_remove(
        actor=request.user, membership=membership, reason=payload.reason, left_on=payload.left_on
    )


@router.get(JOINT + "/charters/", response={200: list[CharterOut], **READ_ERRORS}, summary="共同制度（各版本）")
def list_charters(request: HttpRequest, joint_id: int) -> Any:
    joint = selectors_joint.joint_get(user=request.user, pk=joint_id)
    return list(selectors_joint.joint_charters(user=request.user, joint=joint))


@router.post(
    JOINT + "/charters/",
    response={201: CharterOut, **WRITE_ERRORS},
    summary="通过新版共同制度",
    description="联建组织的管理员登记新版共同制度与共享事项。",
)
def adopt_charter(request: HttpRequest, joint_id: int, payload: CharterIn) -> Any:
    joint = selectors_joint.joint_get(user=request.user, pk=joint_id)
    return Status(201, services_joint.joint_charter_adopt(actor=request.user, joint=joint, **payload.dict()))

"""What the origin organization did for its members over the API (党员结对与流动党员, #13
point 8; seed 004 doc 3: the 七一 letter and the 腊月 forum with its 述职 and 评议; seed 002:
五送一建 for needy members).

Operations of the members router (``gongjian.api.members.router``); ``gongjian/api/urls.py``
imports this module. As the page (``members/views_care.py``): the records of the user's
subtree; the organization, attendees and member are chosen among the page's choices (one
outside them is a 404); a refusal is a 409/422 with the field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.members import router
from gongjian.members.selectors_care import care_origins, care_people, care_records, members_out
from gongjian.members.services_care import forum_record, letter_record, member_care_record


def _one(choices: QuerySet[Any], pk: int) -> Any:
    """One of the page's choices, or 404 (outside the user's subtree)."""
    found = choices.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


class LetterOut(Schema):
    id: int
    organization_id: int
    organization: str = Field(..., alias="organization.name")
    year: int
    sent_on: datetime.date
    summary: str
    recipients: int
    on_time: bool = Field(..., description="是否在“七一”前寄发")


class ForumOut(Schema):
    id: int
    organization_id: int
    organization: str = Field(..., alias="organization.name")
    lunar_year: int
    held_on: datetime.date
    report: str
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    opinions: str
    difficulties: str


class CareOut(Schema):
    id: int
    member_id: int
    member: str = Field(..., alias="member.name")
    organization: str = Field(..., alias="organization.name")
    cared_on: datetime.date
    content: str
    amount: Decimal | None


class CareRecordsOut(Schema):
    letters: list[LetterOut]
    forums: list[ForumOut]
    cares: list[CareOut]


class LetterIn(Schema):
    organization_id: int
    year: int = Field(..., ge=2000, le=2100)
    sent_on: datetime.date = Field(..., description="寄发日期")
    summary: str = Field(..., max_length=20000, description="通报内容（工作思路、核心任务、取得的成效）")


class ForumIn(Schema):
    organization_id: int
    lunar_year: int = Field(..., ge=2000, le=2100, description="农历年")
    held_on: datetime.date = Field(..., description="座谈日期（须在该农历年腊月）")
    attendee_ids: list[int] = Field(default_factory=list, description="参加的流出党员（流动党员编号）")
    report: str = Field(..., max_length=20000, description="党组织述职")
    satisfied: int = Field(0, ge=0, le=100_000)
    basically_satisfied: int = Field(0, ge=0, le=100_000)
    dissatisfied: int = Field(0, ge=0, le=100_000)
    opinions: str = Field("", max_length=20000)
    difficulties: str = Field("", max_length=20000)


class CareIn(Schema):
    member_id: int = Field(..., description="困难党员（人员编号）")
    cared_on: datetime.date
    content: str = Field(..., max_length=20000, description="关怀帮扶内容")
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="金额（元）")


@router.get(
    "/care",
    response={200: CareRecordsOut, **READ_ERRORS},
    summary="流出地党组织的七一慰问信、腊月座谈会与五送一建",
    description="本范围各党组织最近的登记。",
)
def care(request: HttpRequest) -> Any:
    return care_records(user=request.user)


@router.post(
    "/care/letters",
    response={201: LetterOut, **WRITE_ERRORS},
    summary="登记七一慰问信",
    description="流出地党组织登记向流出党员寄发的七一慰问信（每年一次，收信人数按当时在外人数）。",
)
def letter_create(request: HttpRequest, payload: LetterIn) -> Any:
    organization = _one(care_origins(user=request.user), payload.organization_id)
    values = payload.dict(exclude={"organization_id"})
    return Status(201, letter_record(actor=request.user, organization=organization, **values))


@router.post(
    "/care/forums",
    response={201: ForumOut, **WRITE_ERRORS},
    summary="登记腊月座谈会",
    description="流出地党组织在腊月召开返乡流动党员座谈会：述职、评议票数（不多于参加人数）、意见和困难。",
)
def forum_create(request: HttpRequest, payload: ForumIn) -> Any:
    organization = _one(care_origins(user=request.user), payload.organization_id)
    attendees = [_one(members_out(user=request.user), pk) for pk in dict.fromkeys(payload.attendee_ids)]
    values = payload.dict(exclude={"organization_id", "attendee_ids"})
    return Status(201, forum_record(actor=request.user, organization=organization, attendees=attendees, **values))


@router.post(
    "/care/cares",
    response={201: CareOut, **WRITE_ERRORS},
    summary="登记五送一建",
    description="党员所在党组织（或其上级）登记对困难党员的关怀帮扶。",
)
def care_create(request: HttpRequest, payload: CareIn) -> Any:
    member = _one(care_people(user=request.user), payload.member_id)
    values = payload.dict(exclude={"member_id"})
    return Status(201, member_care_record(actor=request.user, member=member, **values))

"""Schemas of the archive endpoints (api/records.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from gongjian.api.common import label
from gongjian.orgs.personal_data import mask_phone


class PairingOut(Schema):
    id: int
    round_id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    village_id: int
    village: str = Field(..., alias="village.name")
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")


class SummaryOut(Schema):
    visits: int
    six_musts: int
    deliveries: int
    delivered_yuan: Decimal | None
    projects: int
    open_feedback: int
    overdue_feedback: int


class PairingDetailOut(PairingOut):
    my_side: str | None = Field(None, description="当前用户在该结对中的一方：unit、village 或空")
    summary: SummaryOut


class VisitIn(Schema):
    date: datetime.date
    visitor_level: str = Field(..., max_length=16, description="走访人员层级代码")
    visitors: str = Field(..., max_length=255, description="走访人员（姓名、职务）")
    content: str = Field(..., max_length=20000, description="走访内容")


class VisitOut(Schema):
    id: int
    pairing_id: int
    date: datetime.date
    visitor_level: str
    visitor_level_label: str
    visitors: str
    content: str
    photos: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_visitor_level_label(obj: Any) -> str:
        return label(obj, "visitor_level")

    @staticmethod
    def resolve_photos(obj: Any) -> int:
        return len(obj.photos.all())


class SixMustIn(Schema):
    date: datetime.date
    kind: str = Field(..., max_length=16, description="六个一项目代码")
    content: str = Field(..., max_length=20000)


class SixMustOut(Schema):
    id: int
    pairing_id: int
    date: datetime.date
    kind: str
    kind_label: str
    content: str
    has_evidence: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return label(obj, "kind")

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)


class DeliveryIn(Schema):
    date: datetime.date
    kind: str = Field(..., max_length=16, description="五送类别代码")
    content: str = Field(..., max_length=20000)
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="金额（元）")


class DeliveryOut(Schema):
    id: int
    pairing_id: int
    date: datetime.date
    kind: str
    kind_label: str
    content: str
    amount: Decimal | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return label(obj, "kind")


class ProjectIn(Schema):
    name: str = Field(..., max_length=128)
    goal: str = Field(..., max_length=20000)
    budget: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    start: datetime.date
    end: datetime.date


class ProgressIn(Schema):
    status: str = Field(..., max_length=16, description="项目状态代码")
    progress: int = Field(..., ge=0, le=100, description="进度（%）")


class MilestoneOut(Schema):
    id: int
    title: str
    due: datetime.date
    done_on: datetime.date | None


class ProjectOut(Schema):
    id: int
    pairing_id: int
    name: str
    goal: str
    budget: Decimal
    start: datetime.date
    end: datetime.date
    status: str
    status_label: str
    progress: int
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")

    @staticmethod
    def resolve_milestones(obj: Any) -> list[Any]:
        return list(obj.milestones.all())


class ContactIn(Schema):
    side: str = Field(..., max_length=8, description="所属方：unit 或 village")
    name: str = Field(..., max_length=64)
    post: str = Field("", max_length=64)
    phone: str = Field("", max_length=30)


class ContactOut(Schema):
    id: int
    pairing_id: int
    side: str
    name: str
    post: str
    phone: str = Field(..., description="联系电话（已打码）")

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return mask_phone(obj.phone)


class FeedbackIn(Schema):
    villager_name: str = Field(..., max_length=64, description="反映人")
    opinion: str = Field(..., max_length=20000, description="意见建议")


class AnswerIn(Schema):
    answer: str = Field(..., max_length=20000, description="答复内容")


class FeedbackOut(Schema):
    id: int
    pairing_id: int
    unit: str = Field(..., alias="pairing.unit.name")
    village: str = Field(..., alias="pairing.village.name")
    villager_name: str
    opinion: str
    entered_at: datetime.datetime
    due: datetime.date
    answer: str
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")


class CardIn(Schema):
    month: datetime.date = Field(..., description="月份（任一日期，取其所在月）")
    work: str = Field(..., max_length=20000, description="本月工作实绩")
    submit: bool = Field(False, description="true 为报送，false 为保存草稿")


class CommentIn(Schema):
    comment: str = Field(..., max_length=20000, description="签注意见或退回意见")


class CardOut(Schema):
    id: int
    pairing_id: int
    unit: str = Field(..., alias="pairing.unit.name")
    village: str = Field(..., alias="pairing.village.name")
    month: datetime.date
    work: str
    status: str
    status_label: str
    submitted_at: datetime.datetime | None
    countersigned_at: datetime.datetime | None
    village_comment: str
    return_comment: str
    acknowledged_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")


class ReportIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    body: str = Field(..., max_length=100000, description="报告正文")
    submit: bool = Field(False, description="true 为报送上级，false 为保存草稿")


class ReportOut(Schema):
    id: int | None
    organization_id: int
    organization: str = Field(..., alias="organization.name")
    year: int
    quarter: int
    body: str
    status: str
    status_label: str
    submitted_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")

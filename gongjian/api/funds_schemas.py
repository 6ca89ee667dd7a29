"""Schemas of the aid-funds endpoints (api/funds.py). Amounts are yuan with two places."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from gongjian.api.common import label

Money = Decimal


class LedgerOut(Schema):
    pledged: Money
    transferred: Money
    received: Money
    used: Money
    balance: Money = Field(..., description="结余 = 到账 − 使用")
    in_transit: Money = Field(..., description="在途 = 拨付 − 到账")


class FundsPairingOut(Schema):
    id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    village_id: int
    village: str = Field(..., alias="village.name")
    status: str


class FundsPairingDetailOut(FundsPairingOut):
    ledger: LedgerOut


class VillageOut(Schema):
    id: int
    code: str
    name: str


class VillageLineOut(Schema):
    pairing_id: int
    unit: str
    ledger: LedgerOut


class VillageLedgerOut(VillageOut):
    total: LedgerOut
    pooled_used: Money = Field(..., description="统筹使用：未记到某一结对的使用")
    lines: list[VillageLineOut]


class PledgeIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    amount: Money = Field(..., max_digits=14, decimal_places=2, description="认捐金额（元）")
    purpose: str = Field(..., max_length=255)
    pledged_at: datetime.date


class PledgeOut(Schema):
    id: int
    pairing_id: int
    year: int
    amount: Money
    purpose: str
    pledged_at: datetime.date


class TransferIn(Schema):
    date: datetime.date
    amount: Money = Field(..., max_digits=14, decimal_places=2, description="拨付金额（元）")
    channel: str = Field("direct", max_length=16, description="direct（直接拨付）或 foundation（通过公益基金会）")
    foundation_name: str = Field("", max_length=128)
    reference: str = Field("", max_length=64, description="凭证号/流水号")
    note: str = Field("", max_length=255)


class ReceiptOut(Schema):
    id: int
    transfer_id: int
    received_on: datetime.date
    amount: Money
    note: str


class TransferOut(Schema):
    id: int
    pairing_id: int
    unit: str = Field(..., alias="pairing.unit.name")
    village: str = Field(..., alias="pairing.village.name")
    date: datetime.date
    amount: Money
    channel: str
    channel_label: str
    foundation_name: str
    reference: str
    note: str
    received: bool

    @staticmethod
    def resolve_channel_label(obj: Any) -> str:
        return label(obj, "channel")

    @staticmethod
    def resolve_received(obj: Any) -> bool:
        return hasattr(obj, "receipt")


class ReceiptIn(Schema):
    received_on: datetime.date
    amount: Money = Field(..., max_digits=14, decimal_places=2)
    note: str = Field("", max_length=255, description="到账少于拨付时必填")


class UseIn(Schema):
    date: datetime.date = Field(..., description="使用日期")
    amount: Money = Field(..., max_digits=14, decimal_places=2, description="使用金额（元）")
    purpose: str = Field(..., max_length=255, description="用途")
    pairing_id: int | None = Field(None, description="记到某一结对（不填为统筹使用）")


class UseOut(Schema):
    id: int
    village_id: int
    pairing_id: int | None
    date: datetime.date
    amount: Money
    purpose: str


class DisclosureIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    period_kind: str = Field(..., max_length=8, description="half（半年）或 quarter（季度）")
    period_number: int = Field(..., ge=1, le=4)
    note: str = Field("", max_length=2000)


class DisclosureOut(Schema):
    id: int
    village_id: int
    year: int
    period_kind: str
    period_number: int
    period_start: datetime.date
    period_end: datetime.date
    received_total: Money
    used_total: Money
    balance_at_end: Money
    content: dict[str, Any]
    note: str
    published_at: datetime.datetime


class FeedbackIn(Schema):
    body: str = Field(..., max_length=20000, description="资金使用情况")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


class DonorFeedbackOut(Schema):
    id: int
    pairing_id: int
    date: datetime.date
    period_start: datetime.date | None
    period_end: datetime.date | None
    body: str
    received_total: Money
    used_total: Money
    read_at: datetime.datetime | None

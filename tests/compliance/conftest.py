"""Signed pairs under a chosen profile, and helpers that write records the way the records
and funds apps store them.

The world: in 商南县 (the county of the standing cast), unit U1 (the cast's 农业农村局) is
paired with 花家村 (tag weak, pair A) and 王家沟村 (tag lax, pair B); unit U2 (卫健局, new)
with 石门村 (tag weak, pair C). The term runs 2025-07-01 to 2028-06-30, so 2026 is a whole
year inside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gongjian.accounts.models import Role, User
from gongjian.funds.models import Transfer
from gongjian.orgs.models import AgencyLine, Organization, OrgKind, OrgLevel, Tag
from gongjian.records.choices import CardStatus, FeedbackStatus, ReportStatus
from gongjian.records.models import (
    Delivery,
    FeedbackCard,
    PerformanceCard,
    Project,
    QuarterlyReport,
    SixMustRecord,
    Visit,
)
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, Round
from gongjian.rounds.services_setup import round_create, round_open
from tests.conftest import Cast, make_org, make_user

TERM_START = datetime.date(2025, 7, 1)
TERM_END = datetime.date(2028, 6, 30)


@dataclass
class World:
    cast: Cast
    round: Round
    unit1: Organization
    unit2: Organization
    village_c: Organization
    unit2_user: User
    a: Pairing
    b: Pairing
    c: Pairing


def make_world(cast: Cast, policy_key: str) -> World:
    """Three signed pairs of a round under ``policy_key`` (pairs set directly: signing itself
    is the rounds app's business and is tested there)."""
    village_c = make_org(
        cast.town, "C0101", "石门村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE, region=cast.village.region,
        tags=[Tag.objects.get(code="weak")],
    )  # fmt: skip
    unit2 = make_org(
        cast.county, "C0102", "商南县卫生健康局机关党委", OrgLevel.COMMITTEE, OrgKind.AGENCY,
        line=AgencyLine.OTHER, capacity=1,
    )  # fmt: skip
    today = datetime.date.today()
    round_ = round_create(
        actor=cast.city_admin,
        scope=cast.city,
        name="结对共建考核测试轮次",
        policy_key=policy_key,
        intent_deadline=today + datetime.timedelta(days=30),
        signing_deadline=today + datetime.timedelta(days=60),
        term_start=today + datetime.timedelta(days=60),
        term_end=today + datetime.timedelta(days=60 + 3 * 365),
    )
    round_open(actor=cast.city_admin, round_=round_)
    Round.objects.filter(pk=round_.pk).update(term_start=TERM_START, term_end=TERM_END)
    round_.refresh_from_db()

    def pair(unit: Organization, village: Organization) -> Pairing:
        return Pairing.objects.create(
            round=round_,
            entry=DirectoryEntry.objects.get(round=round_, village=village),
            unit=unit,
            village=village,
            origin=PairingOrigin.ALLOCATION,
            status=PairingStatus.SIGNED,
        )

    return World(
        cast=cast,
        round=round_,
        unit1=cast.unit,
        unit2=unit2,
        village_c=village_c,
        unit2_user=make_user("unit2", Role.UNIT_USER, unit2),
        a=pair(cast.unit, cast.village),
        b=pair(cast.unit, cast.other_village),
        c=pair(unit2, village_c),
    )


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def visit(pairing: Pairing, day: datetime.date, level: str) -> Visit:
    return Visit.objects.create(pairing=pairing, date=day, visitor_level=level, visitors="张三 局长", content="走访")


def six_must(pairing: Pairing, day: datetime.date, kind: str) -> SixMustRecord:
    return SixMustRecord.objects.create(pairing=pairing, date=day, kind=kind, content="开展活动")


def delivery(pairing: Pairing, day: datetime.date, kind: str) -> Delivery:
    return Delivery.objects.create(pairing=pairing, date=day, kind=kind, content="五送")


def transfer(pairing: Pairing, day: datetime.date, amount: int, user: User) -> Transfer:
    return Transfer.objects.create(pairing=pairing, date=day, amount=Decimal(amount), recorded_by=user)


def project(pairing: Pairing, progress: int, start: datetime.date, end: datetime.date) -> Project:
    return Project.objects.create(
        pairing=pairing, name="茶园提升", goal="新建茶园", budget=Decimal(50000), start=start, end=end,
        progress=progress,
    )  # fmt: skip


def card(pairing: Pairing, month: int, submitted: datetime.date, countersigned: datetime.date) -> None:
    PerformanceCard.objects.create(
        pairing=pairing,
        month=datetime.date(2026, month, 1),
        work="本月工作",
        status=CardStatus.COUNTERSIGNED,
        submitted_at=at(submitted),
        countersigned_at=at(countersigned),
    )


def feedback(pairing: Pairing, entered: datetime.date, answered: datetime.date | None) -> FeedbackCard:
    return FeedbackCard.objects.create(
        pairing=pairing,
        villager_name="王大爷",
        opinion="修路",
        entered_at=at(entered),
        due=entered + datetime.timedelta(days=15),
        answer="已协调" if answered else "",
        answered_at=at(answered) if answered else None,
        status=FeedbackStatus.ANSWERED if answered else FeedbackStatus.OPEN,
    )


def report(unit: Organization, year: int, quarter: int, submitted: datetime.date) -> QuarterlyReport:
    return QuarterlyReport.objects.create(
        organization=unit, year=year, quarter=quarter, body="季度报告", status=ReportStatus.SUBMITTED,
        submitted_at=at(submitted),
    )  # fmt: skip


@pytest.fixture
def world_factory(cast: Cast):  # type: ignore[no-untyped-def]
    return lambda key: make_world(cast, key)

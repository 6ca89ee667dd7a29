"""A year of realistic aid-fund records for demo and benchmark data, written in bulk.

Weak villages (the tag named by the round's policy profile, ``obligations.funds``) mostly
get at least the profile's yearly minimum, some fall short; other pairings sometimes pledge
and pay smaller sums. Villages confirm most transfers, spend part of what they received
(uses dated after the money arrived, so no balance is ever negative), publish half-year
disclosures when the half is over, and send some feedback to donors.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gongjian.funds.models import Channel, Disclosure, DonorFeedback, PeriodKind, Pledge, Receipt, Transfer, Use
from gongjian.orgs.models import Organization
from gongjian.policies import PolicyProfileError, load_profile
from gongjian.rounds.models import Pairing, Round

BATCH = 5_000
FOUNDATIONS = ["市慈善基金会", "市红十字会", "县乡村振兴公益基金会", "区慈善协会"]
PURPOSES = [
    "村道硬化",
    "农田水利设施维修",
    "村级活动场所修缮",
    "特色种植产业扶持",
    "困难党员和群众慰问",
    "村卫生室设备购置",
    "人居环境整治",
    "农产品冷库建设",
    "村小学图书和文体器材",
    "农民实用技术培训",
]
PLEDGE_PURPOSES = ["村集体经济发展", "基础设施建设", "产业帮扶", "民生实事项目", "党建阵地建设"]
VOUCHER = "funds/uses/demo/voucher.pdf"  # demo rows name a voucher; no file is written


@dataclass
class FundsDemoResult:
    counts: dict[str, int] = field(default_factory=dict)


def _fen(rng: random.Random, low: int, high: int) -> Decimal:
    """A round-ish amount in yuan between low and high (to the hundred, sometimes the fen)."""
    value = Decimal(rng.randint(low // 100, high // 100) * 100)
    if rng.random() < 0.1:
        value += Decimal(rng.randint(1, 99)) / 100
    return value


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """Split an amount into ``parts`` positive amounts (to the fen) that add up exactly."""
    if parts <= 1 or total < parts:
        return [total]
    cents = int(total * 100)
    cuts = sorted(rng.sample(range(1, cents), parts - 1))
    edges = [0, *cuts, cents]
    return [Decimal(edges[i + 1] - edges[i]) / 100 for i in range(parts)]


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _fund_rules(pairings: Sequence[Pairing]) -> dict[int, tuple[str, Decimal]]:
    """Round id → (village tag, yearly minimum) from the round's profile, when it has one."""
    rules: dict[int, tuple[str, Decimal]] = {}
    for round_id, key in Round.objects.filter(pk__in={p.round_id for p in pairings}).values_list("pk", "policy_key"):
        try:
            profile = load_profile(key)
        except PolicyProfileError:
            continue
        if profile.funds:
            rule = profile.funds[0]
            rules[round_id] = (rule.village_tag, Decimal(rule.min_yuan_per_year))
    return rules


def _tagged(village_ids: set[int], tags: set[str]) -> set[tuple[int, str]]:
    through = Organization.tags.through
    rows = through.objects.filter(organization_id__in=village_ids, tag__code__in=tags).values_list(
        "organization_id", "tag__code"
    )
    return set(rows)


def _default_user() -> Any:
    user_model = get_user_model()
    user = (
        user_model.objects.filter(is_active=True, role="city_admin").order_by("pk").first()
        or user_model.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise ValueError("生成帮扶资金演示数据需要一个市级管理员账号（作为登记人）")
    return user


def generate_funds(
    pairings: Sequence[Pairing], year: int, rng: random.Random, *, recorded_by: Any = None
) -> FundsDemoResult:
    """Bulk-create a year of pledges, transfers, receipts, uses, disclosures and donor feedback
    for ``pairings`` (signed ones). Dates stay within ``year`` and not after today.

    ``recorded_by`` (default: the first active city admin) is written as the recorder of
    every row. Returns the counts created.
    """
    user = recorded_by or _default_user()
    today = timezone.localdate()
    year_start, year_end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    if year_end < year_start:
        return FundsDemoResult(counts={})
    rules = _fund_rules(pairings)
    village_of = {p.pk: p.village_id for p in pairings}
    tagged = _tagged({p.village_id for p in pairings}, {tag for tag, _m in rules.values()})
    pledges: list[Pledge] = []
    transfers: list[Transfer] = []
    for pairing in pairings:
        rule = rules.get(pairing.round_id)
        weak = rule is not None and (pairing.village_id, rule[0]) in tagged
        if weak:
            minimum = rule[1]  # type: ignore[index]
            pledged = minimum * rng.choice([Decimal(1), Decimal(1), Decimal(1), Decimal("1.5"), Decimal(2)])
            # Most weak villages get at least the minimum; about one in eight falls short.
            paid = pledged if rng.random() > 0.125 else (minimum * rng.randint(30, 95) / 100).quantize(Decimal("1"))
        elif rng.random() < 0.5:
            pledged = _fen(rng, 3_000, 50_000)
            paid = (pledged * rng.randint(50, 100) / 100).quantize(Decimal("0.01"))
        else:
            continue
        pledges.append(
            Pledge(
                pairing_id=pairing.pk,
                year=year,
                amount=pledged,
                purpose=rng.choice(PLEDGE_PURPOSES),
                pledged_at=_day(rng, year_start, min(datetime.date(year, 3, 31), year_end)),
                recorded_by=user,
            )
        )
        for amount in _split(rng, paid, rng.choice([1, 1, 2, 2, 3, 4])):
            foundation = rng.random() < 0.25
            transfers.append(
                Transfer(
                    pairing_id=pairing.pk,
                    date=_day(rng, year_start, year_end),
                    amount=amount,
                    channel=Channel.FOUNDATION if foundation else Channel.DIRECT,
                    foundation_name=rng.choice(FOUNDATIONS) if foundation else "",
                    recorded_by=user,
                )
            )
    with transaction.atomic():
        Pledge.objects.bulk_create(pledges, batch_size=BATCH)
        Transfer.objects.bulk_create(transfers, batch_size=BATCH)
        receipts = [
            Receipt(
                transfer_id=t.pk,
                received_on=min(t.date + datetime.timedelta(days=rng.randint(0, 10)), year_end),
                amount=t.amount,
                confirmed_by=user,
            )
            for t in transfers
            if rng.random() < 0.95
        ]
        Receipt.objects.bulk_create(receipts, batch_size=BATCH)
        by_pk = {t.pk: t for t in transfers}
        uses = _uses(rng, receipts, by_pk, village_of, year_end, user)
        Use.objects.bulk_create(uses, batch_size=BATCH)
        disclosures = _disclosures(rng, receipts, uses, by_pk, village_of, year, today, user)
        Disclosure.objects.bulk_create(disclosures, batch_size=BATCH)
        feedback = [
            DonorFeedback(
                pairing_id=pairing_id,
                date=year_end,
                body=f"贵单位帮扶资金已用于：{purpose}等，详见村务公开栏。",
                received_total=Decimal("0"),
                used_total=total,
                sent_by=user,
            )
            for pairing_id, (purpose, total) in _used_by_pairing(uses).items()
            if rng.random() < 0.6
        ]
        DonorFeedback.objects.bulk_create(feedback, batch_size=BATCH)
    return FundsDemoResult(
        counts={
            "pledges": len(pledges),
            "transfers": len(transfers),
            "receipts": len(receipts),
            "uses": len(uses),
            "disclosures": len(disclosures),
            "donor_feedback": len(feedback),
        }
    )


def _uses(
    rng: random.Random,
    receipts: list[Receipt],
    transfers: dict[int, Transfer],
    village_of: dict[int, int],
    year_end: datetime.date,
    user: Any,
) -> list[Use]:
    """Spend 50–95 % of each pairing's receipts, after the last of them arrived."""
    by_pairing: dict[int, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        by_pairing[transfers[receipt.transfer_id].pairing_id].append(receipt)
    uses = []
    for pairing_id, items in by_pairing.items():
        received = sum((r.amount for r in items), Decimal("0"))
        spend = (received * rng.randint(50, 95) / 100).quantize(Decimal("0.01"))
        if spend <= 0:
            continue
        village_id = village_of[pairing_id]
        last = max(r.received_on for r in items)
        for amount in _split(rng, spend, rng.choice([1, 2, 2, 3])):
            uses.append(
                Use(
                    village_id=village_id,
                    pairing_id=pairing_id,
                    date=_day(rng, last, year_end),
                    amount=amount,
                    purpose=rng.choice(PURPOSES),
                    voucher=VOUCHER,
                    recorded_by=user,
                )
            )
    return uses


def _used_by_pairing(uses: list[Use]) -> dict[int, tuple[str, Decimal]]:
    result: dict[int, tuple[str, Decimal]] = {}
    for use in uses:
        purpose, total = result.get(use.pairing_id or 0, (use.purpose, Decimal("0")))
        result[use.pairing_id or 0] = (purpose, total + use.amount)
    return result


def _prior_balances(village_ids: set[int], before: datetime.date) -> dict[int, Decimal]:
    """What each village had on the books before the year (two GROUP BY queries)."""
    balance: dict[int, Decimal] = defaultdict(Decimal)
    received = (
        Receipt.objects.filter(transfer__pairing__village_id__in=village_ids, received_on__lt=before)
        .values("transfer__pairing__village_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in received:
        balance[row["transfer__pairing__village_id"]] += row["total"]
    used = (
        Use.objects.filter(village_id__in=village_ids, date__lt=before)
        .values("village_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for spent in used:
        balance[spent["village_id"]] -= spent["total"]
    return balance


def _disclosures(
    rng: random.Random,
    receipts: list[Receipt],
    uses: list[Use],
    transfers: dict[int, Transfer],
    village_of: dict[int, int],
    year: int,
    today: datetime.date,
    user: Any,
) -> list[Disclosure]:
    """Half-year disclosures (snapshots) of the halves that are over, for most villages."""
    halves = [
        (n, datetime.date(year, m1, 1), datetime.date(year, m2, d2))
        for n, m1, m2, d2 in ((1, 1, 6, 30), (2, 7, 12, 31))
        if datetime.date(year, m2, d2) < today
    ]
    if not halves:
        return []
    village_receipts: dict[int, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        village_receipts[village_of[transfers[receipt.transfer_id].pairing_id]].append(receipt)
    village_uses: dict[int, list[Use]] = defaultdict(list)
    for use in uses:
        village_uses[use.village_id].append(use)
    pairing_ids = {t.pairing_id for t in transfers.values()}
    unit_of = dict(Pairing.objects.filter(pk__in=pairing_ids).values_list("pk", "unit__name"))
    balance = _prior_balances(set(village_receipts), datetime.date(year, 1, 1))
    published_at = timezone.now()
    result = []
    for village_id in sorted(village_receipts):
        for number, start, end in halves:
            got = [r for r in village_receipts[village_id] if start <= r.received_on <= end]
            spent = [u for u in village_uses[village_id] if start <= u.date <= end]
            received = sum((r.amount for r in got), Decimal("0"))
            used = sum((u.amount for u in spent), Decimal("0"))
            balance[village_id] += received - used
            if rng.random() > 0.8:
                continue  # some villages have not posted this half
            result.append(
                Disclosure(
                    village_id=village_id,
                    year=year,
                    period_kind=PeriodKind.HALF,
                    period_number=number,
                    period_start=start,
                    period_end=end,
                    received_total=received,
                    used_total=used,
                    balance_at_end=balance[village_id],
                    content={
                        "receipts": [
                            {
                                "date": r.received_on.isoformat(),
                                "donor": unit_of.get(transfers[r.transfer_id].pairing_id, ""),
                                "channel": str(transfers[r.transfer_id].get_channel_display()),
                                "foundation": transfers[r.transfer_id].foundation_name,
                                "amount": str(r.amount),
                            }
                            for r in sorted(got, key=lambda r: r.received_on)
                        ],
                        "uses": [
                            {"date": u.date.isoformat(), "purpose": u.purpose, "amount": str(u.amount)}
                            for u in sorted(spent, key=lambda u: u.date)
                        ],
                    },
                    published_at=published_at,
                    published_by=user,
                )
            )
    return result

"""The ledger (台账), computed from the rows in SQL: per pairing and per village.

    pledged      认捐      sum of pledges
    transferred  已拨付    sum of the unit's transfers
    received     已到账    sum of the village's receipts
    used         已使用    sum of the village's uses
    balance    = received − used          (结余, never negative: the services refuse it)
    in_transit = transferred − received   (在途)

A village's totals are the sum over its pairings plus uses not charged to one pairing
(统筹使用); ``tests/funds/test_ledger.py`` proves the identities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear

from gongjian.funds.models import Pledge, Receipt, Transfer, Use
from gongjian.rounds.models import Pairing

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Ledger:
    pledged: Decimal = ZERO
    transferred: Decimal = ZERO
    received: Decimal = ZERO
    used: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.received - self.used

    @property
    def in_transit(self) -> Decimal:
        return self.transferred - self.received

    def __add__(self, other: Ledger) -> Ledger:
        return Ledger(
            self.pledged + other.pledged,
            self.transferred + other.transferred,
            self.received + other.received,
            self.used + other.used,
        )


def _sums(rows: Iterable[Any], key: str) -> dict[int, Decimal]:
    """{group: total} from ``.values(key).annotate(total=Sum(...))`` rows."""
    return {int(row[key]): row["total"] if row["total"] is not None else ZERO for row in rows}


def pairing_ledgers(pairing_ids: Iterable[int], *, year: int | None = None) -> dict[int, Ledger]:
    """The ledger of each pairing (four GROUP BY queries, whatever the number of pairings).

    With ``year``: pledges for that year, and transfers, receipts and uses dated in it.
    """
    ids = list(pairing_ids)
    pledges = Pledge.objects.filter(pairing_id__in=ids)
    transfers = Transfer.objects.filter(pairing_id__in=ids)
    receipts = Receipt.objects.filter(transfer__pairing_id__in=ids)
    uses = Use.objects.filter(pairing_id__in=ids)
    if year is not None:
        pledges = pledges.filter(year=year)
        transfers = transfers.filter(date__year=year)
        receipts = receipts.filter(received_on__year=year)
        uses = uses.filter(date__year=year)
    pledged = _sums(pledges.values("pairing_id").annotate(total=Sum("amount")).order_by(), "pairing_id")
    transferred = _sums(transfers.values("pairing_id").annotate(total=Sum("amount")).order_by(), "pairing_id")
    received = _sums(
        receipts.values("transfer__pairing_id").annotate(total=Sum("amount")).order_by(), "transfer__pairing_id"
    )
    used = _sums(uses.values("pairing_id").annotate(total=Sum("amount")).order_by(), "pairing_id")
    return {
        pk: Ledger(pledged.get(pk, ZERO), transferred.get(pk, ZERO), received.get(pk, ZERO), used.get(pk, ZERO))
        for pk in ids
    }


def pairing_ledger(pairing: Pairing) -> Ledger:
    return pairing_ledgers([pairing.pk])[pairing.pk]


@dataclass
class VillageLedger:
    """A village's ledger: one line per pairing (donor), uses charged to no single pairing,
    and the totals, which are computed independently from the village's own rows."""

    total: Ledger
    lines: list[tuple[Pairing, Ledger]] = field(default_factory=list)
    pooled_used: Decimal = ZERO  # 统筹使用: uses not charged to one pairing

    def lines_sum(self) -> Ledger:
        result = Ledger(used=self.pooled_used)
        for _pairing, ledger in self.lines:
            result = result + ledger
        return result


def village_pairings(village_id: int) -> list[Pairing]:
    """Every pairing the village has had (ended ones keep their money on the books)."""
    return list(
        Pairing.objects.filter(village_id=village_id).select_related("unit", "round").order_by("round_id", "unit__path")
    )


def village_totals(village_id: int) -> Ledger:
    """The village's own totals, from its rows directly (not by adding up pairings)."""

    def total(qs: object) -> Decimal:
        value = qs.aggregate(total=Sum("amount"))["total"]  # type: ignore[attr-defined]
        return value if value is not None else ZERO

    return Ledger(
        pledged=total(Pledge.objects.filter(pairing__village_id=village_id)),
        transferred=total(Transfer.objects.filter(pairing__village_id=village_id)),
        received=total(Receipt.objects.filter(transfer__pairing__village_id=village_id)),
        used=total(Use.objects.filter(village_id=village_id)),
    )


def village_ledger(village_id: int) -> VillageLedger:
    pairings = village_pairings(village_id)
    by_pairing = pairing_ledgers([p.pk for p in pairings])
    pooled = Use.objects.filter(village_id=village_id, pairing__isnull=True).aggregate(total=Sum("amount"))["total"]
    return VillageLedger(
        total=village_totals(village_id),
        lines=[(p, by_pairing[p.pk]) for p in pairings],
        pooled_used=pooled if pooled is not None else ZERO,
    )


def _by_year(queryset: QuerySet[Any], date_field: str) -> dict[int, Decimal]:
    grouped = queryset.annotate(y=ExtractYear(date_field)).values("y").annotate(total=Sum("amount")).order_by()
    return _sums(grouped, "y")


def yearly(*, pairing_id: int | None = None, village_id: int | None = None) -> list[tuple[int, Ledger]]:
    """The ledger year by year (received and used in each year; balance carried over)."""
    if pairing_id is not None:
        pledges = Pledge.objects.filter(pairing_id=pairing_id)
        transfers = Transfer.objects.filter(pairing_id=pairing_id)
        receipts = Receipt.objects.filter(transfer__pairing_id=pairing_id)
        uses = Use.objects.filter(pairing_id=pairing_id)
    else:
        pledges = Pledge.objects.filter(pairing__village_id=village_id)
        transfers = Transfer.objects.filter(pairing__village_id=village_id)
        receipts = Receipt.objects.filter(transfer__pairing__village_id=village_id)
        uses = Use.objects.filter(village_id=village_id)
    columns: dict[str, dict[int, Decimal]] = {
        "pledged": _sums(pledges.values("year").annotate(total=Sum("amount")).order_by(), "year"),
        "transferred": _by_year(transfers, "date"),
        "received": _by_year(receipts, "received_on"),
        "used": _by_year(uses, "date"),
    }
    years: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for name, values in columns.items():
        for y, amount in values.items():
            years[y][name] = amount
    return [(y, Ledger(**years[y])) for y in sorted(years)]


def village_ledgers(village_ids: Iterable[int]) -> dict[int, Ledger]:
    """The totals of each village (four GROUP BY queries for a whole page of villages)."""
    ids = list(village_ids)

    def grouped(queryset: QuerySet[Any], key: str) -> dict[int, Decimal]:
        return _sums(queryset.values(key).annotate(total=Sum("amount")).order_by(), key)

    pledged = grouped(Pledge.objects.filter(pairing__village_id__in=ids), "pairing__village_id")
    transferred = grouped(Transfer.objects.filter(pairing__village_id__in=ids), "pairing__village_id")
    received = grouped(Receipt.objects.filter(transfer__pairing__village_id__in=ids), "transfer__pairing__village_id")
    used = grouped(Use.objects.filter(village_id__in=ids), "village_id")
    return {
        pk: Ledger(pledged.get(pk, ZERO), transferred.get(pk, ZERO), received.get(pk, ZERO), used.get(pk, ZERO))
        for pk in ids
    }

"""The ledger balances: per pairing and per village, under random sequences of operations,
with exact decimals (0.10 + 0.20 is 0.30, not 0.30000000000000004)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.ledger import ZERO, Ledger, pairing_ledgers, village_ledger, village_totals, yearly
from gongjian.funds.models import Transfer
from gongjian.funds.services import pledge_create, receipt_confirm, transfer_create, use_create
from gongjian.rounds.models import Pairing
from tests.conftest import Cast, make_user
from tests.funds.conftest import Pairs, voucher

D = Decimal


def test_decimal_exactness(cast: Cast, pairs: Pairs) -> None:
    day = datetime.date(2026, 1, 5)
    for amount in ("0.10", "0.20"):
        t = transfer_create(actor=cast.unit_user, pairing=pairs.main, date=day, amount=D(amount))
        receipt_confirm(actor=cast.village_user, transfer=t, received_on=day, amount=D(amount))
    assert 0.1 + 0.2 != 0.3  # why floats are never used for money
    totals = village_totals(cast.village.pk)
    assert totals.received == D("0.30") and isinstance(totals.received, Decimal)
    use_create(
        actor=cast.village_user, village=cast.village, date=day, amount=D("0.30"), purpose="x", voucher=voucher()
    )
    assert village_totals(cast.village.pk).balance == D("0.00")
    with pytest.raises(FundsActionRefused):
        use_create(
            actor=cast.village_user, village=cast.village, date=day, amount=D("0.01"), purpose="x", voucher=voucher()
        )


def check_invariants(village_ids: list[int], pairings: list[Pairing], expected: dict[str, dict[int, Decimal]]) -> None:
    by_pairing = pairing_ledgers([p.pk for p in pairings])
    for p in pairings:
        ledger = by_pairing[p.pk]
        assert ledger.transferred == expected["transferred"][p.pk]
        assert ledger.received == expected["received"][p.pk]
        assert ledger.used == expected["used_pairing"][p.pk]
        assert ledger.in_transit == ledger.transferred - ledger.received >= ZERO
        assert ledger.balance == ledger.received - ledger.used >= ZERO
    for village_id in village_ids:
        vl = village_ledger(village_id)
        # The village's own totals (from its rows) equal the sum over its pairings plus pooled uses.
        assert vl.total == vl.lines_sum()
        assert vl.total.used == expected["used_village"][village_id]
        assert vl.total.balance == vl.total.received - vl.total.used >= ZERO
        assert vl.total.in_transit == vl.total.transferred - vl.total.received
        # Year by year adds up to the whole.
        years = yearly(village_id=village_id)
        assert sum((ledger for _y, ledger in years), Ledger()) == vl.total


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_keep_the_ledger_balanced(cast: Cast, pairs: Pairs, sibling_unit_user, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    village_users = {
        cast.village.pk: cast.village_user,
        cast.other_village.pk: make_user("wjg", "village_user", cast.other_village),
        cast.sibling_village.pk: make_user("qq", "village_user", cast.sibling_village),
    }
    unit_users = {cast.unit.pk: cast.unit_user, cast.sibling_unit.pk: sibling_unit_user}
    pairings = [pairs.main, pairs.second, pairs.sibling, pairs.other_donor]
    expected: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    balance: dict[int, Decimal] = defaultdict(lambda: ZERO)  # per village
    pairing_balance: dict[int, Decimal] = defaultdict(lambda: ZERO)
    refused = 0
    start = datetime.date(2025, 1, 1)
    for step in range(70):
        day = start + datetime.timedelta(days=step * 7)
        amount = D(rng.randint(1, 3_000_000)) / 100  # up to ¥30,000.00, to the fen
        op = rng.choice(["transfer", "transfer", "receipt", "receipt", "use", "use", "pledge"])
        pairing = rng.choice(pairings)
        if op == "pledge":
            pledge_create(
                actor=unit_users[pairing.unit_id],
                pairing=pairing,
                year=day.year,
                amount=amount,
                purpose="x",
                pledged_at=day,
            )
        elif op == "transfer":
            transfer_create(actor=unit_users[pairing.unit_id], pairing=pairing, date=day, amount=amount)
            expected["transferred"][pairing.pk] += amount
        elif op == "receipt":
            waiting = list(Transfer.objects.filter(receipt__isnull=True).order_by("pk"))
            if not waiting:
                continue
            transfer = rng.choice(waiting)
            # Sometimes short (bank fees), with a note.
            got = transfer.amount - (D("0.50") if rng.random() < 0.2 and transfer.amount > 1 else ZERO)
            receipt_confirm(
                actor=village_users[transfer.pairing.village_id],
                transfer=transfer,
                received_on=day,
                amount=got,
                note="手续费" if got < transfer.amount else "",
            )
            expected["received"][transfer.pairing_id] += got
            balance[transfer.pairing.village_id] += got
            pairing_balance[transfer.pairing_id] += got
        else:
            charged = pairing if rng.random() < 0.6 else None
            village_id = pairing.village_id
            allowed = amount <= balance[village_id] and (charged is None or amount <= pairing_balance[charged.pk])
            try:
                use_create(
                    actor=village_users[village_id],
                    village=pairing.village,
                    pairing=charged,
                    date=day,
                    amount=amount,
                    purpose="村集体经济项目",
                    voucher=voucher(),
                )
            except FundsActionRefused as exc:
                assert not allowed, exc
                assert exc.code in ("overdrawn", "overdrawn_pairing")
                refused += 1
            else:
                assert allowed
                balance[village_id] -= amount
                expected["used_village"][village_id] += amount
                if charged is not None:
                    pairing_balance[charged.pk] -= amount
                    expected["used_pairing"][charged.pk] += amount
        check_invariants(list(village_users), pairings, expected)
    assert refused > 0  # the sequence did exercise the overdraft refusal
    for village_id, amount in balance.items():
        assert village_totals(village_id).balance == amount

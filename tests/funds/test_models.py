"""The database itself refuses impossible money rows (not only the services)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from gongjian.funds.models import Channel, Transfer
from tests.conftest import Cast
from tests.funds.conftest import Pairs


def test_amount_must_be_positive_and_foundation_named(cast: Cast, pairs: Pairs) -> None:
    base = {"pairing": pairs.main, "date": datetime.date(2026, 3, 1), "recorded_by": cast.unit_user}
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(amount=Decimal("0.00"), **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(amount=Decimal("5.00"), channel=Channel.FOUNDATION, **base)
    ok = Transfer.objects.create(
        amount=Decimal("5.00"), channel=Channel.FOUNDATION, foundation_name="市慈善基金会", **base
    )
    assert Transfer.objects.get(pk=ok.pk).amount == Decimal("5.00")

"""Funds vouchers over the API, with the standing cast: the pairing's sides download a
transfer's and a use's voucher (with a token), an outsider gets 404, a transfer without a
voucher is a 404 too."""

from __future__ import annotations

import datetime
from decimal import Decimal

from gongjian.funds.services import receipt_confirm, transfer_create, use_create
from tests.api.helpers import bearer, session
from tests.conftest import Cast
from tests.funds.conftest import make_pairs, voucher

TODAY = datetime.date.today()


def test_vouchers(cast: Cast) -> None:
    pairing = make_pairs(cast).main
    paid = transfer_create(actor=cast.unit_user, pairing=pairing, date=TODAY, amount=Decimal(8000), voucher=voucher())
    bare = transfer_create(actor=cast.unit_user, pairing=pairing, date=TODAY, amount=Decimal(10), reference="B-2")
    receipt_confirm(actor=cast.village_user, transfer=paid, received_on=TODAY, amount=Decimal(8000))
    use = use_create(actor=cast.village_user, village=pairing.village, date=TODAY, amount=Decimal(3000),
                     purpose="购买种苗", voucher=voucher("发票.pdf"), pairing=pairing)  # fmt: skip
    unit, _secret = bearer(cast.unit_user)
    got = unit.get(f"/api/funds/transfers/{paid.pk}/voucher")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert session(cast.outsider).get(f"/api/funds/transfers/{paid.pk}/voucher").status_code == 404
    assert unit.get(f"/api/funds/transfers/{bare.pk}/voucher").status_code == 404
    village, _secret = bearer(cast.village_user)
    used = village.get(f"/api/funds/uses/{use.pk}/voucher")
    assert used.status_code == 200 and b"".join(used.streaming_content).startswith(b"%PDF")
    assert session(cast.outsider).get(f"/api/funds/uses/{use.pk}/voucher").status_code == 404

"""The funds services: who may write what, refusals in Chinese, and an audit row for each."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gongjian.audit.models import AuditEntry
from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.ledger import pairing_ledger, village_totals
from gongjian.funds.models import Channel, Pledge, Receipt, Transfer, Use
from gongjian.funds.services import (
    pledge_create,
    receipt_confirm,
    transfer_create,
    transfer_delete,
    use_create,
)
from gongjian.rounds.models import PairingStatus
from tests.conftest import Cast
from tests.funds.conftest import Pairs, voucher

D = Decimal
DAY = datetime.date(2026, 3, 2)


def audit_rows(action: str, success: bool = True) -> int:
    return AuditEntry.objects.filter(action=action, success=success).count()


def paid_and_received(cast: Cast, pairs: Pairs, amount: str = "20000.00") -> Transfer:
    transfer = transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D(amount))
    receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=D(amount))
    return transfer


def test_unit_pledges_and_transfers_with_audit(cast: Cast, pairs: Pairs) -> None:
    pledge = pledge_create(
        actor=cast.unit_user, pairing=pairs.main, year=2026, amount=D("20000"), purpose="村道硬化", pledged_at=DAY
    )
    assert Pledge.objects.get(pk=pledge.pk).amount == D("20000.00")
    transfer = transfer_create(
        actor=cast.unit_user,
        pairing=pairs.main,
        date=DAY,
        amount=D("12000.50"),
        channel=Channel.FOUNDATION,
        foundation_name="商洛市慈善基金会",
        reference="HD-001",
        voucher=voucher(),
    )
    assert transfer.voucher.name.endswith(".pdf")
    assert audit_rows("funds.pledge.create") == 1 and audit_rows("funds.transfer.create") == 1
    entry = AuditEntry.objects.get(action="funds.transfer.create")
    assert entry.after["amount"] == "12000.50" and entry.object_id == str(transfer.pk)
    assert entry.scope_path == cast.village.path
    assert pairing_ledger(pairs.main).pledged == D("20000.00")
    assert pairing_ledger(pairs.main).in_transit == D("12000.50")


@pytest.mark.parametrize("who", ["village_user", "committee_admin", "city_admin", "sibling_admin", "outsider"])
def test_only_the_unit_records_transfers(cast: Cast, pairs: Pairs, who: str) -> None:
    with pytest.raises(PermissionDenied):
        transfer_create(actor=getattr(cast, who), pairing=pairs.main, date=DAY, amount=D("1"))
    with pytest.raises(PermissionDenied):
        pledge_create(
            actor=getattr(cast, who), pairing=pairs.main, year=2026, amount=D("1"), purpose="x", pledged_at=DAY
        )
    assert not Transfer.objects.exists() and not Pledge.objects.exists()


def test_transfer_refusals_are_explained_and_audited(cast: Cast, pairs: Pairs) -> None:
    cases = [
        ({"amount": D("0")}, "金额必须大于 0"),
        ({"amount": D("1.005")}, "精确到分"),
        ({"amount": D("5"), "channel": Channel.FOUNDATION}, "请填写公益组织名称"),
        ({"amount": D("5"), "date": datetime.date.today() + datetime.timedelta(days=1)}, "不能晚于今天"),
    ]
    for kwargs, message in cases:
        values = {"date": DAY, **kwargs}
        with pytest.raises(FundsActionRefused, match=message):
            transfer_create(actor=cast.unit_user, pairing=pairs.main, **values)  # type: ignore[arg-type]
    assert audit_rows("funds.transfer.create", success=False) == len(cases)
    with pytest.raises(TypeError):
        transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=0.1)  # type: ignore[arg-type]
    pairs.main.status = PairingStatus.CONFIRMED
    pairs.main.save()
    with pytest.raises(FundsActionRefused, match="只有已签约的结对"):
        transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("5"))
    assert not Transfer.objects.exists()


def test_duplicate_reference_is_refused(cast: Cast, pairs: Pairs) -> None:
    transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("5"), reference="A1")
    with pytest.raises(FundsActionRefused, match="A1 已登记过"):
        transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("5"), reference="A1")


def test_village_confirms_receipt_once_and_not_more_than_paid(cast: Cast, pairs: Pairs) -> None:
    transfer = transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("1000"))
    with pytest.raises(PermissionDenied):
        receipt_confirm(actor=cast.unit_user, transfer=transfer, received_on=DAY, amount=D("1000"))
    with pytest.raises(PermissionDenied):  # another village's user
        receipt_confirm(actor=cast.committee_admin, transfer=transfer, received_on=DAY, amount=D("1000"))
    with pytest.raises(FundsActionRefused, match=r"不能大于拨付金额 ¥1,000\.00"):
        receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=D("1000.01"))
    with pytest.raises(FundsActionRefused, match="请在备注中说明原因"):
        receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=D("990"))
    with pytest.raises(FundsActionRefused, match="不能早于拨付日期"):
        receipt_confirm(
            actor=cast.village_user, transfer=transfer, received_on=DAY - datetime.timedelta(days=1), amount=D("1000")
        )
    receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=D("990"), note="手续费")
    with pytest.raises(FundsActionRefused, match="已确认到账"):
        receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=D("10"))
    ledger = pairing_ledger(pairs.main)
    assert (ledger.transferred, ledger.received, ledger.in_transit) == (D("1000"), D("990"), D("10"))
    # Every refusal on record, the two raised before the write too (issue 12 item 9).
    assert audit_rows("funds.receipt.confirm") == 1 and audit_rows("funds.receipt.confirm", success=False) == 6
    with pytest.raises(FundsActionRefused, match="不能删除"):
        transfer_delete(actor=cast.unit_user, transfer=transfer)


def test_unreceived_transfer_can_be_withdrawn(cast: Cast, pairs: Pairs) -> None:
    transfer = transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("5"))
    transfer_delete(actor=cast.unit_user, transfer=transfer)
    assert not Transfer.objects.exists()
    assert AuditEntry.objects.get(action="funds.transfer.delete").before["amount"] == "5.00"


def test_use_cannot_overdraw_the_village(cast: Cast, pairs: Pairs) -> None:
    paid_and_received(cast, pairs, "20000.00")
    use_create(
        actor=cast.village_user,
        village=cast.village,
        pairing=pairs.main,
        date=DAY,
        amount=D("15000"),
        purpose="修建村道",
        voucher=voucher(),
    )
    with pytest.raises(FundsActionRefused, match=r"使用金额 ¥5,000\.01 超过本村帮扶资金结余 ¥5,000\.00"):
        use_create(
            actor=cast.village_user, village=cast.village, date=DAY, amount=D("5000.01"), purpose="x", voucher=voucher()
        )
    with pytest.raises(FundsActionRefused, match="请上传支出凭证"):
        use_create(actor=cast.village_user, village=cast.village, date=DAY, amount=D("1"), purpose="x", voucher=None)
    use_create(
        actor=cast.village_user,
        village=cast.village,
        date=DAY,
        amount=D("5000.00"),
        purpose="慰问困难党员",
        voucher=voucher(),
    )
    totals = village_totals(cast.village.pk)
    assert totals.balance == D("0.00") and totals.used == D("20000.00")
    assert audit_rows("funds.use.create") == 2 and audit_rows("funds.use.create", success=False) == 2
    assert Use.objects.count() == 2


def test_use_charged_to_a_pairing_cannot_exceed_that_pairings_money(cast: Cast, pairs: Pairs) -> None:
    paid_and_received(cast, pairs, "100.00")
    other = transfer_create(actor=cast.unit_user, pairing=pairs.second, date=DAY, amount=D("50"))
    with pytest.raises(FundsActionRefused, match="资金来源结对不是本村的结对"):
        use_create(
            actor=cast.village_user,
            village=cast.village,
            pairing=pairs.second,
            date=DAY,
            amount=D("1"),
            purpose="x",
            voucher=voucher(),
        )
    assert other.pk
    with pytest.raises(FundsActionRefused, match=r"丹凤县人民医院党委帮扶资金的结余 ¥0\.00"):
        use_create(
            actor=cast.village_user,
            village=cast.village,
            pairing=pairs.other_donor,
            date=DAY,
            amount=D("1"),
            purpose="x",
            voucher=voucher(),
        )
    with pytest.raises(PermissionDenied):
        use_create(actor=cast.unit_user, village=cast.village, date=DAY, amount=D("1"), purpose="x", voucher=voucher())


def test_receipt_amount_must_be_decimal(cast: Cast, pairs: Pairs) -> None:
    transfer = transfer_create(actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("0.30"))
    with pytest.raises(TypeError):
        receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=0.3)  # type: ignore[arg-type]
    assert not Receipt.objects.exists()

"""Writes of the money itself: pledges and transfers (the unit), receipts and uses (the
village). Each is one transaction with its audit row; refusals say why in Chinese.

Disclosures and donor feedback are in ``services_disclosure``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.funds.access import is_unit_side, is_village_side
from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.ledger import ZERO
from gongjian.funds.models import Channel, Pledge, Receipt, Transfer, Use
from gongjian.orgs.models import Organization
from gongjian.records.validators import validate_evidence
from gongjian.rounds.models import Pairing, PairingStatus

MAX_AMOUNT = Decimal("999999999999.99")  # what DecimalField(14, 2) holds

PLEDGE_FIELDS = ["pairing_id", "year", "amount", "purpose", "pledged_at"]
TRANSFER_FIELDS = ["pairing_id", "date", "amount", "channel", "foundation_name", "reference", "note"]
RECEIPT_FIELDS = ["transfer_id", "received_on", "amount", "note"]
USE_FIELDS = ["village_id", "pairing_id", "date", "amount", "purpose"]


def yuan_text(amount: Decimal) -> str:
    """¥20,000.00, for messages."""
    return f"¥{amount:,.2f}"


def check_amount(amount: Any, field: str = "amount") -> Decimal:
    """An amount of money: a Decimal (never a float), positive, at most two places."""
    if isinstance(amount, float) or not isinstance(amount, Decimal | int):
        raise TypeError("金额必须是 Decimal（不能用浮点数）")
    value = Decimal(amount)
    if not value.is_finite() or value <= 0:
        raise FundsActionRefused(_("金额必须大于 0"), code="amount", field=field)
    if value != value.quantize(Decimal("0.01")):
        raise FundsActionRefused(_("金额最多精确到分（两位小数）"), code="amount", field=field)
    if value > MAX_AMOUNT:
        raise FundsActionRefused(_("金额过大"), code="amount", field=field)
    return value.quantize(Decimal("0.01"))


def check_not_future(day: datetime.date, what: str, field: str) -> None:
    if day > timezone.localdate():
        raise FundsActionRefused(_("%(what)s不能晚于今天") % {"what": what}, code="future", field=field)


def check_voucher(voucher: File | None, *, required: bool) -> None:  # type: ignore[type-arg]
    if voucher is None or not getattr(voucher, "name", ""):
        if required:
            raise FundsActionRefused(_("请上传支出凭证（发票、收据或支出凭单）"), code="voucher", field="voucher")
        return
    try:
        validate_evidence(voucher)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise FundsActionRefused(" ".join(exc.messages), code="voucher", field="voucher") from exc


def require_unit_side(actor: Any, pairing: Pairing) -> None:
    if not is_unit_side(actor, pairing):
        raise PermissionDenied(_("只有结对单位可以登记认捐和拨付"))


def require_signed(pairing: Pairing) -> None:
    if pairing.status != PairingStatus.SIGNED:
        raise FundsActionRefused(
            _("该结对当前状态为“%(status)s”，只有已签约的结对可以登记认捐和拨付")
            % {"status": pairing.get_status_display()},
            code="not_signed",
        )


@audits_refusals
def pledge_create(
    *, actor: Any, pairing: Pairing, year: int, amount: Decimal, purpose: str, pledged_at: datetime.date
) -> Pledge:
    """认捐: the unit promises an amount for a year of the pairing."""
    require_unit_side(actor, pairing)
    with audited("funds.pledge.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        require_signed(pairing)
        value = check_amount(amount)
        purpose = purpose.strip()
        if not purpose:
            raise FundsActionRefused(_("请填写认捐用途"), code="purpose", field="purpose")
        if not 2000 <= year <= 2100:
            raise FundsActionRefused(_("年度不正确"), code="year", field="year")
        check_not_future(pledged_at, _("认捐日期"), "pledged_at")
        pledge = Pledge.objects.create(
            pairing=pairing, year=year, amount=value, purpose=purpose, pledged_at=pledged_at, recorded_by=actor
        )
        record.target = pledge
        record.after = snapshot(pledge, PLEDGE_FIELDS)
    return pledge


def check_transfer_values(
    *, date: datetime.date, amount: Any, channel: str, foundation_name: str
) -> tuple[Decimal, str, str]:
    """The checks a transfer must pass, shared by the form and the spreadsheet import."""
    value = check_amount(amount)
    if channel not in Channel.values:
        raise FundsActionRefused(_("拨付渠道应为“直接拨付”或“通过公益基金会”"), code="channel", field="channel")
    foundation_name = foundation_name.strip()
    if channel == Channel.FOUNDATION and not foundation_name:
        raise FundsActionRefused(
            _("通过公益基金会拨付的，请填写公益组织名称"), code="foundation_name", field="foundation_name"
        )
    if channel == Channel.DIRECT:
        foundation_name = ""
    check_not_future(date, _("拨付日期"), "date")
    return value, channel, foundation_name


@audits_refusals
def transfer_create(
    *,
    actor: Any,
    pairing: Pairing,
    date: datetime.date,
    amount: Decimal,
    channel: str = Channel.DIRECT,
    foundation_name: str = "",
    reference: str = "",
    voucher: File | None = None,  # type: ignore[type-arg]
    note: str = "",
) -> Transfer:
    """拨付: the unit records money it paid for the pairing."""
    require_unit_side(actor, pairing)
    with audited("funds.transfer.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        require_signed(pairing)
        value, channel, foundation_name = check_transfer_values(
            date=date, amount=amount, channel=channel, foundation_name=foundation_name
        )
        reference = reference.strip()
        if reference and Transfer.objects.filter(pairing=pairing, reference=reference).exists():
            raise FundsActionRefused(
                _("凭证号 %(reference)s 已登记过") % {"reference": reference}, code="duplicate", field="reference"
            )
        check_voucher(voucher, required=False)
        transfer = Transfer(
            pairing=pairing,
            date=date,
            amount=value,
            channel=channel,
            foundation_name=foundation_name,
            reference=reference,
            note=note.strip()[:255],
            recorded_by=actor,
        )
        if voucher is not None:
            transfer.voucher = voucher  # type: ignore[assignment]
        transfer.save()
        record.target = transfer
        record.after = snapshot(transfer, TRANSFER_FIELDS)
    return transfer


@audits_refusals
def transfer_delete(*, actor: Any, transfer: Transfer) -> None:
    """Withdraw a transfer entered by mistake; only while the village has not confirmed it."""
    pairing = transfer.pairing
    require_unit_side(actor, pairing)
    with audited("funds.transfer.delete", actor=actor, target=transfer, scope_path=pairing.village.path) as record:
        record.before = snapshot(transfer, TRANSFER_FIELDS)
        if Receipt.objects.filter(transfer=transfer).exists():
            raise FundsActionRefused(_("村里已确认到账的拨付不能删除"), code="received")
        transfer.delete()


@audits_refusals
def receipt_confirm(
    *, actor: Any, transfer: Transfer, received_on: datetime.date, amount: Decimal, note: str = ""
) -> Receipt:
    """到账确认: the village confirms a transfer arrived. A smaller amount needs a note (the
    difference stays 在途 on the ledger until explained); a larger one is refused."""
    pairing = transfer.pairing
    if not is_village_side(actor, pairing.village):
        raise PermissionDenied(_("只有受帮扶村可以确认到账"))
    with audited("funds.receipt.confirm", actor=actor, target=transfer, scope_path=pairing.village.path) as record:
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if Receipt.objects.filter(transfer=locked).exists():
            raise FundsActionRefused(_("该笔拨付已确认到账"), code="duplicate")
        value = check_amount(amount)
        if value > locked.amount:
            raise FundsActionRefused(
                _("到账金额 %(value)s 不能大于拨付金额 %(value2)s")
                % {"value": yuan_text(value), "value2": yuan_text(locked.amount)},
                code="amount",
                field="amount",
            )
        note = note.strip()
        if value < locked.amount and not note:
            raise FundsActionRefused(_("到账金额少于拨付金额，请在备注中说明原因"), code="note", field="note")
        if received_on < locked.date:
            raise FundsActionRefused(_("到账日期不能早于拨付日期"), code="date", field="received_on")
        check_not_future(received_on, _("到账日期"), "received_on")
        receipt = Receipt.objects.create(
            transfer=locked, received_on=received_on, amount=value, note=note[:255], confirmed_by=actor
        )
        record.target = receipt
        record.after = snapshot(receipt, RECEIPT_FIELDS)
    return receipt


def _received(**filters: Any) -> Decimal:
    value = Receipt.objects.filter(**filters).aggregate(total=Sum("amount"))["total"]
    return value if value is not None else ZERO


def _used(**filters: Any) -> Decimal:
    value = Use.objects.filter(**filters).aggregate(total=Sum("amount"))["total"]
    return value if value is not None else ZERO


@audits_refusals
def use_create(
    *,
    actor: Any,
    village: Organization,
    date: datetime.date,
    amount: Decimal,
    purpose: str,
    voucher: File | None,  # type: ignore[type-arg]
    pairing: Pairing | None = None,
) -> Use:
    """使用: the village spends aid funds, with a voucher. Refused when it would spend more
    than the village has received (or, charged to one pairing, more than that pairing's)."""
    if not is_village_side(actor, village):
        raise PermissionDenied(_("只有本村可以登记资金使用"))
    with audited("funds.use.create", actor=actor, target=village, scope_path=village.path) as record:
        # One use at a time per village: the balance check and the insert must not interleave.
        Organization.objects.select_for_update().filter(pk=village.pk).first()
        value = check_amount(amount)
        purpose = purpose.strip()
        if not purpose:
            raise FundsActionRefused(_("请填写资金用途"), code="purpose", field="purpose")
        check_not_future(date, _("使用日期"), "date")
        if pairing is not None and pairing.village_id != village.pk:
            raise FundsActionRefused(_("资金来源结对不是本村的结对"), code="pairing", field="pairing")
        check_voucher(voucher, required=True)
        balance = _received(transfer__pairing__village=village) - _used(village=village)
        if value > balance:
            raise FundsActionRefused(
                _("使用金额 %(value)s 超过本村帮扶资金结余 %(value2)s，不能登记。请先确认到账，或核对金额。")
                % {"value": yuan_text(value), "value2": yuan_text(balance)},
                code="overdrawn",
                field="amount",
            )
        if pairing is not None:
            pairing_balance = _received(transfer__pairing=pairing) - _used(pairing=pairing)
            if value > pairing_balance:
                raise FundsActionRefused(
                    _(
                        "使用金额 %(value)s 超过%(name)s帮扶资金的结余 %(value2)s，不能登记。"
                        "可不指定资金来源（统筹使用），或核对金额。"
                    )
                    % {"value": yuan_text(value), "name": pairing.unit.name, "value2": yuan_text(pairing_balance)},
                    code="overdrawn_pairing",
                    field="amount",
                )
        use = Use(village=village, pairing=pairing, date=date, amount=value, purpose=purpose[:255], recorded_by=actor)
        use.voucher = voucher  # type: ignore[assignment]
        use.save()
        record.target = use
        record.after = {**snapshot(use, USE_FIELDS), "balance_after": balance - value}
    return use

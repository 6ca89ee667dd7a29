"""村务公开 and feedback to the donor (seed 004 doc 1 (11)): the village puts aid funds into
village-affairs disclosure and regularly tells the donor unit how its money was used."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.funds.access import is_unit_side, is_village_side
from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.ledger import ZERO
from gongjian.funds.models import Disclosure, DonorFeedback, PeriodKind, Receipt, Use
from gongjian.notifications.services import Event, notifications_settle, notify
from gongjian.orgs.models import Organization
from gongjian.rounds.models import Pairing

DISCLOSURE_FIELDS = ["village_id", "year", "period_kind", "period_number", "received_total", "used_total"]
FEEDBACK_FIELDS = ["pairing_id", "date", "period_start", "period_end", "received_total", "used_total"]


def period_dates(year: int, kind: str, number: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a half year (1–2) or quarter (1–4)."""
    months = {PeriodKind.HALF: 6, PeriodKind.QUARTER: 3}.get(kind)  # type: ignore[call-overload]
    if months is None or not 1 <= number <= 12 // months:
        raise FundsActionRefused(_("公开期次不正确"), code="period", field="period")
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def _sum(queryset: Any) -> Decimal:
    value = queryset.aggregate(total=Sum("amount"))["total"]
    return value if value is not None else ZERO


def disclosure_content(village: Organization, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """What is posted for the period: each receipt (date, donor unit, channel, amount) and
    each use (date, purpose, amount). No people, no voucher files: this goes to the public."""
    receipts = (
        Receipt.objects.filter(transfer__pairing__village=village, received_on__range=(start, end))
        .select_related("transfer__pairing__unit")
        .order_by("received_on", "pk")
    )
    uses = Use.objects.filter(village=village, date__range=(start, end)).order_by("date", "pk")
    return {
        "receipts": [
            {
                "date": r.received_on.isoformat(),
                "donor": r.transfer.pairing.unit.name,
                "channel": r.transfer.get_channel_display(),
                "foundation": r.transfer.foundation_name,
                "amount": str(r.amount),
            }
            for r in receipts
        ],
        "uses": [{"date": u.date.isoformat(), "purpose": u.purpose, "amount": str(u.amount)} for u in uses],
    }


@audits_refusals
def disclosure_publish(
    *, actor: Any, village: Organization, year: int, period_kind: str, period_number: int, note: str = ""
) -> Disclosure:
    """Publish the village's aid funds for a finished half year or quarter (a snapshot)."""
    if not is_village_side(actor, village):
        raise PermissionDenied(_("只有本村可以公开帮扶资金"))
    with audited("funds.disclosure.publish", actor=actor, target=village, scope_path=village.path) as record:
        start, end = period_dates(year, period_kind, period_number)
        if end >= timezone.localdate():
            raise FundsActionRefused(
                _("该期（截至 %(end)s）尚未结束，期满后再公开") % {"end": date_format(end)}, code="not_over"
            )
        if Disclosure.objects.filter(
            village=village, year=year, period_kind=period_kind, period_number=period_number
        ).exists():
            raise FundsActionRefused(_("该期已经公开过"), code="duplicate")
        received = _sum(Receipt.objects.filter(transfer__pairing__village=village, received_on__range=(start, end)))
        used = _sum(Use.objects.filter(village=village, date__range=(start, end)))
        balance = _sum(Receipt.objects.filter(transfer__pairing__village=village, received_on__lte=end)) - _sum(
            Use.objects.filter(village=village, date__lte=end)
        )
        disclosure = Disclosure.objects.create(
            village=village,
            year=year,
            period_kind=period_kind,
            period_number=period_number,
            period_start=start,
            period_end=end,
            received_total=received,
            used_total=used,
            balance_at_end=balance,
            content=disclosure_content(village, start, end),
            note=note.strip(),
            published_at=timezone.now(),
            published_by=actor,
        )
        record.target = disclosure
        record.after = snapshot(disclosure, DISCLOSURE_FIELDS)
    return disclosure


@audits_refusals
def feedback_send(
    *,
    actor: Any,
    pairing: Pairing,
    body: str,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> DonorFeedback:
    """The village tells the donor unit how its funds were used; the period's figures from
    the ledger go with the text."""
    if not is_village_side(actor, pairing.village):
        raise PermissionDenied(_("只有受帮扶村可以向援助单位反馈"))
    with audited("funds.feedback.send", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        body = body.strip()
        if not body:
            raise FundsActionRefused(_("请填写资金使用情况"), code="body", field="body")
        if period_start and period_end and period_start > period_end:
            raise FundsActionRefused(_("反馈期间的起始日期不能晚于截止日期"), code="period", field="period_end")
        receipts = Receipt.objects.filter(transfer__pairing=pairing)
        uses = Use.objects.filter(pairing=pairing)
        if period_start:
            receipts, uses = receipts.filter(received_on__gte=period_start), uses.filter(date__gte=period_start)
        if period_end:
            receipts, uses = receipts.filter(received_on__lte=period_end), uses.filter(date__lte=period_end)
        feedback = DonorFeedback.objects.create(
            pairing=pairing,
            date=timezone.localdate(),
            period_start=period_start,
            period_end=period_end,
            body=body,
            received_total=_sum(receipts),
            used_total=_sum(uses),
            sent_by=actor,
        )
        record.target = feedback
        record.after = snapshot(feedback, FEEDBACK_FIELDS)
        notify(event=Event.DONOR_FEEDBACK, object=feedback)
    return feedback


@audits_refusals
def feedback_mark_read(*, actor: Any, feedback: DonorFeedback) -> DonorFeedback:
    """The donor unit acknowledges the feedback (阅知); the first reading counts."""
    pairing = feedback.pairing
    if not is_unit_side(actor, pairing):
        raise PermissionDenied(_("只有援助单位可以阅知反馈"))
    with audited("funds.feedback.read", actor=actor, target=feedback, scope_path=pairing.village.path) as record:
        locked = DonorFeedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.read_at is None:
            locked.read_at, locked.read_by = timezone.now(), actor
            locked.save(update_fields=["read_at", "read_by"])
        record.after = {"read_at": locked.read_at}
        notifications_settle(object=locked)
    return locked

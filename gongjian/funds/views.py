"""Funds pages that read: the landing list, a pairing's ledger, a village's ledger, vouchers
and exports. Thin: selectors and the ledger do the work."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongjian.core.downloads import attachment, file_name, short_name
from gongjian.core.files import extension, file_response
from gongjian.core.view_helpers import page_of
from gongjian.funds import selectors
from gongjian.funds.access import is_unit_side, is_village_side
from gongjian.funds.exports import pairing_ledger_xlsx, receipt_of, village_ledger_xlsx
from gongjian.funds.ledger import pairing_ledger, pairing_ledgers, village_ledger, village_ledgers, yearly


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Pairings' funds in the user's scope (a village user goes to their village's ledger)."""
    village = selectors.own_village(request.user)
    if village is not None:
        return redirect("funds:village", pk=village.pk)
    query = request.GET.get("q", "")
    page = page_of(request, selectors.funds_pairings(user=request.user, query=query))
    ledgers = pairing_ledgers([p.pk for p in page])
    context = {
        "page": page,
        "rows": [(p, ledgers[p.pk]) for p in page],
        "query": query,
        "unread": selectors.unread_feedback(user=request.user)[:20],
        "is_unit": getattr(request.user, "role", "") == "unit_user",
    }
    return render(request, "funds/index.html", context)


@login_required
@require_GET
def villages(request: HttpRequest) -> HttpResponse:
    """Villages in the user's scope with their totals."""
    query = request.GET.get("q", "")
    page = page_of(request, selectors.funds_villages(user=request.user, query=query))
    ledgers = village_ledgers([v.pk for v in page])
    return render(
        request, "funds/villages.html", {"page": page, "rows": [(v, ledgers[v.pk]) for v in page], "query": query}
    )


@login_required
@require_GET
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pairing's ledger: totals, years, pledges, transfers and receipts, uses, feedback."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    unit_side = is_unit_side(request.user, pairing)
    village_side = is_village_side(request.user, pairing.village)
    transfers = [(t, receipt_of(t)) for t in selectors.pairing_transfers(pairing)]
    context = {
        "pairing": pairing,
        "ledger": pairing_ledger(pairing),
        "years": yearly(pairing_id=pairing.pk),
        "pledges": selectors.pairing_pledges(pairing),
        "transfers": transfers,
        "uses": selectors.pairing_uses(pairing),
        "feedback": selectors.pairing_feedback(pairing),
        "unit_side": unit_side,
        "village_side": village_side,
        "can_record": unit_side and pairing.status == "signed",
    }
    return render(request, "funds/pairing_detail.html", context)


@login_required
@require_GET
def village_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A village's ledger: per donor, pooled uses, totals; receipts to confirm; uses; disclosures."""
    village = selectors.village_get(user=request.user, pk=pk)
    context = {
        "village": village,
        "ledger": village_ledger(village.pk),
        "years": yearly(village_id=village.pk),
        "awaiting": selectors.village_transfers_awaiting_receipt(village),
        "receipts": selectors.village_receipts(village)[:200],
        "uses": selectors.village_uses(village)[:200],
        "disclosures": selectors.village_disclosures(village),
        "village_side": is_village_side(request.user, village),
    }
    return render(request, "funds/village_detail.html", context)


def _voucher_response(field: Any, title: str, village: str, day: Any) -> FileResponse:
    """A voucher through the storage API, named 支出凭证-邓家村-2026-05-03.jpg (404 if none)."""
    return file_response(field, file_name(title, short_name(village), day.isoformat(), ext=extension(field)))


@login_required
@require_GET
def use_voucher(request: HttpRequest, pk: int) -> FileResponse:
    """A use's voucher, for those who may see the village or the donor pairing (never public)."""
    use = selectors.use_get(user=request.user, pk=pk)
    return _voucher_response(use.voucher, _("支出凭证"), use.village.name, use.date)


@login_required
@require_GET
def transfer_voucher(request: HttpRequest, pk: int) -> FileResponse:
    """A transfer's voucher, for those who may see its pairing."""
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    return _voucher_response(transfer.voucher, _("拨付凭证"), transfer.pairing.village.name, transfer.date)


@login_required
@require_GET
def pairing_export(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    stamp = timezone.localdate().strftime("%Y%m%d")
    content = pairing_ledger_xlsx(actor=request.user, pairing=pairing)
    return attachment(content, f"帮扶资金台账-{pairing.unit.name}-{pairing.village.name}-{stamp}.xlsx")


@login_required
@require_GET
def village_export(request: HttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(user=request.user, pk=pk)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return attachment(
        village_ledger_xlsx(actor=request.user, village=village), f"帮扶资金台账-{village.name}-{stamp}.xlsx"
    )

"""Funds pages that write: the unit's pledges, transfers and import; the village's receipts,
uses, disclosures and feedback. Each view: selector (404 outside scope) → form → service;
a refusal goes back into the form, which keeps what the user typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.downloads import attachment
from gongjian.core.pages import attempt, form_page
from gongjian.core.tabular import write_xlsx
from gongjian.funds import selectors
from gongjian.funds.access import is_unit_side, is_village_side
from gongjian.funds.forms import (
    DisclosureForm,
    FeedbackForm,
    PledgeForm,
    ReceiptForm,
    TransferForm,
    TransferImportForm,
    UseForm,
)
from gongjian.funds.import_transfers import template_rows, transfer_import
from gongjian.funds.services import pledge_create, receipt_confirm, transfer_create, transfer_delete, use_create
from gongjian.funds.services_disclosure import disclosure_publish, feedback_mark_read, feedback_send
from gongjian.jobs.uploads import upload_page
from gongjian.orgs.scope import UNIT_USER


def pairing_url(pairing: Any) -> str:
    return reverse("funds:pairing", args=[pairing.pk])


def village_url(village_id: int) -> str:
    return reverse("funds:village", args=[village_id])


def _form_page(request: HttpRequest, form: Any, write: Callable[[dict[str, Any]], Any], **page: Any) -> HttpResponse:
    """A funds write page: the core form page, a form to correct answered with 400."""
    return form_page(request, form=form, service=write, invalid_status=400, **page)


@login_required
def pledge_new(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if not is_unit_side(request.user, pairing):
        raise PermissionDenied
    return _form_page(
        request,
        PledgeForm(request.POST or None),
        lambda data: pledge_create(actor=request.user, pairing=pairing, **data),
        template="funds/pledge_form.html",
        context={"pairing": pairing, "title": _("登记认捐")},
        done=pairing_url(pairing),
        success=_("认捐已登记"),
    )


@login_required
def transfer_new(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if not is_unit_side(request.user, pairing):
        raise PermissionDenied
    return _form_page(
        request,
        TransferForm(request.POST or None, request.FILES or None),
        lambda data: transfer_create(actor=request.user, pairing=pairing, **data),
        template="funds/transfer_form.html",
        context={"pairing": pairing, "title": _("登记拨付")},
        done=pairing_url(pairing),
        success=_("拨付已登记，等待村里确认到账"),
    )


@login_required
@require_POST
def transfer_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    if attempt(request, None, lambda: transfer_delete(actor=request.user, transfer=transfer)):
        messages.success(request, _("拨付记录已删除"))
    return redirect("funds:pairing", pk=transfer.pairing_id)


@login_required
def receipt_new(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    if not is_village_side(request.user, transfer.pairing.village):
        raise PermissionDenied
    if request.method == "GET" and selectors.transfer_received(transfer):
        # Said before the form, not after the village has typed it all again.
        messages.info(request, _("该笔拨付已确认到账"))
        return redirect(village_url(transfer.pairing.village_id))
    form = ReceiptForm(request.POST or None, initial={"amount": transfer.amount, "received_on": transfer.date})
    return _form_page(
        request,
        form,
        lambda data: receipt_confirm(actor=request.user, transfer=transfer, **data),
        template="funds/receipt_form.html",
        context={"transfer": transfer, "pairing": transfer.pairing, "title": _("确认到账")},
        done=village_url(transfer.pairing.village_id),
        success=_("已确认到账"),
    )


@login_required
def use_new(request: HttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(user=request.user, pk=pk)
    if not is_village_side(request.user, village):
        raise PermissionDenied
    pairings = selectors.village_pairings(village)
    form = UseForm(request.POST or None, request.FILES or None, pairings=pairings)
    return _form_page(
        request,
        form,
        lambda data: use_create(actor=request.user, village=village, **data),
        template="funds/use_form.html",
        context={"village": village, "title": _("登记资金使用")},
        done=village_url(village.pk),
        success=_("资金使用已登记"),
    )


@login_required
def disclosure_new(request: HttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(user=request.user, pk=pk)
    if not is_village_side(request.user, village):
        raise PermissionDenied
    form = DisclosureForm(request.POST or None)

    def write(data: dict[str, Any]) -> Any:
        kind, number = form.period_parts()
        return disclosure_publish(
            actor=request.user,
            village=village,
            year=data["year"],
            period_kind=kind,
            period_number=number,
            note=data["note"],
        )

    return _form_page(
        request,
        form,
        write,
        template="funds/disclosure_form.html",
        context={"village": village, "title": _("村务公开")},
        done=village_url(village.pk),
        success=_("已公开，公众可在门户网站查看"),
    )


@login_required
def feedback_new(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if not is_village_side(request.user, pairing.village):
        raise PermissionDenied
    return _form_page(
        request,
        FeedbackForm(request.POST or None),
        lambda data: feedback_send(actor=request.user, pairing=pairing, **data),
        template="funds/feedback_form.html",
        context={"pairing": pairing, "title": _("向援助单位反馈资金使用情况")},
        done=pairing_url(pairing),
        success=_("已反馈给援助单位"),
    )


@login_required
@require_POST
def feedback_read(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get(user=request.user, pk=pk)
    feedback_mark_read(actor=request.user, feedback=feedback)
    messages.success(request, _("已阅知"))
    return redirect("funds:pairing", pk=feedback.pairing_id)


@login_required
def transfer_import_view(request: HttpRequest) -> HttpResponse:
    """A unit's finance office uploads its transfers; any bad row and nothing is imported."""
    if getattr(request.user, "role", "") != UNIT_USER:
        raise PermissionDenied
    return upload_page(
        request,
        importer=transfer_import,
        title=_("导入拨付记录"),
        template="funds/transfer_import.html",
        form_class=TransferImportForm,
    )


@login_required
def transfer_import_template(request: HttpRequest) -> HttpResponse:
    headers, rows = template_rows()
    content = write_xlsx(
        headers, rows, sheet_title="拨付记录", required=["受帮扶村组织代码", "拨付日期", "拨付金额（元）"]
    )
    return attachment(content, "拨付记录导入模板.xlsx")

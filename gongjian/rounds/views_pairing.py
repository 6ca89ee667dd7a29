"""Round pages after allocation: pairings with each side's confirmation, renewal offers,
adjustment (ending a pair early), the agreement (签约) and notifications."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.audit.files import archived_file
from gongjian.core.downloads import file_name, short_name
from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.rounds import selectors
from gongjian.rounds.access import can_administer
from gongjian.rounds.choices import PairingOrigin, PairingStatus
from gongjian.rounds.forms import EndForm, SignForm
from gongjian.rounds.services_agreement_archive import agreement_documents
from gongjian.rounds.services_pairing import pairing_confirm, pairing_decline_renewal, pairing_end
from gongjian.rounds.views import render_round


def agreement_services() -> ModuleType | None:
    """The signing services, when that part of the app is installed (built alongside)."""
    if importlib.util.find_spec("gongjian.rounds.services_agreement") is None:
        return None
    return importlib.import_module("gongjian.rounds.services_agreement")


@login_required
def pairings_view(request: HttpRequest, pk: int, renewals: bool = False) -> HttpResponse:
    """The round's pairings the user may see, with the buttons for their side."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    filters = {
        "status": request.GET.get("status", ""),
        "origin": PairingOrigin.RENEWAL if renewals else request.GET.get("origin", ""),
        "query": request.GET.get("q", ""),
    }
    if renewals and not filters["status"]:
        filters["status"] = PairingStatus.PROPOSED
    page = page_of(request, selectors.pairing_list(user=request.user, round_=round_, **filters))
    signing = agreement_services() is not None
    context = {
        "round": round_,
        "page": page,
        "rows": selectors.pairing_rows(user=request.user, round_=round_, pairings=page, signing=signing),
        "filters": filters,
        "renewals": renewals,
        "statuses": PairingStatus.choices,
        "origins": PairingOrigin.choices,
        "is_round_admin": can_administer(request.user, round_),
        "sign_form": SignForm() if signing else None,
    }
    return render_round(request, "rounds/pairings.html", context)


def _back(request: HttpRequest, round_pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/rounds/"):
        return redirect(target)
    return redirect("rounds:pairings", pk=round_pk)


@login_required
@require_POST
def pairing_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One side confirms (for a renewal offer: consents to renew)."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    actor = cast(Any, request.user)  # an account: the service's actor
    updated = attempt(request, None, lambda: pairing_confirm(actor=actor, pairing=pairing))
    if updated is not None:
        if updated.status == PairingStatus.CONFIRMED:
            messages.success(
                request, _("双方均已确认：%(u)s — %(v)s") % {"u": pairing.unit.name, "v": pairing.village.name}
            )
        else:
            messages.success(request, _("已确认，等待对方确认"))
    return _back(request, pairing.round_id)


@login_required
@require_POST
def pairing_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One side declines to renew last round's pair; the village is open again."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if attempt(request, None, lambda: pairing_decline_renewal(actor=request.user, pairing=pairing)) is not None:  # type: ignore[arg-type]
        messages.success(request, _("已选择不续签，双方已收到通知"))
    return _back(request, pairing.round_id)


@login_required
def pairing_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """调整: the round's admin ends a pair early with a reason; both sides are notified."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if not can_administer(request.user, pairing.round):
        raise PermissionDenied
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if attempt(request, None, lambda: pairing_end(actor=request.user, pairing=pairing, reason=reason)) is not None:  # type: ignore[arg-type]
            messages.success(
                request,
                _("已终止%(u)s与%(v)s的结对，双方已收到通知；该村可重新匹配")
                % {"u": pairing.unit.name, "v": pairing.village.name},
            )
            return redirect("rounds:pairings", pk=pairing.round_id)
    return render_round(request, "rounds/pairing_end.html", {"pairing": pairing, "round": pairing.round, "form": form})


@login_required
@require_POST
def agreement_generate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the 共建协议书 of a confirmed pairing (idempotent), then read it before signing."""
    services = agreement_services()
    if services is None:
        raise Http404
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if attempt(request, None, lambda: services.agreement_generate(actor=request.user, pairing=pairing)) is not None:
        messages.success(request, _("协议书已生成，请下载阅读后签署"))
    return _back(request, pairing.round_id)


@login_required
@require_POST
def agreement_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    """签约: the acting side signs with the signer's name and post."""
    services = agreement_services()
    if services is None:
        raise Http404
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写签署人姓名和职务"))
        return _back(request, pairing.round_id)
    data = form.cleaned_data
    agreement = attempt(request, None, lambda: services.agreement_sign(actor=request.user, pairing=pairing, **data))
    if agreement is not None:
        if agreement.pairing.status == PairingStatus.SIGNED:
            messages.success(request, _("双方均已签署，协议书已归档"))
        else:
            messages.success(request, _("已签署，等待对方签署"))
    return _back(request, pairing.round_id)


@login_required
def agreement_download_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The pairing's agreement PDF: the signed one when both have signed, else the draft."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    agreement = selectors.pairing_agreement(user=request.user, pairing=pairing)
    # A pair signed before the platform held it (a bulk-written round) has its PDFs made now.
    agreement = agreement_documents(actor=request.user, agreement=agreement)
    signed = bool(agreement.signed_pdf)
    document = agreement.signed_pdf if signed else agreement.pdf
    if not document:
        raise Http404
    title = _("共建协议书（已签署）") if signed else _("共建协议书")
    name = file_name(title, short_name(pairing.village.name), pairing.round.term_start.year, ext="pdf")
    return archived_file(
        request,
        document,
        name,
        action="agreement.download",
        target=pairing,
        scope_path=pairing.village.path,
        sha256=agreement.signed_sha256 if signed else agreement.sha256,
    )


@login_required
def notifications_view(request: HttpRequest) -> HttpResponse:
    """Messages to the user's organization (e.g. a pair ended by adjustment)."""
    return render(
        request,
        "rounds/notifications.html",
        {"page": page_of(request, selectors.notification_list(user=request.user))},
    )

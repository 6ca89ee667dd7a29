"""Feedback cards (意见反馈卡) and monthly performance cards (工作实绩卡)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt, form_page
from gongjian.records import selectors, selectors_cards
from gongjian.records.access import can_act_as_village, can_record, is_admin
from gongjian.records.choices import CardStatus, FeedbackStatus
from gongjian.records.forms import AnswerForm, CardForm, CountersignForm, FeedbackForm, ReturnForm
from gongjian.records.services_cards import (
    feedback_answer,
    feedback_close,
    feedback_enter,
    performance_card_acknowledge,
    performance_card_countersign,
    performance_card_return,
    performance_card_save,
)
from gongjian.records.views_common import page_of

# ---------------------------------------------------------------- feedback


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    """Opinions in the user's scope, overdue ones first and flagged."""
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors_cards.feedback_list(user=request.user, status=status, overdue=overdue)
    context = {
        "page": page_of(request, qs),
        "status": status,
        "overdue": overdue,
        "statuses": FeedbackStatus.choices,
        "overdue_count": selectors_cards.overdue_feedback_count(user=request.user),
    }
    return render(request, "records/feedback_list.html", context)


@login_required
def feedback_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The village enters a villager's opinion for its unit."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if not can_act_as_village(request.user, pairing):
        raise PermissionDenied
    return form_page(
        request,
        form=FeedbackForm(request.POST or None),
        service=lambda data: feedback_enter(actor=request.user, pairing=pairing, **data),  # type: ignore[arg-type]
        template="records/entry_form.html",
        context={"pairing": pairing, "title": _("登记群众意见"), "tab": "cards"},
        success=lambda card: _("意见已登记，答复期限为 %(due)s") % {"due": f"{card.due:%Y-%m-%d}"},
        done=lambda card: reverse("records:feedback", args=[card.pk]),
    )


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One opinion: the unit answers it, the village closes it."""
    card = selectors_cards.feedback_get(user=request.user, pk=pk)
    can_answer = can_record(request.user, card.pairing) and card.status == FeedbackStatus.OPEN
    if request.method == "POST" and not can_record(request.user, card.pairing):
        raise PermissionDenied
    context = {
        "card": card,
        "pairing": card.pairing,
        "can_answer": can_answer,
        "can_close": can_act_as_village(request.user, card.pairing) and card.status == FeedbackStatus.ANSWERED,
    }
    return form_page(
        request,
        form=AnswerForm(request.POST or None),
        service=lambda data: feedback_answer(actor=request.user, card=card, answer=data["answer"]),  # type: ignore[arg-type]
        template="records/feedback_detail.html",
        context=context,
        success=_("已答复"),
        done=reverse("records:feedback", args=[card.pk]),
    )


@login_required
@require_POST
def feedback_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors_cards.feedback_get(user=request.user, pk=pk)
    if attempt(request, None, lambda: feedback_close(actor=request.user, card=card)) is not None:  # type: ignore[arg-type]
        messages.success(request, _("已办结"))
    return redirect("records:feedback", pk=card.pk)


# ---------------------------------------------------------------- performance cards


def _month(value: str | None) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


@login_required
def card_list(request: HttpRequest) -> HttpResponse:
    """Monthly cards in the user's scope (the superior: its whole subtree), and missing months."""
    month = _month(request.GET.get("month"))
    status = request.GET.get("status", "")
    qs = selectors_cards.card_list(user=request.user, month=month, status=status)
    context = {
        "page": page_of(request, qs),
        "month": month,
        "status": status,
        "statuses": CardStatus.choices,
        "missing": selectors_cards.missing_months_for_user(user=request.user)[:50],
        "is_admin": is_admin(request.user),
        "to_acknowledge": selectors_cards.cards_to_acknowledge(user=request.user)[:50],
    }
    return render(request, "records/card_list.html", context)


@login_required
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit writes the card of a month (``?month=YYYY-MM``, default this month), saves a
    draft or submits it; a returned card comes back here with the village's comment."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if not can_record(request.user, pairing):
        raise PermissionDenied
    month = _month(request.GET.get("month")) or timezone.localdate().replace(day=1)
    existing = selectors_cards.card_for_month(pairing, month)
    initial = {"month": month, "work": existing.work if existing else ""}
    submit = "submit" in request.POST

    def save(data: dict[str, Any]) -> Any:
        return performance_card_save(
            actor=request.user,  # type: ignore[arg-type]
            pairing=pairing,
            month=data["month"],
            work=data["work"],
            submit=submit,
        )

    return form_page(
        request,
        form=CardForm(request.POST or None, initial=initial),
        service=save,
        template="records/card_form.html",
        context={"pairing": pairing, "existing": existing, "month": month},
        success=_("工作实绩卡已报送，等待村党组织会签") if submit else _("草稿已保存"),
        done=lambda card: reverse("records:card", args=[card.pk]),
    )


@login_required
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One card: the village countersigns it with its comment (签注意见) or returns it; the
    unit's superior committee acknowledges a countersigned card (报上级党委, seed 000)."""
    card = selectors_cards.card_get(user=request.user, pk=pk)
    village = can_act_as_village(request.user, card.pairing)
    posted = request.POST if request.method == "POST" else None
    form = ReturnForm(posted if posted and "return" in posted else None)
    sign_form = CountersignForm(posted if posted and "countersign" in posted else None)
    if request.method == "POST":
        if not village:
            raise PermissionDenied
        if "countersign" in request.POST:
            if sign_form.is_valid():
                comment = sign_form.cleaned_data["village_comment"]
                call = lambda: performance_card_countersign(actor=request.user, card=card, comment=comment)  # type: ignore[arg-type]  # noqa: E731
                if attempt(request, sign_form, call) is not None:
                    messages.success(request, _("已签注意见并会签，报上级党委"))
                    return redirect("records:card", pk=card.pk)
        elif form.is_valid():
            comment = form.cleaned_data["comment"]
            call = lambda: performance_card_return(actor=request.user, card=card, comment=comment)  # type: ignore[arg-type]  # noqa: E731
            if attempt(request, form, call) is not None:
                messages.success(request, _("已退回单位修改"))
                return redirect("records:card", pk=card.pk)
    context = {
        "card": card,
        "pairing": card.pairing,
        "form": form,
        "sign_form": sign_form,
        "can_sign": village and card.status == CardStatus.SUBMITTED,
        "can_acknowledge": selectors_cards.cards_to_acknowledge(user=request.user).filter(pk=card.pk).exists(),
        "can_edit": can_record(request.user, card.pairing) and card.status in (CardStatus.DRAFT, CardStatus.RETURNED),
        "countersign_due": selectors_cards.countersign_due(card),
    }
    return render(request, "records/card_detail.html", context)


@login_required
@require_POST
def card_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's superior committee acknowledges a countersigned card (报上级党委, seed 000)."""
    card = selectors_cards.card_get(user=request.user, pk=pk)
    if attempt(request, None, lambda: performance_card_acknowledge(actor=request.user, card=card)) is not None:  # type: ignore[arg-type]
        messages.success(request, _("已收阅"))
    return redirect("records:card", pk=card.pk)

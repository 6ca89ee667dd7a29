"""The archive of a pairing (帮扶工作档案): the list of pairings, the archive page with its tabs,
the phone-first entry forms of the unit, projects, and the printable contact card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt
from gongjian.records import selectors, selectors_cards
from gongjian.records.access import can_act_as_village, can_record, side_of
from gongjian.records.forms import (
    ContactForm,
    DeliveryForm,
    EvidenceForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
    SixMustForm,
    VisitForm,
)
from gongjian.records.services_archive import (
    contact_create,
    contact_delete,
    contacts_prefill,
    delivery_create,
    milestone_complete,
    milestone_create,
    project_create,
    project_evidence_add,
    project_update_progress,
    six_must_create,
    visit_create,
)
from gongjian.records.views_common import entry_page, page_of

# Lazy: translated when a page shows them, in that request's language (not once at import).
TABS = (
    ("visits", gettext_lazy("走访")),
    ("six", gettext_lazy("六个一")),
    ("deliveries", gettext_lazy("五送")),
    ("projects", gettext_lazy("项目")),
    ("cards", gettext_lazy("三卡")),
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The pairings whose archive the user sees, each with its flags (missing months, overdue opinions)."""
    query = request.GET.get("q", "")
    page = page_of(request, selectors.pairing_list(user=request.user, query=query))
    items = list(page)
    missing = selectors_cards.missing_performance_months(items)
    today = timezone.localdate()
    overdue = selectors_cards.overdue_feedback_counts(items, today)
    visits = selectors.visit_counts(items, today.year)
    rows = [
        {"pairing": p, "missing": missing.get(p.pk, []), "overdue": overdue.get(p.pk, 0), "visits": visits.get(p.pk, 0)}
        for p in items
    ]
    return render(request, "records/index.html", {"page": page, "rows": rows, "query": query, "year": today.year})


@login_required
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    """A pairing's archive with its tabs; the unit sees the buttons to record."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "visits")
    if tab not in dict(TABS):
        tab = "visits"
    context: dict[str, Any] = {
        "pairing": pairing,
        "tab": tab,
        "tabs": TABS,
        "summary": selectors.archive_summary(pairing),
        "side": side_of(request.user, pairing),
        "can_record": can_record(request.user, pairing),
        "can_village": can_act_as_village(request.user, pairing),
    }
    if tab == "visits":
        context["page"] = page_of(request, selectors.visits_of(pairing))
    elif tab == "six":
        context["page"] = page_of(request, selectors.six_musts_of(pairing))
        context["six_year"] = selectors.six_must_year(pairing, timezone.localdate().year)
    elif tab == "deliveries":
        context["page"] = page_of(request, selectors.deliveries_of(pairing))
    elif tab == "projects":
        context["page"] = page_of(request, selectors.projects_of(pairing))
    else:
        context["cards"] = selectors_cards.card_list(user=request.user, pairing=pairing)[:24]
        context["feedback"] = selectors_cards.feedback_list(user=request.user, pairing=pairing)[:24]
        context["missing"] = selectors_cards.missing_performance_months([pairing]).get(pairing.pk, [])
    return render(request, "records/archive.html", context)


def _new_view(
    form_class: type[forms.Form], create: Callable[..., Any], *, title: Promise, tab: str, done: Promise
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page of a new entry of the pairing ``pk``: the form's fields are ``create``'s
    arguments (see ``entry_page``)."""

    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        pairing = selectors.pairing_get(user=request.user, pk=pk)
        form = form_class(request.POST or None, request.FILES or None)

        def save(data: dict[str, Any]) -> Any:
            return create(actor=request.user, pairing=pairing, **data)

        return entry_page(request, pairing, form, save, title=str(title), tab=tab, done=str(done))

    return view


visit_new = _new_view(
    VisitForm, visit_create, title=gettext_lazy("登记走访"), tab="visits", done=gettext_lazy("走访记录已保存")
)
six_new = _new_view(
    SixMustForm, six_must_create, title=gettext_lazy("登记六个一"), tab="six", done=gettext_lazy("六个一记录已保存")
)
delivery_new = _new_view(
    DeliveryForm, delivery_create, title=gettext_lazy("登记五送"), tab="deliveries", done=gettext_lazy("五送记录已保存")
)
project_new = _new_view(
    ProjectForm, project_create, title=gettext_lazy("新建共建项目"), tab="projects", done=gettext_lazy("项目已登记")
)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A project with its milestones and evidence; the unit updates progress, adds milestones
    and evidence (one form per action, chosen by the ``action`` field)."""
    project = selectors.project_get(user=request.user, pk=pk)
    writable = can_record(request.user, project.pairing)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not writable:
        raise PermissionDenied
    post = request.POST if action else None
    progress_form = ProgressForm(
        post if action == "progress" else None, initial={"status": project.status, "progress": project.progress}
    )
    milestone_form = MilestoneForm(post if action == "milestone" else None, prefix="m")
    evidence_form = EvidenceForm(
        post if action == "evidence" else None, request.FILES if action == "evidence" else None, prefix="e"
    )
    forms_by_action: dict[str, tuple[forms.Form, Callable[[dict[str, Any]], Any]]] = {
        "progress": (
            progress_form,
            lambda d: project_update_progress(actor=request.user, project=project, **d),  # type: ignore[arg-type]
        ),
        "milestone": (
            milestone_form,
            lambda d: milestone_create(actor=request.user, project=project, **d),  # type: ignore[arg-type]
        ),
        "evidence": (
            evidence_form,
            lambda d: project_evidence_add(actor=request.user, project=project, **d),  # type: ignore[arg-type]
        ),
    }
    if action in forms_by_action:
        form, call = forms_by_action[action]
        if form.is_valid() and attempt(request, form, lambda: call(form.cleaned_data)) is not None:
            messages.success(request, _("已保存"))
            return redirect("records:project", pk=project.pk)
    context = {
        "project": project,
        "pairing": project.pairing,
        "writable": writable,
        "progress_form": progress_form,
        "milestone_form": milestone_form,
        "evidence_form": evidence_form,
        "today": timezone.localdate(),
    }
    return render(request, "records/project_detail.html", context)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(user=request.user, pk=pk)
    if not can_record(request.user, milestone.project.pairing):
        raise PermissionDenied

    def call() -> Any:
        return milestone_complete(actor=request.user, milestone=milestone, done_on=timezone.localdate())  # type: ignore[arg-type]

    if attempt(request, None, call) is not None:
        messages.success(request, _("节点已完成"))
    return redirect("records:project", pk=milestone.project_id)


# ---------------------------------------------------------------- contact card


@login_required
def contact_card(request: HttpRequest, pk: int) -> HttpResponse:
    """活动联系卡: both sides' contacts on one printable page; each side adds its own people."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    side = side_of(request.user, pairing)
    form = ContactForm(request.POST or None, initial={"side": side})
    if request.method == "POST":
        if side is None:
            raise PermissionDenied
        if form.is_valid():
            call = lambda: contact_create(actor=request.user, pairing=pairing, **form.cleaned_data)  # type: ignore[arg-type]  # noqa: E731
            if attempt(request, form, call) is not None:
                messages.success(request, _("联系人已添加"))
                return redirect("records:contacts", pk=pairing.pk)
    context = {
        "pairing": pairing,
        "contacts": selectors.contacts_of(pairing),
        "side": side,
        "form": form,
        "printed": timezone.localdate(),
    }
    return render(request, "records/contact_card.html", context)


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    contact_delete(actor=request.user, contact=contact)  # type: ignore[arg-type]
    messages.success(request, _("联系人已删除"))
    return redirect("records:contacts", pk=contact.pairing_id)


@login_required
@require_POST
def contact_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    added = attempt(request, None, lambda: contacts_prefill(actor=request.user, pairing=pairing))  # type: ignore[arg-type]
    if added is not None:
        messages.success(request, _("已从协议书和人员名册预填 %(n)d 位联系人") % {"n": added})
    return redirect("records:contacts", pk=pairing.pk)

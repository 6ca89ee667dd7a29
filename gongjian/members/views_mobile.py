"""Mobile-member pages: list with flags, registration, a member's page (hosting history,
agreement, reports, queries), moves and return, queries, missing reports, stations and
counts. Thin: selectors read, services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.audit.files import archived_file
from gongjian.audit.services import audit_event
from gongjian.core.downloads import file_name
from gongjian.core.pages import attempt, form_page
from gongjian.core.view_helpers import page_of
from gongjian.members import selectors_mobile as sel
from gongjian.members.access import is_origin_side
from gongjian.members.errors import MembersActionRefused
from gongjian.members.forms import (
    AgreementSignForm,
    AnswerForm,
    MoveForm,
    QueryForm,
    RegisterForm,
    ReportForm,
    ReturnForm,
    StationForm,
)
from gongjian.members.policy import half_of
from gongjian.members.services_mobile import (
    agreement_generate,
    agreement_record_signed,
    member_move,
    member_register,
    member_return,
    station_create,
)
from gongjian.members.services_reports import query_answer, query_ask, report_file
from gongjian.orgs.scope import can_view_personal_data


@login_required
def member_list_view(request: HttpRequest) -> HttpResponse:
    filters = {"status": request.GET.get("status", ""), "query": request.GET.get("q", "")}
    station = request.GET.get("station", "")
    qs = sel.member_list(
        user=request.user,
        status=filters["status"],
        query=filters["query"],
        station=int(station) if station.isdigit() else None,
    )
    page = page_of(request, qs)
    flags = sel.flags_for(list(page))
    rows = [(m, flags[m.pk]) for m in page]
    context = {"page": page, "rows": rows, "filters": filters, "statuses": sel.status_choices()}
    return render(request, "members/mobile_list.html", context)


def _station_choices(request: HttpRequest) -> Any:
    return sel.station_choices(user=request.user)


def _place(data: dict[str, Any]) -> dict[str, Any]:
    """Where the member goes, from the registration or move form, in the services' names."""
    return {"location": data["location"], "work": data["work"], "host": data["host_code"], "station": data["station"]}


@login_required
def member_register_view(request: HttpRequest) -> HttpResponse:
    """登记: find the party member by ID number in the user's scope, then register."""

    def register(data: dict[str, Any]) -> Any:
        person = sel.person_by_id_number(user=request.user, id_number=data["id_number"])
        if person is None:
            raise MembersActionRefused(
                _("在您管理范围内的人员名册中找不到该身份证号"), code="not_found", field="id_number"
            )
        try:
            return member_register(
                actor=request.user, person=person, phone=data["phone"], left_on=data["left_on"], **_place(data)
            )
        except PermissionDenied:
            # Said on the ID number the user typed: this person is not theirs to register.
            raise MembersActionRefused(
                _("只有流出地党组织及其上级可以登记该党员"), code="out_of_scope", field="id_number"
            ) from None

    return form_page(
        request,
        form=RegisterForm(request.POST or None, stations=_station_choices(request)),
        service=register,
        template="members/form_page.html",
        context={"title": _("登记流动党员")},
        fields={"person": "id_number"},  # the person is the one the typed ID number found
        success=_("已登记，请生成并签订流出党员管理协议书后完成登记"),
        done=lambda member: reverse("members:member", args=[member.pk]),
    )


def _with_status(query: Any) -> tuple[Any, str, str]:
    status = sel.query_status(query)
    return query, status, sel.QUERY_STATUS_LABELS[status]


def _member_context(request: HttpRequest, member: Any, **forms: Any) -> dict[str, Any]:
    year, half = half_of(timezone.localdate())
    side = sel.member_side(user=request.user, member=member)
    return {
        "member": member,
        "side": side,
        "flags": sel.flags_for([member])[member.pk],
        "periods": sel.member_periods(member),
        "agreement": sel.member_agreement(member),
        "reports": sel.member_reports(member),
        "queries": [_with_status(q) for q in sel.member_queries(member)],
        "full": can_view_personal_data(request.user) and request.GET.get("full") == "1",
        "sign_form": forms.get("sign_form") or AgreementSignForm(),
        "report_form": forms.get("report_form")
        or ReportForm(initial={"year": year, "half": half, "channel": "online" if side.own else "phone"}),
        "query_form": forms.get("query_form") or QueryForm(),
        "return_form": ReturnForm(),
    }


def _member_form(
    request: HttpRequest, member: Any, form: Any, service: Callable[..., Any], *, name: str, success: str
) -> HttpResponse:
    """One of the forms of a member's page: ``service(actor, member, **data)``, then back to
    the page; a refusal shows the page again with the form as the user filled it in."""
    return form_page(
        request,
        form=form,
        service=lambda data: service(actor=request.user, member=member, **data),
        template="members/member.html",
        context=lambda: _member_context(request, member, **{name: form}),
        form_name=name,
        success=success,
        done=reverse("members:member", args=[member.pk]),
    )


@login_required
def member_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = sel.member_get(user=request.user, pk=pk)
    context = _member_context(request, member)
    if context["full"]:
        audit_event("mobile_member.view_full", actor=request.user, target=member, scope_path=member.origin.path)
    return render(request, "members/member.html", context)


@login_required
@require_POST
def agreement_generate_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = sel.member_get(user=request.user, pk=pk)
    agreement_generate(actor=request.user, member=member)
    messages.success(request, _("已生成流出党员管理协议书，请打印后由党员与党支部签订"))
    return redirect("members:member", pk=pk)


@login_required
def agreement_download_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    member = sel.member_get(user=request.user, pk=pk)
    agreement = sel.member_agreement(member)
    if agreement is None or not agreement.pdf:
        raise Http404
    name = file_name(_("流出党员管理协议书"), member.person.name, member.left_on.year, ext="pdf")
    return archived_file(
        request,
        agreement.pdf,
        name,
        action="member_agreement.download",
        target=member,
        scope_path=member.origin.path,
        sha256=agreement.sha256,
        inline=False,
    )


@login_required
def agreement_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = sel.member_get(user=request.user, pk=pk)
    form = AgreementSignForm(request.POST or None)
    done = _("已登记协议签订，流动党员登记完成")
    return _member_form(request, member, form, agreement_record_signed, name="sign_form", success=done)


@login_required
def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """File a half-year report (by the member, or on their behalf)."""
    member = sel.member_get(user=request.user, pk=pk)
    form = ReportForm(request.POST or None)
    return _member_form(request, member, form, report_file, name="report_form", success=_("思想汇报已报送"))


@login_required
def move_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = sel.member_get(user=request.user, pk=pk)

    return form_page(
        request,
        form=MoveForm(request.POST or None, stations=_station_choices(request)),
        service=lambda data: member_move(actor=request.user, member=member, moved_on=data["moved_on"], **_place(data)),
        template="members/form_page.html",
        context={"title": _("登记流动"), "member": member},
        success=_("已登记流动，原流入地记录已保留"),
        done=reverse("members:member", args=[pk]),
    )


@login_required
@require_POST
def return_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = sel.member_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if attempt(request, None, lambda: member_return(actor=request.user, member=member, **data)) is not None:
            messages.success(request, _("已登记返回"))
    return redirect("members:member", pk=pk)


@login_required
def query_ask_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = sel.member_get(user=request.user, pk=pk)
    form = QueryForm(request.POST or None)
    done = _("联系函已发出，等待流出地党组织答复")
    return _member_form(request, member, form, query_ask, name="query_form", success=done)


@login_required
def query_list_view(request: HttpRequest) -> HttpResponse:
    direction = request.GET.get("direction", "")
    page = page_of(request, sel.query_list(user=request.user, direction=direction))
    context = {"page": page, "rows": [_with_status(q) for q in page], "direction": direction}
    return render(request, "members/queries.html", context)


@login_required
def query_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A query with its answer; the origin side answers here."""
    query = sel.query_get(user=request.user, pk=pk)
    _query, status, label = _with_status(query)
    context = {
        "query": query,
        "status": status,
        "status_label": label,
        "can_answer": query.answered_at is None and is_origin_side(request.user, query.origin),
    }
    return form_page(
        request,
        form=AnswerForm(request.POST or None),
        service=lambda data: query_answer(actor=request.user, query=query, **data),
        template="members/query.html",
        context=context,
        success=_("已答复联系函"),
        done=reverse("members:query", args=[pk]),
    )


@login_required
def missing_reports_view(request: HttpRequest) -> HttpResponse:
    page = page_of(request, sel.missing_reports(user=request.user))
    return render(request, "members/missing_reports.html", {"page": page})


@login_required
def stations_view(request: HttpRequest) -> HttpResponse:
    form = StationForm(request.POST or None, organizations=sel.station_organizations(user=request.user))

    def context() -> dict[str, Any]:
        counts = sel.counts(user=request.user)
        count_tables = [
            (_("按流出地党组织"), counts["origin"]),
            (_("按流入地党组织"), counts["host"]),
            (_("按服务站"), counts["station"]),
        ]
        return {"stations": sel.station_list(user=request.user), "count_tables": count_tables}

    return form_page(
        request,
        form=form,
        service=lambda data: station_create(actor=request.user, **data),
        template="members/stations.html",
        context=context,
        success=_("已设立服务站"),
        done=reverse("members:stations"),
    )

"""Talent pool and needs profile pages: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt, form_page
from gongjian.core.view_helpers import page_of
from gongjian.dispatch import access, selectors
from gongjian.dispatch.choices import CandidateStatus
from gongjian.dispatch.forms import CandidateForm, CommentForm, NeedsProfileForm
from gongjian.dispatch.services_pool import candidate_apply, candidate_recommend, candidate_vet, needs_profile_save
from gongjian.orgs.scope import can_view_personal_data


def acting(request: HttpRequest) -> Any:
    """The signed-in user (every view here requires login), as the services' ``actor`` (an
    account: the views do not import its model)."""
    return request.user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = selectors.pool_counts(user=user)
    context = {
        "statuses": [(value, label, counts[value]) for value, label in CandidateStatus.choices],
        "is_admin": access.is_admin(user),
        "appointments": selectors.appointment_list(user=user, status="serving").count(),
        "runs": selectors.run_list(user=user)[:5],
    }
    return render(request, "dispatch/index.html", context)


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("q", "status", "skill")}
    qs = selectors.candidate_list(
        user=request.user, query=filters["q"], status=filters["status"], skill=filters["skill"]
    )
    context = {
        "page": page_of(request, qs.prefetch_related("skills")),
        "filters": filters,
        "statuses": CandidateStatus.choices,
        "skills": selectors.skill_choices(),
    }
    return render(request, "dispatch/candidate_list.html", context)


@login_required
def candidate_apply_view(request: HttpRequest) -> HttpResponse:
    units = selectors.apply_units(request.user)
    if not any(access.can_apply_for(request.user, u) for u in units[:1]):
        raise PermissionDenied
    form = CandidateForm(request.POST or None, units=units, counties=selectors.preference_places(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        places = [data.pop(k) for k in ("county1", "county2", "county3")]
        preferences = [p for p in places if p is not None]
        for code in data.pop("village_codes"):
            village = selectors.village_by_code(request.user, code)
            if village is None:
                form.add_error("village_codes", _("找不到组织代码为 %(code)s 的村") % {"code": code})
            else:
                preferences.append(village)
        if form.is_valid():
            created = attempt(
                request, form, lambda: candidate_apply(actor=acting(request), preferences=preferences, **data)
            )
            if created is not None:
                messages.success(request, _("已报名：%(name)s，等待单位推荐") % {"name": created.name})
                return redirect("dispatch:candidate", pk=created.pk)
    return render(request, "dispatch/candidate_form.html", {"form": form})


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "candidate": candidate,
        **selectors.candidate_history(candidate),
        "full": can_view_personal_data(user),
        "can_recommend": candidate.status == CandidateStatus.APPLIED and access.can_recommend(user, candidate),
        "can_vet": candidate.status == CandidateStatus.RECOMMENDED and access.can_vet(user, candidate),
        "can_appoint": candidate.status == CandidateStatus.POOLED and access.is_admin(user),
        "form": CommentForm(),
    }
    return render(request, "dispatch/candidate_detail.html", context)


@login_required
@require_POST
def candidate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    actor = acting(request)
    if step == "recommend":
        done = attempt(request, None, lambda: candidate_recommend(actor=actor, candidate=candidate, comment=comment))
        text = _("已推荐，等待组织部门考察")
    elif step in ("approve", "reject"):
        approve = step == "approve"
        done = attempt(
            request, None, lambda: candidate_vet(actor=actor, candidate=candidate, approve=approve, comment=comment)
        )
        text = _("考察通过，已入人才库") if approve else _("已记录考察未通过")
    else:
        raise PermissionDenied
    if done is not None:
        messages.success(request, text)
    return redirect("dispatch:candidate", pk=candidate.pk)


@login_required
def village_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    only = request.GET.get("needing") == "1"
    qs = selectors.village_list(user=request.user, query=query, only_needing=only)
    return render(request, "dispatch/village_list.html", {"page": page_of(request, qs), "query": query, "only": only})


@login_required
def needs_edit(request: HttpRequest, pk: int) -> HttpResponse:
    village = selectors.village_get(user=request.user, pk=pk)
    if not access.can_edit_needs(request.user, village):
        raise PermissionDenied
    return form_page(
        request,
        form=NeedsProfileForm(request.POST or None, instance=selectors.needs_profile(village)),
        service=lambda data: needs_profile_save(actor=acting(request), village=village, **data),
        template="dispatch/needs_form.html",
        context=lambda: {"village": village, "tags": village.tags.all()},
        success=_("村情需求档案已保存"),
        done=reverse("dispatch:villages"),
    )

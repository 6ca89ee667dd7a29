"""Joint organization pages (联建): list, set up, detail with members, shared rules, pooled
figures and pairings; the panel on an organization's page; import and export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.downloads import attachment
from gongjian.core.view_helpers import form_errors_from, page_of
from gongjian.jobs.uploads import upload_page
from gongjian.joint import selectors as selectors_joint
from gongjian.joint import services as services_joint
from gongjian.joint.choices import JointType
from gongjian.joint.forms import CharterForm, JointCreateForm, MemberAddForm, MemberRemoveForm
from gongjian.joint.services import JointRefused
from gongjian.joint.tables import joint_export, joint_import, joint_template
from gongjian.orgs import selectors
from gongjian.orgs.forms import ImportForm
from gongjian.orgs.scope import ADMIN_ROLES, can_manage, scope_root


def _save_or_keep(form: forms.Form, write: Any) -> Any:
    """Run a service; its refusals go on the form (each on its field), which keeps what the
    user typed. The registry's own checks (a taken code) still raise a ValidationError."""
    try:
        return write()
    except JointRefused as exc:
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
    except ValidationError as exc:
        form_errors_from(form, exc)
    return None


def _manageable(request: HttpRequest, pk: int) -> Any:
    joint = selectors_joint.joint_get(user=request.user, pk=pk)
    if not can_manage(request.user, joint):
        raise PermissionDenied  # a member's user sees the joint organization, read-only
    return joint


def _member_candidates(request: HttpRequest, joint: Any) -> Any:
    profile = getattr(joint, "joint_profile", None)
    kinds = services_joint.MEMBER_KINDS.get(profile.joint_type if profile else "", frozenset())
    return selectors.organization_list(user=request.user).filter(kind__in=kinds, is_active=True)


@login_required
def joint_list_view(request: HttpRequest) -> HttpResponse:
    query, joint_type = request.GET.get("q", ""), request.GET.get("type", "")
    qs = selectors_joint.joint_list(user=request.user, query=query, joint_type=joint_type)
    context = {
        "page": page_of(request, qs),
        "query": query,
        "joint_type": joint_type,
        "types": JointType.choices,
        "is_admin": getattr(request.user, "role", "") in ADMIN_ROLES,
    }
    return render(request, "joint/list.html", context)


@login_required
def joint_create_view(request: HttpRequest) -> HttpResponse:
    parents = selectors_joint.parent_candidates(user=request.user, kinds=services_joint.PARENT_KINDS)
    asked = request.GET.get("parent", "")
    # The committee asked for, else the user's own (a town admin's town), else the first.
    parent = parents.filter(pk=int(asked)).first() if asked.isdigit() else None
    root = scope_root(request.user)
    if parent is None and root is not None:
        parent = parents.filter(pk=root.pk).first() or parents.first()
    if parent is None:
        raise Http404
    candidates = selectors_joint.member_candidates(
        user=request.user, kinds=set().union(*services_joint.MEMBER_KINDS.values()), under=parent
    )
    form = JointCreateForm(request.POST or None, candidates=candidates, initial={"founded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        joint = _save_or_keep(form, lambda: services_joint.joint_create(actor=request.user, parent=parent, **data))
        if joint is not None:
            messages.success(request, _("已设立联建组织“%(name)s”") % {"name": joint.name})
            return redirect("joint:detail", pk=joint.pk)
    return render(request, "joint/form.html", {"form": form, "parent": parent, "parents": parents[:200]})


def _detail_context(request: HttpRequest, joint: Any, **forms_: Any) -> dict[str, Any]:
    manage = can_manage(request.user, joint)
    today = timezone.localdate()
    context = {
        "joint": joint,
        "profile": getattr(joint, "joint_profile", None),
        "members": selectors_joint.joint_members(user=request.user, joint=joint),
        "charters": selectors_joint.joint_charters(user=request.user, joint=joint),
        "pool": selectors_joint.joint_pool_summary(user=request.user, joint=joint),
        "pairings": selectors_joint.joint_pairings(user=request.user, joint=joint),
        "can_manage": manage,
        "in_tree": selectors.organization_list(user=request.user).filter(pk=joint.pk).exists(),
    }
    if manage:
        context["add_form"] = forms_.get("add_form") or MemberAddForm(
            candidates=_member_candidates(request, joint), initial={"joined_on": today}
        )
        context["candidates"] = _member_candidates(request, joint)[:500]
    return context


@login_required
def joint_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    joint = selectors_joint.joint_get(user=request.user, pk=pk)
    return render(request, "joint/detail.html", _detail_context(request, joint))


@login_required
@require_POST
def joint_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    joint = _manageable(request, pk)
    form = MemberAddForm(request.POST, candidates=_member_candidates(request, joint))
    if form.is_valid():
        data = form.cleaned_data
        added = _save_or_keep(form, lambda: services_joint.joint_member_add(actor=request.user, joint=joint, **data))
        if added is not None:
            messages.success(request, _("已加入成员组织“%(name)s”") % {"name": added.member.name})
            return redirect("joint:detail", pk=joint.pk)
    return render(request, "joint/detail.html", _detail_context(request, joint, add_form=form), status=400)


@login_required
def joint_member_remove_view(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    joint = _manageable(request, pk)
    membership = selectors_joint.joint_membership_get(user=request.user, joint=joint, pk=membership_pk)
    form = MemberRemoveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        removed = _save_or_keep(
            form, lambda: services_joint.joint_member_remove(actor=request.user, membership=membership, **data)
        )
        if removed is not None:
            messages.success(request, _("“%(name)s”已退出") % {"name": membership.member.name})
            return redirect("joint:detail", pk=joint.pk)
    return render(request, "joint/member_remove.html", {"form": form, "joint": joint, "membership": membership})


@login_required
def joint_charter_view(request: HttpRequest, pk: int) -> HttpResponse:
    joint = _manageable(request, pk)
    current = selectors_joint.joint_charters(user=request.user, joint=joint).first()
    initial: dict[str, Any] = {"adopted_on": timezone.localdate()}
    if current is not None:
        initial.update({"text": current.text, "items": current.items})
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        charter = _save_or_keep(
            form, lambda: services_joint.joint_charter_adopt(actor=request.user, joint=joint, **data)
        )
        if charter is not None:
            messages.success(request, _("已通过第 %(v)d 版共同制度") % {"v": charter.version})
            return redirect("joint:detail", pk=joint.pk)
    return render(request, "joint/charter_form.html", {"form": form, "joint": joint, "current": current})


@login_required
def joint_panel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The joint part of an organization's page (loaded by htmx): a joint organization's
    members, or the joint organizations a member belongs to, with their pairings."""
    organization = selectors.organization_get(user=request.user, pk=pk)
    memberships = list(selectors_joint.joints_of_member(user=request.user, organization=organization))
    for m in memberships:
        m.pairings = selectors_joint.joint_pairings(user=request.user, joint=m.joint)  # type: ignore[attr-defined]
    context = {
        "organization": organization,
        "memberships": memberships,
        "members": (
            selectors_joint.joint_members(user=request.user, joint=organization, with_former=False)
            if organization.is_joint
            else []
        ),
        "can_set_up": can_manage(request.user, organization) and organization.kind in services_joint.PARENT_KINDS,
    }
    return render(request, "joint/panel.html", context)


@login_required
def joint_import_view(request: HttpRequest) -> HttpResponse:
    if scope_root(request.user) is None:
        raise Http404
    if getattr(request.user, "role", "") not in ADMIN_ROLES:
        raise PermissionDenied
    return upload_page(
        request,
        importer=joint_import,
        title=_("导入联建组织"),
        template="joint/import.html",
        form_class=ImportForm,
    )


@login_required
def joint_template_view(request: HttpRequest) -> HttpResponse:
    return attachment(joint_template(), "联建组织导入模板.xlsx")


@login_required
def joint_export_view(request: HttpRequest) -> HttpResponse:
    if scope_root(request.user) is None:
        raise Http404
    stamp = timezone.localtime().strftime("%Y%m%d")
    return attachment(joint_export(user=request.user), f"联建组织{stamp}.xlsx")

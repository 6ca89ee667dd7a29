"""Registry pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.orgs import selectors, services
from gongjian.orgs.forms import OrganizationForm, OrganizationProfileForm, PersonEditForm, PersonForm
from gongjian.orgs.scope import can_edit_profile, can_manage, can_view_personal_data, in_scope


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "query": request.GET.get("q", ""),
        "kind": request.GET.get("kind", ""),
        "tag": request.GET.get("tag", ""),
        "need": request.GET.get("need", ""),
    }
    qs = selectors.organization_list(
        user=request.user, query=filters["query"], kind=filters["kind"], tag=filters["tag"], need=filters["need"]
    ).prefetch_related("tags")
    context = {
        "page": page_of(request, qs),
        "filters": filters,
        "kinds": selectors.kind_choices(),
        "tags": selectors.tag_choices(),
        "resources": selectors.resource_choices(),
    }
    template = "orgs/_organization_rows.html" if getattr(request, "htmx", False) else "orgs/organization_list.html"
    return render(request, template, context)


TREE_PAGE_SIZE = 200  # children loaded per click; a town of 500 villages comes in three


@login_required
def organization_tree(request: HttpRequest) -> HttpResponse:
    """The registry as a tree: the user's own node, each level loaded when opened (htmx), with
    the number of organizations and villages below each node."""
    root = selectors.tree_root_node(user=request.user)
    if root is None:
        raise Http404
    return render(request, "orgs/organization_tree.html", {"root": root})


@login_required
def organization_tree_children(request: HttpRequest, pk: int) -> HttpResponse:
    """One page of a node's children (the first when it is opened, the next on 更多)."""
    parent = selectors.organization_get(user=request.user, pk=pk)
    page = page_of(request, selectors.tree_children(user=request.user, parent=parent), TREE_PAGE_SIZE)
    context = {
        "parent": parent,
        "page": page,
        "nodes": selectors.tree_nodes(parent=parent, children=page),
        "more_only": page.number > 1,
    }
    return render(request, "orgs/_tree_children.html", context)


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The user's subtree, or (read-only) a village a unit of theirs is paired with now.
    organization = selectors.organization_page_get(user=request.user, pk=pk)
    context = {
        "partners": selectors.current_partners(user=request.user, organization=organization),
        "own": in_scope(request.user, organization),  # not only a paired village, read-only
        "organization": organization,
        "children": page_of(request, selectors.organization_children(user=request.user, organization=organization)),
        "people": selectors.person_list(user=request.user, organization_id=organization.pk)[:100],
        "figures": selectors.village_figures(user=request.user, village=organization),
        "can_manage": can_manage(request.user, organization),
        "can_edit": can_edit_profile(request.user, organization),
        "line_label": organization.get_line_display(),
    }
    return render(request, "orgs/organization_detail.html", context)


@login_required
def organization_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = selectors.organization_get(user=request.user, pk=pk)
    if not can_manage(request.user, parent):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = attempt(
            request,
            form,
            lambda: services.organization_create(
                actor=request.user,
                parent=parent,
                region=parent.region,
                **data,
            ),
        )
        if created is not None:
            messages.success(request, _("已新建组织“%(name)s”") % {"name": created.name})
            return redirect("orgs:detail", pk=created.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "parent": parent})


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    if can_manage(request.user, organization):
        form_class: Any = OrganizationForm
        initial = {
            "tags": organization.tags.all(),
            "needs": organization.needs.all(),
            "resources": organization.resources.all(),
        }
    elif can_edit_profile(request.user, organization):
        form_class = OrganizationProfileForm
        initial = {"needs": organization.needs.all(), "resources": organization.resources.all()}
    else:
        raise PermissionDenied
    # Bind a copy: the form must not change the instance the service will compare against.
    form = form_class(
        request.POST or None, instance=selectors.organization_get(user=request.user, pk=pk), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        updated = attempt(
            request,
            form,
            lambda: services.organization_update(
                actor=request.user,
                organization=organization,
                **data,
            ),
        )
        if updated is not None:
            messages.success(request, _("已保存"))
            return redirect("orgs:detail", pk=organization.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "organization": organization})


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    organization_id = _int_or_none(request.GET.get("org"))
    qs = selectors.person_list(user=request.user, query=query, organization_id=organization_id)
    return render(request, "orgs/person_list.html", {"page": page_of(request, qs), "query": query})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    return render(
        request,
        "orgs/person_detail.html",
        {
            "person": person,
            "can_reveal": can_view_personal_data(request.user) and person.erased_at is None,
            "can_erase": request.user.has_perm("orgs.erase_personal_data")  # type: ignore[union-attr]
            and can_manage(request.user, person.organization)
            and person.erased_at is None,
        },
    )


@login_required
@require_POST
def person_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    try:
        services.person_erase(actor=request.user, person=person)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除该人员的个人信息；其结对记录保留"))
    return redirect("orgs:person_detail", pk=person.pk)


@login_required
@require_POST
def person_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    try:
        full = services.person_reveal(actor=request.user, person=person)
    except PermissionDenied as exc:
        raise Http404 from exc
    return render(request, "orgs/_person_full.html", {"person": person, "full": full})


@login_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = attempt(
            request,
            form,
            lambda: services.person_create(
                actor=request.user,
                organization=organization,
                **form.cleaned_data,
            ),
        )
        if person is not None:
            messages.success(request, _("已登记人员“%(name)s”") % {"name": person.name})
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "organization": organization})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    if not can_view_personal_data(request.user):
        # Editing shows the full phone and ID number, so it needs the same permission.
        raise PermissionDenied
    form = PersonEditForm(request.POST or None, person=selectors.person_get(user=request.user, pk=pk))
    if request.method == "POST" and form.is_valid():
        updated = attempt(
            request,
            form,
            lambda: services.person_update(actor=request.user, person=person, **form.changes()),
        )
        if updated is not None:
            messages.success(request, _("已保存"))
            return redirect("orgs:person_detail", pk=person.pk)
    return render(
        request, "orgs/person_form.html", {"form": form, "organization": person.organization, "person": person}
    )

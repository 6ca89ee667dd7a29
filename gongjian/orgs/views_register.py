"""A village created from the national register of divisions by its 12-digit code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongjian.core.view_helpers import form_errors_from
from gongjian.orgs import selectors
from gongjian.orgs.forms import RegisterVillageForm
from gongjian.orgs.scope import can_manage
from gongjian.orgs.services_register import village_create_from_register


@login_required
def village_from_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Under a town: the administrator types the code, the register names the village."""
    parent = selectors.organization_get(user=request.user, pk=pk)
    if not can_manage(request.user, parent):
        raise PermissionDenied
    form = RegisterVillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = village_create_from_register(
                actor=request.user, parent=parent, division_code=form.cleaned_data["division_code"]
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已按区划名录新建“%(name)s”") % {"name": created.name})
            return redirect("orgs:detail", pk=created.pk)
    return render(request, "orgs/village_from_register.html", {"form": form, "parent": parent})

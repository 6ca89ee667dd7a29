"""Correcting and removing the unit's archive entries (visits, 六个一, 五送): the entry form
again, filled in from the entry, and a delete that only accepts POST (the pages ask first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt
from gongjian.records import selectors
from gongjian.records.forms import DeliveryForm, SixMustForm, VisitEditForm
from gongjian.records.services_archive_edit import (
    DELIVERY_FIELDS,
    SIX_MUST_FIELDS,
    VISIT_FIELDS,
    delivery_delete,
    delivery_update,
    six_must_delete,
    six_must_update,
    visit_delete,
    visit_update,
)
from gongjian.records.views_common import archive_tab_url, entry_page


def _initial(item: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in fields}


def _picked(data: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {name: data[name] for name in fields}


def _delete_view(
    get: Callable[..., Any], delete: Callable[[Any, Any], None], *, tab: str, done: str | Promise
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only view that deletes the entry ``pk`` (fetched by ``get`` through the user's
    scope) and goes back to the archive's tab; a refusal (pairing no longer signed) becomes a
    message. The pages ask before they post."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = get(user=request.user, pk=pk)
        if attempt(request, None, lambda: delete(request.user, item)):
            messages.success(request, str(done))
        return redirect(archive_tab_url(item.pairing, tab))

    return view


# Each tab's corrected entry: its delete view, the page's title and the message when saved.
EDITS: dict[str, tuple[str, Promise, Promise]] = {
    "visits": ("records:visit_delete", gettext_lazy("修改走访记录"), gettext_lazy("走访记录已修改")),
    "six": ("records:six_delete", gettext_lazy("修改六个一记录"), gettext_lazy("六个一记录已修改")),
    "deliveries": ("records:delivery_delete", gettext_lazy("修改五送记录"), gettext_lazy("五送记录已修改")),
}


def _edit_page(
    request: HttpRequest, item: Any, form: forms.Form, save: Callable[[dict[str, Any]], Any], *, tab: str
) -> HttpResponse:
    """The entry form again for ``item`` of the archive's ``tab``, with its delete button under it."""
    delete, title, done = EDITS[tab]
    extra = {"delete_url": reverse(delete, args=[item.pk])}
    return entry_page(request, item.pairing, form, save, title=str(title), tab=tab, done=str(done), extra=extra)


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a visit: its fields, photos to take off and photos to add."""
    visit = selectors.visit_get(user=request.user, pk=pk)
    initial = _initial(visit, VISIT_FIELDS)
    form = VisitEditForm(request.POST or None, request.FILES or None, initial=initial, photos=list(visit.photos.all()))

    def save(d: dict[str, Any]) -> Any:
        return visit_update(
            actor=request.user,  # type: ignore[arg-type]
            visit=visit,
            **_picked(d, VISIT_FIELDS),
            photos=d["photos"],
            remove_photos=d.get("remove_photos") or [],
        )

    return _edit_page(request, visit, form, save, tab="visits")


visit_remove = _delete_view(
    selectors.visit_get,
    lambda actor, item: visit_delete(actor=actor, visit=item),
    tab="visits",
    done=gettext_lazy("走访记录已删除"),
)


@login_required
def six_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a 六个一 record; its evidence file can be replaced or cleared."""
    item = selectors.six_must_get(user=request.user, pk=pk)
    form = SixMustForm(request.POST or None, request.FILES or None, initial=_initial(item, SIX_MUST_FIELDS))

    def save(d: dict[str, Any]) -> Any:
        # The file field gives a new upload, False when "clear" is ticked, else the file kept.
        evidence = d.get("evidence")
        new = evidence if isinstance(evidence, UploadedFile) else None
        return six_must_update(
            actor=request.user,  # type: ignore[arg-type]
            item=item,
            **_picked(d, ["date", "kind", "content"]),
            evidence=new,
            remove_evidence=evidence is False,
        )

    return _edit_page(request, item, form, save, tab="six")


six_remove = _delete_view(
    selectors.six_must_get,
    lambda actor, item: six_must_delete(actor=actor, item=item),
    tab="six",
    done=gettext_lazy("六个一记录已删除"),
)


@login_required
def delivery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a 五送 record."""
    item = selectors.delivery_get(user=request.user, pk=pk)
    form = DeliveryForm(request.POST or None, initial=_initial(item, DELIVERY_FIELDS))

    def save(d: dict[str, Any]) -> Any:
        return delivery_update(actor=request.user, item=item, **_picked(d, DELIVERY_FIELDS))  # type: ignore[arg-type]

    return _edit_page(request, item, form, save, tab="deliveries")


delivery_remove = _delete_view(
    selectors.delivery_get,
    lambda actor, item: delivery_delete(actor=actor, item=item),
    tab="deliveries",
    done=gettext_lazy("五送记录已删除"),
)

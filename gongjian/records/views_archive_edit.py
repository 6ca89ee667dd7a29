"""Correcting and removing the unit's archive entries (visits, 六个一, 五送): the entry form
again, filled in from the entry, and a delete that only accepts POST (the pages ask first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from gongjian.records.views_common import archive_tab_url, attempt, entry_page
from gongjian.rounds.models import Pairing


def _initial(item: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in fields}


def _removed(
    request: HttpRequest, pairing: Pairing, remove: Callable[[], None], *, tab: str, done: str
) -> HttpResponse:
    """Run a delete service; a refusal (pairing no longer signed) becomes a message."""

    def call() -> bool:
        remove()
        return True

    if attempt(request, None, call):
        messages.success(request, done)
    return redirect(archive_tab_url(pairing, tab))


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a visit: its fields, photos to take off and photos to add."""
    visit = selectors.visit_get(user=request.user, pk=pk)
    form = VisitEditForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(visit, VISIT_FIELDS),
        photos=list(visit.photos.all()),
    )

    def save(d: dict[str, Any]) -> Any:
        return visit_update(
            actor=request.user,  # type: ignore[arg-type]
            visit=visit,
            **{name: d[name] for name in VISIT_FIELDS},
            photos=d["photos"],
            remove_photos=d.get("remove_photos") or [],
        )

    delete_url = reverse("records:visit_delete", args=[visit.pk])
    return entry_page(
        request,
        visit.pairing,
        form,
        save,
        title=_("修改走访记录"),
        tab="visits",
        done=_("走访记录已修改"),
        extra={"delete_url": delete_url},
    )


@login_required
@require_POST
def visit_remove(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    remove = lambda: visit_delete(actor=request.user, visit=visit)  # type: ignore[arg-type]  # noqa: E731
    return _removed(request, visit.pairing, remove, tab="visits", done=_("走访记录已删除"))


@login_required
def six_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a 六个一 record; its evidence file can be replaced or cleared."""
    item = selectors.six_must_get(user=request.user, pk=pk)
    form = SixMustForm(request.POST or None, request.FILES or None, initial=_initial(item, SIX_MUST_FIELDS))

    def save(d: dict[str, Any]) -> Any:
        # The file field gives a new upload, False when "clear" is ticked, else the file kept.
        evidence = d.get("evidence")
        return six_must_update(
            actor=request.user,  # type: ignore[arg-type]
            item=item,
            date=d["date"],
            kind=d["kind"],
            content=d["content"],
            evidence=evidence if isinstance(evidence, UploadedFile) else None,
            remove_evidence=evidence is False,
        )

    delete_url = reverse("records:six_delete", args=[item.pk])
    return entry_page(
        request,
        item.pairing,
        form,
        save,
        title=_("修改六个一记录"),
        tab="six",
        done=_("六个一记录已修改"),
        extra={"delete_url": delete_url},
    )


@login_required
@require_POST
def six_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.six_must_get(user=request.user, pk=pk)
    remove = lambda: six_must_delete(actor=request.user, item=item)  # type: ignore[arg-type]  # noqa: E731
    return _removed(request, item.pairing, remove, tab="six", done=_("六个一记录已删除"))


@login_required
def delivery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a 五送 record."""
    item = selectors.delivery_get(user=request.user, pk=pk)
    form = DeliveryForm(request.POST or None, initial=_initial(item, DELIVERY_FIELDS))

    def save(d: dict[str, Any]) -> Any:
        return delivery_update(actor=request.user, item=item, **{name: d[name] for name in DELIVERY_FIELDS})  # type: ignore[arg-type]

    delete_url = reverse("records:delivery_delete", args=[item.pk])
    return entry_page(
        request,
        item.pairing,
        form,
        save,
        title=_("修改五送记录"),
        tab="deliveries",
        done=_("五送记录已修改"),
        extra={"delete_url": delete_url},
    )


@login_required
@require_POST
def delivery_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.delivery_get(user=request.user, pk=pk)
    remove = lambda: delivery_delete(actor=request.user, item=item)  # type: ignore[arg-type]  # noqa: E731
    return _removed(request, item.pairing, remove, tab="deliveries", done=_("五送记录已删除"))

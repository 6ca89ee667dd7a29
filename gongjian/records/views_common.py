"""What every records view shares: calling a service so that a refusal becomes a message and a
validation error lands on the form (the user's input is kept)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gongjian.records.access import can_record
from gongjian.records.errors import RecordActionRefused
from gongjian.rounds.models import Pairing

T = TypeVar("T")
PAGE_SIZE = 30


def attempt(request: HttpRequest, form: forms.Form | None, call: Callable[[], T]) -> T | None:
    """Run ``call``; on a refusal show the reason, on a validation error put it on the form.
    Returns the service's result, or None when it did not go through."""
    try:
        return call()
    except RecordActionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
        elif hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(items, size).get_page(request.GET.get("page"))


def archive_tab_url(pairing: Pairing, tab: str) -> str:
    """The archive page of ``pairing`` opened on ``tab``."""
    return reverse("records:archive", args=[pairing.pk]) + f"?tab={tab}"


def entry_page(
    request: HttpRequest,
    pairing: Pairing,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    tab: str,
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The shared shape of the unit's entry forms, new or corrected: GET shows, POST saves
    and goes back to the archive's tab, or shows the form again with what was typed."""
    if not can_record(request.user, pairing):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(request, form, lambda: save(data)) is not None:
            messages.success(request, done)
            return redirect(archive_tab_url(pairing, tab))
    context = {"pairing": pairing, "form": form, "title": title, "tab": tab, **(extra or {})}
    return render(request, "records/entry_form.html", context)

"""What every records view shares: calling a service so that a refusal becomes a message and a
validation error lands on the form (the user's input is kept)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gongjian.core.view_helpers import form_errors_from
from gongjian.core.view_helpers import page_of as _page_of
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
        else:
            form_errors_from(form, exc)
    return None


# Archive lists hold fewer rows a page than the registry's: entries are long on a phone.
page_of = functools.partial(_page_of, size=PAGE_SIZE)


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

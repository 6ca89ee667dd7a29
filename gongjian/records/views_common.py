"""What every records view shares: the archive's paging and tab links, and the entry page of
the unit's forms (through :func:`gongjian.core.pages.form_page`: a refusal lands on the
form, with the user's input kept)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from gongjian.core.pages import form_page
from gongjian.core.view_helpers import page_of as _page_of
from gongjian.records.access import can_record

PAGE_SIZE = 30


# Archive lists hold fewer rows a page than the registry's: entries are long on a phone.
page_of = functools.partial(_page_of, size=PAGE_SIZE)


def archive_tab_url(pairing: Any, tab: str) -> str:
    """The archive page of ``pairing`` opened on ``tab``."""
    return reverse("records:archive", args=[pairing.pk]) + f"?tab={tab}"


def entry_page(
    request: HttpRequest,
    pairing: Any,
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
    return form_page(
        request,
        form=form,
        service=save,
        template="records/entry_form.html",
        context={"pairing": pairing, "title": title, "tab": tab, **(extra or {})},
        success=done,
        done=archive_tab_url(pairing, tab),
    )

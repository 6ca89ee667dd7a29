"""What the apps' thin views share: paging a list and keeping a form's input when a
service refuses it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from gongjian.core.pages import add_refusal

PAGE_SIZE = 50


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page[Any]:
    """The page of ``items`` named by ``?page=`` (the last page if past the end, the first
    if not a number)."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def form_errors_from(form: Any, exc: ValidationError) -> None:
    """Put a service's validation errors on the form, next to their fields where the form
    has them, so that the page shows them with what the user typed (the one rule of
    :func:`gongjian.core.pages.add_refusal`)."""
    add_refusal(form, exc)

"""What every records view shares: calling a service so that a refusal becomes a message and a
validation error lands on the form (the user's input is kept)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from gongjian.records.errors import RecordActionRefused

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

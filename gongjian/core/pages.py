"""The one form page of every app (issue 13 point 4): bind the form, call the service, and
either say it is done and go on, or show the form again with every reason at once and what
the user typed.

A view reads what the page is about (a selector, 404 outside the user's scope), checks who
may write, then answers with :func:`form_page`::

    return form_page(
        request,
        form=PledgeForm(request.POST or None),
        service=lambda data: pledge_create(actor=request.user, pairing=pairing, **data),
        template="funds/pledge_form.html",
        context={"pairing": pairing, "title": _("登记认捐")},
        success=_("认捐已登记"),
        done=pairing_url(pairing),
    )

A page with several forms, or a button without a form, calls :func:`attempt` itself.

What a refusal becomes (nothing was written when a service refuses):

* a :class:`~gongjian.core.errors.Refused` goes on the form — next to the field it names when
  the form has that field, else above the form; a refusal that names several inputs at once
  (:class:`~gongjian.core.errors.FieldsRefused`) puts each on its field;
* a ``ValidationError`` keyed by field (the services that still raise one) likewise;
* without a form (a button), the reason is the page's error message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from gongjian.core.errors import FieldsRefused, Refused

T = TypeVar("T")
Renderer = Callable[..., HttpResponse]
Text = str | Promise


def refusal_reasons(exc: Refused | ValidationError) -> dict[str, list[str]]:
    """The reasons of a refusal by field ("" for the whole form)."""
    if isinstance(exc, FieldsRefused):
        return {field: [message] for field, message in exc.errors.items()}
    if isinstance(exc, Refused):
        return {exc.field: [exc.message]}
    if hasattr(exc, "error_dict"):
        return {("" if f == "__all__" else f): list(ValidationError(e).messages) for f, e in exc.error_dict.items()}
    return {"": list(exc.messages)}


def add_refusal(form: forms.BaseForm, exc: Refused | ValidationError, fields: Mapping[str, str] | None = None) -> None:
    """Put a service's refusal on ``form``: each reason next to its field where the form has
    it (``fields`` maps a service's name to the form's where they differ), else above the
    form. The form keeps what the user typed."""
    for field, reasons in refusal_reasons(exc).items():
        field = (fields or {}).get(field, field)
        for reason in reasons:
            form.add_error(field if field in form.fields else None, reason)


def attempt(
    request: HttpRequest,
    form: forms.BaseForm | None,
    call: Callable[[], T],
    *,
    fields: Mapping[str, str] | None = None,
) -> T | None:
    """Run the service ``call``. Returns its result, or ``None`` when it refused: the reasons
    are then on ``form`` (see :func:`add_refusal`), or, without a form, the page's error
    message. A service that returns nothing gives ``True`` once done, so that ``is not None``
    always means "it went through"."""
    try:
        result = call()
    except (Refused, ValidationError) as exc:
        if form is None:
            messages.error(request, "；".join(r for reasons in refusal_reasons(exc).values() for r in reasons))
        else:
            add_refusal(form, exc, fields)
        return None
    return cast(T, True) if result is None else result


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    service: Callable[[dict[str, Any]], Any],
    template: str,
    success: Text | Callable[[Any], Text] | None,
    done: str | Callable[[Any], str],
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    form_name: str = "form",
    fields: Mapping[str, str] | None = None,
    invalid_status: int = 200,
    render_with: Renderer = render,
) -> HttpResponse:
    """A write page: GET shows ``form``; a valid POST calls ``service(cleaned_data)``, then
    shows ``success`` (or ``success(result)``) and redirects to ``done`` (a URL, or
    ``done(result)``). A form the user must correct — its own errors and the service's
    refusals, all at once (``fields``: see :func:`add_refusal`) — is shown again under
    ``form_name`` with ``context`` (a mapping, or a function called only when the page is
    shown), answered with ``invalid_status`` (some apps answer 400); ``render_with`` is the
    app's render (a round's tabs)."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = attempt(request, form, lambda: service(data), fields=fields)
        if result is not None:
            text = success(result) if callable(success) else success
            if text:
                messages.success(request, str(text))
            return redirect(done(result) if callable(done) else done)
    extra = context() if callable(context) else (context or {})
    status = invalid_status if form.is_bound and form.errors else 200
    return render_with(request, template, {**extra, form_name: form}, status=status)

"""The one import page of every app: a spreadsheet form whose valid upload starts the
import as a job and sends the user to the job's progress page.

A view checks who may import (its own rule), then answers with :func:`upload_page`::

    return upload_page(request, importer=candidate_import, title=_("导入人才库报名"),
                       template="dispatch/import.html")

The page's template extends ``jobs/upload.html`` (form, the line saying the file is
imported in the background, and the list of bad cells) and fills its own blocks (intro,
template links). The request only checks the file (size, type, content, rows: the form's
validators in :mod:`gongjian.core.uploads`, all cheap); every cell is checked by the job,
and a file refused there lists its bad cells on the job's page.

One import stays inside the request: accounts (``run=``), because its result is the new
accounts' one-time passwords, shown once on the page and never stored in a job's result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongjian.core.tabular import CellError
from gongjian.core.uploads import SpreadsheetForm, SpreadsheetUpload, spreadsheet_upload
from gongjian.jobs.models import JobKind, JobState
from gongjian.jobs.services import file_digest, filing_path, job_start, request_key
from gongjian.jobs.work import IMPORTERS

Renderer = Callable[..., HttpResponse]


def upload_page(
    request: HttpRequest,
    *,
    template: str,
    title: str,
    importer: str | Callable[..., Any] | None = None,
    run: Callable[[bytes, str], Any] | None = None,
    form_class: type[forms.Form] = SpreadsheetForm,
    params: dict[str, Any] | None = None,
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
    render_with: Renderer = render,
) -> HttpResponse:
    """An import page: GET shows the form; a valid POST starts the job ``importer`` (a key
    of :data:`gongjian.jobs.work.IMPORTERS` or the importing function itself, ``params``
    added to the job's) and redirects to its progress page; a refused file shows the page
    again with its reasons (400). With ``run(data, filename)`` instead of ``importer`` the
    import runs in the request (accounts only, see the module's docstring) and its result
    is the template's ``result``. ``context`` (or a function giving it, called only when
    the page is shown) adds the page's own variables; ``render_with`` is the app's render
    (a round's pages add the round's tabs)."""
    if (importer is None) == (run is None):
        raise TypeError("upload_page needs exactly one of importer= and run=")
    if importer is not None:
        upload: SpreadsheetUpload[Any] | HttpResponse = spreadsheet_job(
            request, importer=importer, title=title, form_class=form_class, params=params
        )
        if isinstance(upload, HttpResponse):
            return upload
    else:
        assert run is not None
        upload = spreadsheet_upload(request, run, form_class=form_class)
    extra = context() if callable(context) else (context or {})
    page = {**upload.context(), "upload_title": title, "result": upload.result, **extra}
    return render_with(request, template, page, status=upload.status)


def spreadsheet_job(
    request: HttpRequest,
    *,
    importer: str | Callable[..., Any],
    title: str,
    form_class: type[forms.Form] = SpreadsheetForm,
    params: dict[str, Any] | None = None,
) -> SpreadsheetUpload[Any] | HttpResponse:
    """On a valid POST, start the import job and answer with a redirect to its progress
    page; otherwise the upload (the form, with the file's errors) for the page to show.
    Posting the same file twice while the first is still running follows the first job."""
    importer = importer if isinstance(importer, str) else importer_key(importer)
    form = form_class(request.POST or None, request.FILES or None)
    upload: SpreadsheetUpload[Any] = SpreadsheetUpload(form, posted=request.method == "POST")
    if not upload.posted or not form.is_valid():
        return upload
    file = form.cleaned_data["file"]
    file.seek(0)
    data = file.read()
    job = job_start(
        actor=request.user,  # type: ignore[arg-type]
        kind=JobKind.IMPORT,
        title=f"{title}：{file.name}",
        params={"importer": importer, **(params or {})},
        scope_path=filing_path(request.user),
        idempotency_key=request_key("import", request.user.pk, importer, params, file_digest(data)),
        file=(file.name, data),
    )
    if job.state == JobState.FAILED:
        # It ran inside this request (no broker, test profile) and was refused: the form
        # page again with every bad cell, as the job's page would list them.
        result = job.result if isinstance(job.result, dict) else {}
        upload.errors = [CellError(e["row"], e["column"], e["reason"]) for e in result.get("errors", [])]
        messages.error(request, job.error)
        return upload
    return redirect("jobs:detail", pk=job.pk)


def importer_key(function: Callable[..., Any]) -> str:
    """The key of an importing function in :data:`gongjian.jobs.work.IMPORTERS` (the jobs
    only ever run the importers the apps registered there)."""
    path = f"{function.__module__}.{function.__qualname__}"
    for key, importer in IMPORTERS.items():
        if importer.path == path:
            return key
    raise LookupError(f"{path} is not an importer the jobs know (gongjian.jobs.work.register_importer)")

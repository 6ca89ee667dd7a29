"""The import pages' flow when the import runs as a job: the same form and the same file
checks (size, type, content, rows: the form's validators in ``gongjian.core.uploads``),
then, instead of importing inside the request, the file is kept in the shared storage, a
job is started and the user is sent to its progress page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from gongjian.core.tabular import CellError
from gongjian.core.uploads import SpreadsheetForm, SpreadsheetUpload
from gongjian.jobs.models import JobKind, JobState
from gongjian.jobs.services import file_digest, job_start, request_key
from gongjian.orgs.scope import subtree_path


def spreadsheet_job(
    request: HttpRequest,
    *,
    importer: str | Callable[..., Any],
    title: str,
    form_class: type[forms.Form] = SpreadsheetForm,
    params: dict[str, Any] | None = None,
) -> SpreadsheetUpload[Any] | HttpResponse:
    """On a valid POST, start the import job ``importer`` (a key of
    :data:`gongjian.jobs.work.IMPORTERS`, or the importing function itself) and answer
    with a redirect to its progress page; otherwise the upload (the form, with the file's
    errors) for the page to show again.
    Posting the same file twice while the first is still running follows the first job.
    The page's own checks (the form's validators) run first, unchanged."""
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
        scope_path=subtree_path(request.user) or "",
        idempotency_key=request_key("import", request.user.pk, importer, params, file_digest(data)),
        file=(file.name, data),
    )
    if job.state == JobState.FAILED:
        # It ran inside this request (no broker, test profile) and was refused: the form
        # page again with every bad cell, as before imports became jobs.
        result = job.result if isinstance(job.result, dict) else {}
        upload.errors = [CellError(e["row"], e["column"], e["reason"]) for e in result.get("errors", [])]
        messages.error(request, job.error)
        return upload
    return redirect("jobs:detail", pk=job.pk)


def importer_key(function: Callable[..., Any]) -> str:
    """The key of an importing function in :data:`gongjian.jobs.work.IMPORTERS` (the jobs
    only ever run the importers listed there)."""
    from gongjian.jobs.work import IMPORTERS

    path = f"{function.__module__}.{function.__qualname__}"
    for key, (dotted, _url) in IMPORTERS.items():
        if dotted == path:
            return key
    raise LookupError(f"{path} is not an importer the jobs know (gongjian/jobs/work.py IMPORTERS)")

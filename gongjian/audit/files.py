"""Handing out archived documents (agreements, inspection notices, member agreements) with
their download on record, and refusing — on record too — a file whose SHA-256 no longer
matches the digest stored when it was made (``core.files``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from gongjian.audit.services import audit_event
from gongjian.core.files import StoredFileChanged, file_response


def archived_file(
    request: HttpRequest,
    field: Any,
    filename: str,
    *,
    action: str,
    target: models.Model,
    scope_path: str,
    sha256: str = "",
    inline: bool | None = None,
) -> HttpResponseBase:
    """The stored file of ``field`` named ``filename``, checked against ``sha256`` when
    given; the download (or the refusal, with its Chinese reason) is written to the audit
    log as ``action``. The caller fetched ``target`` through a selector that takes the user."""
    try:
        response = file_response(field, filename, inline=inline, sha256=sha256)
    except StoredFileChanged as exc:
        audit_event(
            action, actor=request.user, target=target, scope_path=scope_path, success=False, reason=exc.message
        )
        return render(request, "file_refused.html", {"message": exc.message}, status=exc.status)
    audit_event(action, actor=request.user, target=target, scope_path=scope_path, after={"file": filename})
    return response

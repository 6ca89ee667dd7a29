"""Files handed to the browser as downloads (spreadsheets the user exports or fills in)."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import quote

from django.http import HttpResponse

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def attachment(content: bytes, filename: str) -> HttpResponse:
    """``content`` as a download named ``filename``, its type from the name's extension.

    The name is sent percent-encoded as RFC 6266's ``filename*``: written raw, a Chinese
    name (组织名册20261122.xlsx) is not valid in a header and reaches the browser garbled.
    """
    response = HttpResponse(content, content_type=CONTENT_TYPES[PurePath(filename).suffix.lstrip(".")])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

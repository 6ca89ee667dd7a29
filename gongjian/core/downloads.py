"""Files handed to the browser: spreadsheets the user exports or fills in, and stored files
(agreements, notices, photos, vouchers) opened through the storage API.

Every download is named in Chinese after what it holds (共建协议书-邓家村-2027.pdf,
合规考核2026.xlsx), never after a database id, and is never kept by a shared cache.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase

# The spreadsheet formats a table is exported in (views check ``fmt in CONTENT_TYPES``).
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Stored files: documents, vouchers and photos.
FILE_TYPES = {
    **CONTENT_TYPES,
    "pdf": "application/pdf",
    "ofd": "application/ofd",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}
# Shown in the page itself (a photo in the archive); everything else is saved as a file.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})

# Characters no file system (or browser) accepts in a saved name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(*parts: object, ext: str) -> str:
    """A download's name from its parts joined by "-", e.g. ``file_name("共建协议书",
    "邓家村", 2027, ext="pdf")`` → ``共建协议书-邓家村-2027.pdf``. Empty parts are left
    out and characters a file system refuses are replaced (names come from user data)."""
    words = [_UNSAFE.sub("_", str(p)).strip() for p in parts]
    stem = "-".join(w for w in words if w) or "download"
    return f"{stem}.{ext.lstrip('.').lower()}"


_PARTY_SUFFIX = re.compile(r"(?:党总支部|党总支|党支部|党委|党组织)$")


def short_name(organization_name: str) -> str:
    """邓家村党支部 → 邓家村: a file name names the place, not the branch's full title."""
    short = _PARTY_SUFFIX.sub("", organization_name.strip())
    return short or organization_name.strip()


def content_type_of(filename: str) -> str:
    """The MIME type a name's extension stands for (``application/octet-stream`` if unknown)."""
    ext = PurePath(filename).suffix.lstrip(".").lower()
    return FILE_TYPES.get(ext) or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 ``Content-Disposition`` with the name percent-encoded as ``filename*``:
    written raw, a Chinese name is not valid in a header and reaches the browser garbled."""
    safe = _UNSAFE.sub("_", filename).strip() or "download"
    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(safe)}"


def _private(response: HttpResponseBase, filename: str, *, inline: bool = False) -> HttpResponseBase:
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    # Personal data: no proxy or browser cache keeps a copy; the type is the one we send.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A stored file opened on its own is never a page that runs code (an SVG or HTML file
    # renamed to .jpg would otherwise run in the site's origin).
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


def attachment(content: bytes, filename: str) -> HttpResponse:
    """``content`` as a download named ``filename``, its type from the name's extension."""
    response = HttpResponse(content, content_type=content_type_of(filename))
    _private(response, filename)
    return response


def file_attachment(handle: IO[bytes] | Iterable[bytes], filename: str, *, inline: bool | None = None) -> FileResponse:
    """An open file (streamed, closed when sent) as a download named ``filename``.

    ``inline=None`` shows photos and PDFs in the browser and saves everything else.
    """
    content_type = content_type_of(filename)
    show = content_type in INLINE_TYPES if inline is None else inline
    response = FileResponse(handle, content_type=content_type)
    _private(response, filename, inline=show)
    return response

"""Serving stored files (photos, evidence, vouchers, agreements, notices) to the people who
may see the record they belong to.

There is no public ``/media/``: the apps' views fetch the record through their selectors
that take the user (404 outside the scope) and hand its file field here. Files are opened
through Django's storage API (``default_storage``), so that several app servers can share a
storage backend; nothing here reads ``MEDIA_ROOT`` directly.

An archived document (signed agreement, inspection notice) is checked against the SHA-256
stored when it was made: a file that changed on disk is refused, not served.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from gongjian.core.downloads import file_attachment
from gongjian.core.errors import Refused


class StoredFileChanged(Refused):
    """The archived file no longer matches the digest recorded when it was made."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, code="file_changed")


def stored_name(field: Any) -> str:
    """The storage name of a file field (``""`` when empty)."""
    return str(getattr(field, "name", "") or "")


def open_stored(field: Any) -> Any:
    """The field's file opened for reading through ``default_storage``; 404 when the field is
    empty or the file is missing (a record without its file is not a server error)."""
    name = stored_name(field)
    if not name:
        raise Http404
    try:
        return default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc


def sha256_of(field: Any) -> str:
    """The SHA-256 of the stored file, read in blocks."""
    digest = hashlib.sha256()
    with open_stored(field) as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def file_response(field: Any, filename: str, *, inline: bool | None = None, sha256: str = "") -> FileResponse:
    """The stored file of ``field`` as a response named ``filename`` (its type from the
    name's extension; see ``core.downloads.file_attachment``).

    With ``sha256``, the file is read and hashed first and served only if it matches;
    otherwise :class:`StoredFileChanged` is raised for the caller to audit and show.
    """
    if not sha256:
        return file_attachment(open_stored(field), filename, inline=inline)
    with open_stored(field) as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256.lower():
        raise StoredFileChanged(
            _("存档文件“%(name)s”与生成时记录的摘要（SHA-256）不一致，可能已被改动，已拒绝下载。请联系管理员核查。")
            % {"name": filename}
        )
    return file_attachment(io.BytesIO(content), filename, inline=inline)


def extension(field: Any) -> str:
    """The stored file's extension without the dot (``jpg``), for naming the download."""
    name = stored_name(field)
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else "bin"

"""Archive files over the API (共建档案, #13 point 8): a visit's photos (add, list, fetch), a
visit removed by mistake, and evidence files of projects and 五个一 targets — multipart, for a
phone that takes the photo itself.

Operations of the records router (``gongjian.api.records.router``); ``gongjian/api/urls.py``
imports this module. Every file goes through the same services as the pages, which check it
with ``gongjian.core.uploads`` (extension, declared size before a byte is read, content that
matches the extension: an HTML page renamed ``照片.jpg`` is refused); a file that fails is a
400 naming the field, as on the page. A pairing outside the user's scope is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja import Field, File, Form, Schema, Status
from ninja.files import UploadedFile

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.records import router
from gongjian.records import selectors, selectors_practices, views_files, views_practices
from gongjian.records.services_archive import project_evidence_add
from gongjian.records.services_archive_edit import visit_delete, visit_update
from gongjian.records.services_practices import five_one_evidence_add

VISIT = "/visits/{int:visit_id}"


class PhotoOut(Schema):
    id: int
    url: str = Field(..., description="照片文件（接口地址，令牌可用）")


class NoteIn(Schema):
    note: str = Field("", max_length=255, description="说明")


class EvidenceOut(Schema):
    id: int
    note: str
    uploaded_at: datetime.datetime


def _evidence(call: Callable[[], Any]) -> Any:
    """Run an evidence service; the upload check's error (not tied to a field: the service
    takes one file) is put on ``file``, as the page puts it next to the file field."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"file": exc.messages}) from exc


def _photos(visit: Any) -> list[dict[str, Any]]:
    return [
        {"id": p.pk, "url": reverse("api:visit_photo_file", kwargs={"visit_id": visit.pk, "photo_id": p.pk})}
        for p in sorted(visit.photos.all(), key=lambda p: p.pk)
    ]


@router.get(VISIT + "/photos/", response={200: list[PhotoOut], **READ_ERRORS}, summary="走访照片")
def visit_photos(request: HttpRequest, visit_id: int) -> Any:
    return _photos(selectors.visit_get(user=request.user, pk=visit_id))


@router.post(
    VISIT + "/photos/",
    response={201: list[PhotoOut], **WRITE_ERRORS},
    summary="上传走访照片",
    description=(
        "结对单位为一次走访添加照片（multipart 表单，字段 photos，可多张）：每次走访共计最多 9 张，"
        "每张须是 JPG、PNG、WEBP 或 GIF 且内容与扩展名相符，大小不超过上限；不符的返回 400 并指明 photos。"
    ),
)
def visit_photos_add(request: HttpRequest, visit_id: int, photos: File[list[UploadedFile]]) -> Any:
    visit = selectors.visit_get(user=request.user, pk=visit_id)
    visit_update(
        actor=request.user,  # type: ignore[arg-type]
        visit=visit,
        date=visit.date,
        visitor_level=visit.visitor_level,
        visitors=visit.visitors,
        content=visit.content,
        photos=photos,
    )
    return Status(201, _photos(selectors.visit_get(user=request.user, pk=visit_id)))


@router.get(
    VISIT + "/photos/{int:photo_id}",
    response={200: None, **READ_ERRORS},
    summary="下载一张走访照片",
    url_name="visit_photo_file",
)
def visit_photo_file(request: HttpRequest, visit_id: int, photo_id: int) -> HttpResponseBase:
    """The photo itself, named as on the page (走访照片-花家村-2026-05-03-2.jpg): the page's
    own view, so that the two cannot drift apart."""
    return views_files.visit_photo(request, visit_id, photo_id)


@router.delete(
    VISIT,
    response={204: None, **WRITE_ERRORS},
    summary="删除误登的走访",
    description="结对单位删除一次误登的走访及其照片（留有审计记录）。",
)
def visit_remove(request: HttpRequest, visit_id: int) -> Any:
    visit = selectors.visit_get(user=request.user, pk=visit_id)
    visit_delete(actor=request.user, visit=visit)  # type: ignore[arg-type]
    return Status(204, None)


@router.post(
    "/projects/{int:project_id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="上传共建项目佐证材料",
    description="multipart 表单，字段 file（图片、PDF、Word、Excel、WPS 或 OFD，内容须与扩展名相符）和 note。",
)
def project_evidence(request: HttpRequest, project_id: int, file: File[UploadedFile], payload: Form[NoteIn]) -> Any:
    project = selectors.project_get(user=request.user, pk=project_id)
    add = lambda: project_evidence_add(actor=request.user, project=project, file=file, note=payload.note)  # type: ignore[arg-type]  # noqa: E731
    return Status(201, _evidence(add))


@router.post(
    "/five-ones/{int:target_id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="上传五个一佐证材料",
    description="multipart 表单，字段 file（图片、PDF、Word、Excel、WPS 或 OFD，内容须与扩展名相符）和 note。",
)
def five_one_evidence(request: HttpRequest, target_id: int, file: File[UploadedFile], payload: Form[NoteIn]) -> Any:
    target = selectors_practices.five_one_get(user=request.user, pk=target_id)
    add = lambda: five_one_evidence_add(actor=request.user, target=target, file=file, note=payload.note)  # type: ignore[arg-type]  # noqa: E731
    return Status(201, _evidence(add))


@router.get(
    "/six-musts/{int:item_id}/evidence",
    response={200: None, **READ_ERRORS},
    summary="下载六个一佐证材料",
)
def six_must_evidence_file(request: HttpRequest, item_id: int) -> HttpResponseBase:
    return views_files.six_must_evidence(request, item_id)  # the page's own download


@router.get(
    "/projects/{int:project_id}/evidence/{int:evidence_id}",
    response={200: None, **READ_ERRORS},
    summary="下载共建项目佐证材料",
)
def project_evidence_file(request: HttpRequest, project_id: int, evidence_id: int) -> HttpResponseBase:
    return views_files.project_evidence(request, project_id, evidence_id)  # the page's own download


@router.get(
    "/five-ones/{int:target_id}/evidence/{int:file_id}",
    response={200: None, **READ_ERRORS},
    summary="下载五个一佐证材料",
)
def five_one_evidence_file(request: HttpRequest, target_id: int, file_id: int) -> HttpResponseBase:
    return views_practices.five_one_evidence(request, target_id, file_id)  # the page's own download

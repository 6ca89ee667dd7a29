"""The archive's files — visit photos, 六个一 evidence, project evidence — for those who may
see the record they belong to (the records selectors that take the user: 404 outside the
scope, login required). There is no public ``/media/``; files are read through the storage
API (``core.files``) and named in Chinese after the record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongjian.core.downloads import file_name, short_name
from gongjian.core.files import extension, file_response
from gongjian.records.selectors import project_get, six_must_get, visit_get


@login_required
@require_GET
def visit_photo(request: HttpRequest, visit: int, pk: int) -> FileResponse:
    """A visit's photo, shown in the page: 走访照片-邓家村-2026-05-03-2.jpg."""
    record = visit_get(user=request.user, pk=visit)
    photos = sorted(record.photos.all(), key=lambda p: p.pk)  # prefetched by the selector
    position = next((n for n, photo in enumerate(photos, start=1) if photo.pk == pk), None)
    if position is None:
        raise Http404
    photo = photos[position - 1]
    village = short_name(record.pairing.village.name)
    name = file_name(_("走访照片"), village, record.date.isoformat(), position, ext=extension(photo.image))
    return file_response(photo.image, name)


@login_required
@require_GET
def six_must_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A 六个一 record's evidence: 六个一佐证-邓家村-2026-05-03-一次联席会议.pdf."""
    record = six_must_get(user=request.user, pk=pk)
    village = short_name(record.pairing.village.name)
    name = file_name(
        _("六个一佐证"), village, record.date.isoformat(), record.get_kind_display(), ext=extension(record.evidence)
    )
    return file_response(record.evidence, name)


@login_required
@require_GET
def project_evidence(request: HttpRequest, project: int, pk: int) -> FileResponse:
    """A project's evidence file: 项目佐证-<project>-<note or date>.pdf."""
    record = project_get(user=request.user, pk=project)
    evidence = record.evidence.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    label = evidence.note or evidence.uploaded_at.date().isoformat()
    name = file_name(_("项目佐证"), record.name, label, ext=extension(evidence.file))
    return file_response(evidence.file, name)

"""Spreadsheet pages: candidate import with the full error report, template, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.core.downloads import CONTENT_TYPES, attachment
from gongjian.dispatch.tables import candidate_import, export_table, template_table
from gongjian.jobs.uploads import spreadsheet_job
from gongjian.orgs.forms import ImportForm
from gongjian.orgs.scope import scope_root

TITLES = {"pool": "人才库", "appointments": "选派任职"}


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if scope_root(request.user) is None:
        raise Http404
    # The import runs as a job (gongjian.jobs): a valid file sends the user to its progress.
    upload = spreadsheet_job(request, importer=candidate_import, title=_("导入人才库报名"), form_class=ImportForm)
    if isinstance(upload, HttpResponse):
        return upload
    if upload.done:
        messages.success(request, _("导入完成：新增报名 %(n)d 人") % {"n": upload.result})
    context = upload.context() | {"created": upload.result}
    return render(request, "dispatch/import.html", context, status=upload.status)


@login_required
def template_view(request: HttpRequest) -> HttpResponse:
    return attachment(template_table(), "人才库报名导入模板.xlsx")


@login_required
def export_view(request: HttpRequest, sheet: str, fmt: str) -> HttpResponse:
    if sheet not in TITLES or fmt not in CONTENT_TYPES or scope_root(request.user) is None:
        raise Http404
    content = export_table(user=request.user, sheet=sheet, fmt=fmt, full=request.GET.get("full") == "1")
    stamp = timezone.localtime().strftime("%Y%m%d")
    return attachment(content, f"{TITLES[sheet]}{stamp}.{fmt}")

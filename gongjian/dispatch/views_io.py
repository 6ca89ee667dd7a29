"""Spreadsheet pages: candidate import with the full error report, template, exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from gongjian.core.downloads import CONTENT_TYPES, attachment
from gongjian.dispatch.tables import candidate_import, template_table
from gongjian.jobs.exports import export_response
from gongjian.jobs.uploads import upload_page
from gongjian.orgs.forms import ImportForm
from gongjian.orgs.scope import scope_root

TITLES = {"pool": "人才库", "appointments": "选派任职"}


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if scope_root(request.user) is None:
        raise Http404
    return upload_page(
        request,
        importer=candidate_import,
        title=_("导入人才库报名"),
        template="dispatch/import.html",
        form_class=ImportForm,
    )


@login_required
def template_view(request: HttpRequest) -> HttpResponse:
    return attachment(template_table(), "人才库报名导入模板.xlsx")


@login_required
def export_view(request: HttpRequest, sheet: str, fmt: str) -> HttpResponse:
    if sheet not in TITLES or fmt not in CONTENT_TYPES or scope_root(request.user) is None:
        raise Http404
    # A large scope's export runs as a job (gongjian/jobs/exports.py), a small one here.
    args = {"sheet": sheet, "fmt": fmt, "full": request.GET.get("full") == "1"}
    return export_response(request, exporter=sheet, args=args)

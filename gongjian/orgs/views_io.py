"""Spreadsheet pages: import with a full error report, templates and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from gongjian.core.downloads import CONTENT_TYPES, attachment
from gongjian.jobs.exports import export_response
from gongjian.jobs.uploads import upload_page
from gongjian.orgs.exports import SHEETS, template_table
from gongjian.orgs.forms import ImportForm
from gongjian.orgs.import_organizations import organization_import
from gongjian.orgs.import_people import person_import
from gongjian.orgs.scope import ADMIN_ROLES, scope_root

IMPORTERS = {"organizations": organization_import, "people": person_import}


def _check_sheet(sheet: str, fmt: str = "xlsx") -> None:
    if sheet not in SHEETS or fmt not in CONTENT_TYPES:
        raise Http404


@login_required
def import_view(request: HttpRequest, sheet: str) -> HttpResponse:
    _check_sheet(sheet)
    if scope_root(request.user) is None:
        raise Http404
    if sheet == "organizations" and request.user.role not in ADMIN_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied
    return upload_page(
        request,
        importer=sheet,
        title=_("导入%(sheet)s") % {"sheet": _(SHEETS[sheet][0])},
        template="orgs/import.html",
        form_class=ImportForm,
        context={"sheet": sheet},
    )


@login_required
def template_view(request: HttpRequest, sheet: str, fmt: str) -> HttpResponse:
    _check_sheet(sheet, fmt)
    return attachment(template_table(sheet=sheet, fmt=fmt), f"{SHEETS[sheet][0]}导入模板.{fmt}")


@login_required
def export_view(request: HttpRequest, sheet: str, fmt: str) -> HttpResponse:
    _check_sheet(sheet, fmt)
    if scope_root(request.user) is None:
        raise Http404
    # A large scope's export runs as a job (gongjian/jobs/exports.py), a small one here.
    args = {"sheet": sheet, "fmt": fmt, "full": request.GET.get("full") == "1"}
    return export_response(request, exporter=sheet, args=args)

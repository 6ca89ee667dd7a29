"""Import and export of mobile members and "1+2" pairs (xlsx/CSV)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from gongjian.core.downloads import CONTENT_TYPES, attachment
from gongjian.jobs.exports import export_response
from gongjian.jobs.uploads import upload_page
from gongjian.members import io_mobile, io_pairs
from gongjian.orgs.forms import ImportForm
from gongjian.orgs.scope import scope_root


def _check(request: HttpRequest, fmt: str) -> None:
    if fmt not in CONTENT_TYPES or scope_root(request.user) is None:
        raise Http404


def _export(request: HttpRequest, fmt: str, exporter: str) -> HttpResponse:
    _check(request, fmt)
    # A large scope's export runs as a job (gongjian/jobs/exports.py), a small one here.
    return export_response(request, exporter=exporter, args={"fmt": fmt, "full": request.GET.get("full") == "1"})


@login_required
def members_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, fmt, "mobile_members")


@login_required
def pairs_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, fmt, "cadre_pairs")


@login_required
def members_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _check(request, fmt)
    return attachment(io_mobile.template_members(fmt=fmt), f"{io_mobile.TITLE}导入模板.{fmt}")


@login_required
def pairs_template_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _check(request, fmt)
    return attachment(io_pairs.template_pairs(fmt=fmt), f"1+2结对导入模板.{fmt}")


def _import(request: HttpRequest, importer: Callable[..., Any], title: str, template_url: str) -> HttpResponse:
    if scope_root(request.user) is None:
        raise Http404
    return upload_page(
        request,
        importer=importer,
        title=title,
        template="members/import.html",
        form_class=ImportForm,
        context={"template_url": template_url},
    )


@login_required
def members_import_view(request: HttpRequest) -> HttpResponse:
    return _import(request, io_mobile.import_members, _("导入流动党员"), "members:members_template")


@login_required
def pairs_import_view(request: HttpRequest) -> HttpResponse:
    return _import(request, io_pairs.import_pairs, _("导入“1+2”结对"), "members:pairs_template")

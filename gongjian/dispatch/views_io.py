"""Spreadsheet pages: candidate import with the full error report, template, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.core.downloads import CONTENT_TYPES, attachment
from gongjian.core.tabular import TableRejected
from gongjian.dispatch.tables import candidate_import, export_table, template_table
from gongjian.orgs.forms import ImportForm
from gongjian.orgs.scope import scope_root

TITLES = {"pool": "人才库", "appointments": "选派任职"}


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if scope_root(request.user) is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    created = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = candidate_import(actor=request.user, data=upload.read(), filename=upload.name)
        except TableRejected as exc:
            errors = exc.errors
            messages.error(request, _("文件有 %(n)d 处错误，未导入任何数据。请修改后重新导入。") % {"n": len(errors)})
        else:
            messages.success(request, _("导入完成：新增报名 %(n)d 人") % {"n": created})
    context = {"form": form, "errors": errors[:1000], "error_count": len(errors), "created": created}
    return render(request, "dispatch/import.html", context)


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

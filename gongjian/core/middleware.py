"""Requests the application cannot take, refused once at the door with a reason.

A NUL character (``%00``) cannot be stored or even compared in PostgreSQL text: psycopg
refuses the query, and every search box, filter and form that passed one on answered 500
(``/orgs/?q=%00``, 14 of 15 search pages, the API). No user types a NUL; it comes from
fuzzers, broken clients and pasted binary data. So a request carrying one anywhere the
application reads (the path, query parameters, form fields and their names, uploaded file
names, cookies, a JSON body) is answered 400 with a Chinese reason before any view runs.
NUL inside an uploaded spreadsheet is reported per cell by the import (``core.tabular``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _json_has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(NUL in k or _json_has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_nul(v) for v in value)
    return False


def nul_in_request(request: HttpRequest) -> str:
    """Where a NUL character is in ``request`` (a word for the reason), "" if nowhere."""
    if NUL in request.path:
        return _("网址")
    if _has_nul(request.GET.keys()) or _has_nul(v for vs in request.GET.lists() for v in vs[1]):
        return _("查询参数")
    if _has_nul(request.COOKIES.keys()) or _has_nul(request.COOKIES.values()):
        return _("Cookie")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return ""
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if _has_nul(request.POST.keys()) or _has_nul(v for vs in request.POST.lists() for v in vs[1]):
            return _("表单内容")
        if _has_nul(f.name or "" for fs in request.FILES.lists() for f in fs[1]):
            return _("上传文件名")
    elif content_type == "application/json" and b"\\u0000" in request.body.lower():
        try:
            body = json.loads(request.body)
        except ValueError:
            return ""  # not JSON: the API answers that itself
        if _json_has_nul(body):
            return _("请求数据")
    return ""


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character in what the application reads (JSON
    ``{"detail": …}`` under ``/api/``, a short page elsewhere). Placed before the session
    middleware, so that nothing has queried the database with it yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before LocaleMiddleware: the reader's language is taken from the request here.
        with translation.override(translation.get_language_from_request(request)):
            where = nul_in_request(request)
            if where:
                return refuse_nul(request, where)
        return self.get_response(request)


def refuse_nul(request: HttpRequest, where: str) -> HttpResponse:
    """The 400 answer: the reason in Chinese, as JSON for the API, as a page otherwise."""
    reason = _("请求的%(where)s中含有空字符（NUL），无法处理，请删除后重试。") % {"where": where}
    if request.path.startswith("/api/"):
        body = {"detail": reason, "code": "nul_character"}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    title = _("请求无效")
    page = (
        f'<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1><p>{escape(reason)}</p></body></html>"
    )
    return HttpResponse(page, status=400, content_type="text/html; charset=utf-8")

"""The REST API: one NinjaAPI, each capability adds its router."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from ninja.errors import ValidationError as RequestValidationError
from ninja.renderers import JSONRenderer

# Modules that add operations to a router of another module (one module per subject, so
# that each router's file stays small; a path shared with an existing operation must be on
# the same router): imported for that.
from gongjian.api import (  # noqa: F401
    compliance_practices,
    dispatch_match,
    funds_files,
    inbox,
    members_care,
    members_mobile,
    members_pairs,
    records_chain,
    records_edit,
    records_files,
    records_practices,
    rounds_choosing,
    rounds_helping,
    rounds_pairing,
)
from gongjian.api.accounts import router as accounts_router
from gongjian.api.auth import API_AUTH
from gongjian.api.compliance import router as compliance_router
from gongjian.api.dispatch import router as dispatch_router
from gongjian.api.funds import router as funds_router
from gongjian.api.jobs import router as jobs_router
from gongjian.api.joint import router as joint_router
from gongjian.api.members import router as members_router
from gongjian.api.orgs import router as orgs_router
from gongjian.api.records import router as records_router
from gongjian.api.rounds import router as rounds_router
from gongjian.api.throttling import WriteRateThrottle
from gongjian.core.errors import Refused


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese characters as they are, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="共建 Gongjian API",
    version="1.0",
    description=(
        "城乡基层党组织结对共建平台接口。所有接口按登录用户的管理范围过滤，范围外的对象返回 404。"
        "身份认证：网页登录会话（写操作须带 CSRF 令牌），或请求头 Authorization: Bearer <个人接口令牌>。"
    ),
    auth=API_AUTH,
    urls_namespace="api",
    throttle=[WriteRateThrottle()],
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "数据校验未通过", "errors": detail}, status=400)


def _field_name(location: Any) -> str:
    """``("body", "payload", "capacity")`` → ``capacity``; ``("query", "page")`` → ``page``."""
    parts = [str(p) for p in location]
    if parts[:1] == ["body"]:
        parts = parts[2:]  # the body's parameter name is the view's, not the client's
    elif parts[:1] and parts[0] in ("query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(RequestValidationError)
def request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    """A request whose parameters or body do not fit the schema: which field, and why."""
    errors = [{"field": _field_name(error.get("loc", ())), "reason": error.get("msg", "")} for error in exc.errors]
    fields = "、".join(e["field"] for e in errors if e["field"]) or "请求"
    return api.create_response(request, {"detail": f"请求数据校验未通过：{fields}", "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """Any capability's refusal (deadline passed, no place left, balance would go negative…):
    409, or 422 when one field's value is at fault, with the reason, its code and the field."""
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Too many writes: 429 with the wait (the Retry-After header is added by ninja)."""
    wait = math.ceil(exc.wait) if exc.wait else None
    detail = f"操作过于频繁，请 {wait} 秒后再试" if wait else "操作过于频繁，请稍后再试"
    return api.create_response(request, {"detail": detail, "code": "throttled"}, status=429)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        detail = "接口令牌无效、已撤销或已过期"
        return api.create_response(request, {"detail": detail, "code": "token_invalid"}, status=401)
    return api.create_response(request, {"detail": "请先登录"}, status=401)


api.add_router("/orgs", orgs_router)
api.add_router("/rounds", rounds_router)
api.add_router("/jobs", jobs_router)
api.add_router("/notifications", "gongjian.api.notifications.router")
api.add_router("/accounts", accounts_router)
api.add_router("/records", records_router)
api.add_router("/funds", funds_router)
api.add_router("/compliance", compliance_router)
api.add_router("/members", members_router)
api.add_router("/dispatch", dispatch_router)
api.add_router("/joint", joint_router)


def unknown_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/: a JSON 404 with a reason, as API clients expect."""
    return api.create_response(request, {"detail": f"接口不存在：/api/{rest}"}, status=404)

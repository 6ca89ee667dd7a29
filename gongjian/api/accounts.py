"""Account endpoints: one's own profile, password and personal API tokens.

Tokens are created only from a signed-in session (a token cannot make another, so none can
outlive its expiry by renewing itself); listed and revoked with either credential."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gongjian.api.auth import via_token
from gongjian.api.common import ErrorOut, RefusedOut
from gongjian.api.tokens import TokenRefused, token_create, token_get, token_list, token_revoke
from gongjian.audit.services import audit_event
from gongjian.core.errors import Refused

router = Router(tags=["账号与接口令牌"])


class ProfileOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    organization_id: int | None
    organization: str | None = Field(None, alias="organization.name")
    must_change_password: bool
    password_changed_at: datetime.datetime | None

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return str(obj.get_full_name())


class PasswordIn(Schema):
    old_password: str = Field(..., max_length=128, description="当前密码")
    new_password: str = Field(..., max_length=128, description="新密码（须符合密码规则）")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    active: bool

    @staticmethod
    def resolve_active(obj: Any) -> bool:
        return bool(obj.is_active())


class TokenIn(Schema):
    name: str = Field(..., max_length=200, description="令牌名称，如“钉钉小程序”")
    days: int | None = Field(None, ge=-100000, le=100000, description="有效期（天），不填为默认值")


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="令牌本身：只在创建时返回这一次")


class PasswordRefused(Refused):
    """The new password was not accepted (wrong current password, or against the rules)."""


@router.get(
    "/me",
    response=ProfileOut,
    summary="本人账号信息",
    description="当前登录用户（或令牌所属用户）的账号、角色与所属组织。",
)
def me(request: HttpRequest) -> Any:
    return request.user


@router.post(
    "/me/password",
    response={200: ProfileOut, 401: ErrorOut, 403: ErrorOut, 422: RefusedOut},
    summary="修改本人密码",
    description="须提供当前密码；新密码须符合密码规则（长度、字符种类、不得与近期密码重复）。修改记入审计日志。",
)
def change_password(request: HttpRequest, payload: PasswordIn) -> Any:
    user: Any = request.user
    form = PasswordChangeForm(
        user,
        {
            "old_password": payload.old_password,
            "new_password1": payload.new_password,
            "new_password2": payload.new_password,
        },
    )
    organization = getattr(user, "organization", None)
    scope = organization.path if organization is not None else ""
    if not form.is_valid():
        field = "old_password" if "old_password" in form.errors else "new_password"
        reason = "；".join(str(e) for errors in form.errors.values() for e in errors)
        audit_event(
            "account.password_change", actor=user, target=user, scope_path=scope, success=False, reason=reason[:500]
        )
        raise PasswordRefused(reason or _("密码未修改"), code="password_invalid", field=field)
    form.save()
    if not via_token(request):
        update_session_auth_hash(request, user)  # the session that changed it stays signed in
    audit_event("account.password_change", actor=user, target=user, scope_path=scope)
    return user


@router.get(
    "/tokens/", response=list[TokenOut], summary="本人的接口令牌", description="只列出本人的令牌，不含令牌本身。"
)
def list_tokens(request: HttpRequest) -> Any:
    return list(token_list(user=request.user))


@router.post(
    "/tokens/",
    response={201: TokenCreatedOut, 401: ErrorOut, 409: RefusedOut, 422: RefusedOut},
    summary="创建接口令牌",
    description="只能在网页登录的会话中创建（令牌不能创建令牌）；令牌只在本次返回，平台只保存其摘要。",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    if via_token(request):
        raise TokenRefused(_("令牌不能用来创建新令牌，请登录网页后创建"), code="session_required")
    issued = token_create(actor=request.user, name=payload.name, days=payload.days)
    token: Any = issued.token
    token.token = issued.secret  # for this one answer only; never stored
    return Status(201, token)


@router.post(
    "/tokens/{int:token_id}/revoke",
    response={200: TokenOut, 401: ErrorOut, 404: ErrorOut, 409: RefusedOut},
    summary="撤销接口令牌",
    description="撤销后该令牌立即失效；他人的令牌返回 404。",
)
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    return token_revoke(actor=request.user, token=token_get(user=request.user, pk=token_id))

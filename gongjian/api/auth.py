"""How an API request says who it is: the browser's session (with CSRF on writes, as
before) or ``Authorization: Bearer <token>`` (a personal token, for mobile clients).

The session's second-step and password middlewares run before the API sees the request and
judge the session's user; a bearer request carries no session, so the token's own checks
live here: a revoked or expired token, or a disabled user, is a 401 (audited by
:func:`gongjian.api.tokens.token_authenticate`); a user who must change their password gets
the same 403 as their session would. An administrator's token can only have been created
in a session that passed the second step (``token_create``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from gongjian.accounts.passwords import must_change
from gongjian.api.models import ApiToken
from gongjian.api.tokens import token_authenticate
from gongjian.core.errors import Refused


class CredentialRefused(Refused):
    """A valid token whose user may not act now (403, like the session's middleware)."""

    @property
    def status(self) -> int:
        return 403


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer gjt_…``: the request acts as the token's user."""

    openapi_description = "个人接口令牌（在“接口令牌”页面创建），用于移动端（微信、钉钉小程序）。"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        if must_change(found.user):
            raise CredentialRefused(_("请先修改密码"), code="password_change_required")
        # Selectors and services read request.user: the token acts exactly as its user.
        request.user = found.user
        return found


def via_token(request: HttpRequest) -> bool:
    """The request authenticated with a bearer token (not the session)."""
    return isinstance(getattr(request, "auth", None), ApiToken)


# Bearer first: a request that sends a token is judged by it, even with a session cookie.
API_AUTH: list[Any] = [BearerTokenAuth(), django_auth]

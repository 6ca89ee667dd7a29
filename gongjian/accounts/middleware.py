"""Ends a session after a period without requests (idle timeout)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongjian.accounts.passwords import must_change
from gongjian.accounts.second_factor import has_authenticator, second_factor_required

LAST_SEEN_KEY = "gongjian_last_seen"
# The last-seen time is stored at most this often: writing the session on every request
# would cost a database write per request for a precision nobody needs.
LAST_SEEN_RESOLUTION = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                request.session["idle_logged_out"] = True
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# What an account that must change its password may still reach.
PASSWORD_EXEMPT = (
    "accounts:password_change",
    "accounts:password_done",
    "accounts:logout",
    "accounts:login",
    "accounts:otp_setup",
    "accounts:otp_verify",
)
# What an administrator who has not passed the second step may reach.
SECOND_FACTOR_EXEMPT = ("accounts:otp_setup", "accounts:otp_verify", "accounts:logout", "accounts:login")


class PasswordPolicyMiddleware:
    """An account with a password someone else set, or an expired one, is sent to change it
    before anything else (the API answers 403 with the reason)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and must_change(user):
            exempt = {reverse(name) for name in PASSWORD_EXEMPT}
            static = request.path.startswith((settings.STATIC_URL or "/static/", "/i18n/"))
            if request.path not in exempt and not static:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("请先修改密码"), "code": "password_change_required"}, status=403)
                target = reverse("accounts:password_change")
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SecondFactorMiddleware:
    """An administrator signed in with a password only is sent to the second step (to enrol
    an authenticator first if they have none) before anything else, the password change
    included (a stolen password alone must not be able to change it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if second_factor_required(user) and not user.is_verified():  # type: ignore[union-attr]
            exempt = {reverse(name) for name in SECOND_FACTOR_EXEMPT}
            static = request.path.startswith((settings.STATIC_URL or "/static/", "/i18n/"))
            if request.path not in exempt and not static:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("请先完成第二重身份验证"), "code": "second_factor_required"}, status=403
                    )
                name = "accounts:otp_verify" if has_authenticator(user) else "accounts:otp_setup"
                return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

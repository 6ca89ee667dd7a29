"""Login pages. Lockout (django-axes), hashing (argon2) and idle timeout are configured in settings."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from gongjian.accounts.middleware import LAST_SEEN_KEY
from gongjian.accounts.passwords import password_expired
from gongjian.accounts.throttling import spray_wait
from gongjian.audit.middleware import client_ip
from gongjian.audit.services import audit_event
from gongjian.orgs.scope import organization_path


class GongjianLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = spray_wait(client_ip(request))
        if wait is not None:
            username = str(request.POST.get("username", ""))[:150]
            audit_event(
                "account.login",
                actor=None,
                after={"username": username},
                success=False,
                reason="同一地址尝试的账号过多（疑似密码喷洒），暂停登录",
            )
            response = render(request, "accounts/throttled.html", {"wait_minutes": (wait + 59) // 60}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["idle_logged_out"] = self.request.session.pop("idle_logged_out", False)
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The idle clock starts at sign-in, in the session the login writes anyway; otherwise
        # the first request after it would write the session once more just to start it.
        self.request.session[LAST_SEEN_KEY] = int(time.time())
        return response


class GongjianPasswordChangeView(PasswordChangeView):
    """Change one's own password; says why when the platform asked for it, and goes back to
    where the user was going."""

    template_name = "accounts/password_change.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["must_change"] = bool(getattr(user, "must_change_password", False))
        context["expired"] = password_expired(user)
        context["next"] = self._next()
        return context

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        ok = url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure())
        return target if ok else ""

    def get_success_url(self) -> str:
        return self._next() or reverse("accounts:password_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: Any = self.request.user
        audit_event("account.password_change", actor=user, target=user, scope_path=organization_path(user))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        user: Any = self.request.user
        reasons = "；".join(str(e) for errors in form.errors.values() for e in errors)
        audit_event(
            "account.password_change",
            actor=user,
            target=user,
            scope_path=organization_path(user),
            success=False,
            reason=reasons[:500],
        )
        return super().form_invalid(form)

"""Login pages. Lockout (django-axes), hashing (argon2) and idle timeout are configured in settings."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse

from gongjian.accounts.middleware import LAST_SEEN_KEY


class GongjianLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

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

"""Login pages. Lockout (django-axes), hashing (argon2) and idle timeout are configured in settings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView


class GongjianLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["idle_logged_out"] = self.request.session.pop("idle_logged_out", False)
        return context

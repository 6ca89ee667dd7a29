"""Values every page template needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The acting user's role and the sections of the menu they may open."""
    user = request.user
    role = getattr(user, "role", "") if user.is_authenticated else ""
    return {
        "nav_role": role,
        "nav_registry": role in {"city_admin", "committee_admin", "unit_user", "village_user"},
        "nav_audit": role == "auditor",
        "nav_accounts": role in {"system_admin", "security_admin", "city_admin", "committee_admin"},
    }

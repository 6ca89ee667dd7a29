"""Logins, logouts and failed logins go into the audit log."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongjian.accounts.models import User, UserSession
from gongjian.audit.services import audit_event
from gongjian.orgs.scope import organization_path


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_event("account.login", actor=user, target=user, scope_path=organization_path(user))


@receiver(user_logged_in)
def limit_sessions(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Keep at most ``MAX_SESSIONS_PER_USER`` sessions of the account: the oldest end."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return
    UserSession.objects.get_or_create(session_key=key, defaults={"user": user})
    limit = max(int(settings.MAX_SESSIONS_PER_USER), 1)
    surplus = list(UserSession.objects.filter(user=user).order_by("-started_at", "-id")[limit:])
    if not surplus:
        return
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for old in surplus:
        store(session_key=old.session_key).delete()
    UserSession.objects.filter(pk__in=[s.pk for s in surplus]).delete()
    audit_event(
        "account.session_ended",
        actor=user,
        target=user,
        scope_path=organization_path(user),
        after={"ended": len(surplus), "limit": limit},
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_event("account.logout", actor=user, target=user, scope_path=organization_path(user))
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    # Filed under the account's organization, so that the auditor of that subtree sees attacks on it.
    account = User.objects.filter(username=username).select_related("organization").first()
    audit_event(
        "account.login",
        actor=None,
        target=account,
        scope_path=organization_path(account) if account else "",
        after={"username": username},
        success=False,
        reason="用户名或密码错误",
    )

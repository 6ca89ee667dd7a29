"""Personal API tokens: the reads and writes of the token page and the token operations.

A token is ``gjt_`` + 43 URL-safe characters (256 random bits); only its SHA-256 is kept.
It acts with its user's role and scope and nothing more. Rules that keep a token from
going around what the session enforces (see ``docs/api.md``):

- created only from a signed-in session (never with another token, so a token cannot
  renew itself past its expiry), and an administrator's session must have passed the
  second step (the middleware sees to that for pages; :func:`token_create` checks again);
- refused at use when revoked, expired, or its user is disabled (401, audited), or when
  the user must change their password (403, as the session is);
- its lifetime is chosen at creation, ``API_TOKEN_DEFAULT_DAYS`` by default and at most
  ``API_TOKEN_MAX_DAYS``.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.second_factor import second_factor_required
from gongjian.api.models import ApiToken
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audit_event, audited, snapshot
from gongjian.core.errors import Refused

PREFIX = "gjt_"
SHOWN_PREFIX = 10  # "gjt_" and six characters: enough to tell one's tokens apart
MAX_ACTIVE_TOKENS = 10  # local default: one per phone or client, with room to spare
# last_used_at is written at most this often, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRefused(Refused):
    """A token cannot be created or revoked as asked."""


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _scope_path(user: Any) -> str:
    organization = getattr(user, "organization", None)
    return organization.path if organization is not None else ""


def token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (nobody sees another user's tokens)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_get(*, user: Any, pk: int) -> ApiToken:
    """One of the user's own tokens, or 404."""
    try:
        return token_list(user=user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which is shown this once and never stored."""

    token: ApiToken
    secret: str


@audits_refusals
def token_create(*, actor: Any, name: str, days: int | None = None) -> IssuedToken:
    """The actor creates a token for themselves, valid ``days`` days."""
    name = (name or "").strip()
    maximum = int(settings.API_TOKEN_MAX_DAYS)
    days = int(settings.API_TOKEN_DEFAULT_DAYS) if days is None else days
    with audited("api_token.create", actor=actor, scope_path=_scope_path(actor)) as record:
        if not name:
            raise TokenRefused(_("请填写令牌名称"), code="name_required", field="name")
        if len(name) > 64:
            raise TokenRefused(_("令牌名称最多 64 个字"), code="name_too_long", field="name")
        if not 1 <= days <= maximum:
            raise TokenRefused(
                _("有效期应在 1 到 %(max)s 天之间") % {"max": maximum}, code="days_out_of_range", field="days"
            )
        # is_verified is set by django-otp's middleware on a session's user; anything else
        # (a user object from elsewhere) counts as not verified.
        verified = getattr(actor, "is_verified", lambda: False)()
        if second_factor_required(actor) and not verified:
            raise TokenRefused(_("请先完成第二重身份验证，再创建令牌"), code="second_factor_required")
        now = timezone.now()
        if token_list(user=actor).filter(revoked_at__isnull=True, expires_at__gt=now).count() >= MAX_ACTIVE_TOKENS:
            raise TokenRefused(
                _("有效令牌已达 %(n)s 个，请先撤销不用的令牌") % {"n": MAX_ACTIVE_TOKENS}, code="too_many"
            )
        secret = PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            key_hash=_hash(secret),
            prefix=secret[:SHOWN_PREFIX],
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        record.target = token
        record.after = snapshot(token, ["name", "prefix", "expires_at"])
    return IssuedToken(token=token, secret=secret)


@audits_refusals
def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """The token's own user revokes it; it stops working at once."""
    with audited("api_token.revoke", actor=actor, target=token, scope_path=_scope_path(actor)) as record:
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.user_id != actor.pk:
            raise Http404
        if locked.revoked_at is not None:
            raise TokenRefused(_("该令牌已撤销"), code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record.after = snapshot(locked, ["name", "prefix", "revoked_at"])
    return locked


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token a bearer secret names (with its user), or None. A known token that is
    revoked, expired or whose user is disabled is refused and the refusal audited; an
    unknown secret names nobody, so there is nobody to record it against."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user", "user__organization").filter(key_hash=_hash(secret)).first()
    if token is None:
        return None
    now = timezone.now()
    reason = ""
    if token.revoked_at is not None:
        reason = "令牌已撤销"
    elif token.expires_at <= now:
        reason = "令牌已过期"
    elif not token.user.is_active:
        reason = "账号已停用"
    if reason:
        audit_event(
            "api_token.use",
            actor=token.user,
            target=token,
            scope_path=_scope_path(token.user),
            success=False,
            reason=reason,
        )
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

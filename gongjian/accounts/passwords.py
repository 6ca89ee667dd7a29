"""Password life (GB/T 22239-2019 level 3, 身份鉴别): a password expires after
``PASSWORD_MAX_AGE_DAYS``; the last ``PASSWORD_HISTORY`` passwords cannot be chosen again;
an account whose password someone else set must change it at its first sign-in."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def max_age() -> datetime.timedelta | None:
    """How long a password lasts (None: a deployment that set 0 lets them last)."""
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))
    return datetime.timedelta(days=days) if days > 0 else None


def password_expired(user: Any, now: datetime.datetime | None = None) -> bool:
    """True once the account's password is older than the maximum age."""
    age = max_age()
    if age is None:
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > age


def must_change(user: Any) -> bool:
    """The account may do nothing before it chooses a new password."""
    return bool(user.must_change_password) or password_expired(user)


class PasswordHistoryValidator:
    """Refuses the current password and the ``count`` - 1 before it; records each new one."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent(self, user: Any) -> list[str]:
        from gongjian.accounts.models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        return [user.password, *hashes] if user.password else hashes

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.count}, code="password_reused"
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        """Called by Django after the new password is saved: remember it, restart its age."""
        from gongjian.accounts.models import PasswordHistory, User

        if user is None or user.pk is None:
            return
        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now, must_change_password=False)
        user.password_changed_at, user.must_change_password = now, False

    def get_help_text(self) -> str:
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.count}

"""Password spraying (GB/T 22239-2019 level 3, 登录失败处理): one password tried against many
accounts never trips the per-account lockout, so sign-ins from an address that has failed on
``LOGIN_SPRAY_ACCOUNTS`` different account names within ``LOGIN_SPRAY_WINDOW`` seconds are
refused (429) until the window has passed. The failures are django-axes' own records."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


def spray_wait(ip_address: str | None) -> int | None:
    """Seconds until the address may try again, or None if it may now."""
    if not ip_address:
        return None
    window = datetime.timedelta(seconds=int(settings.LOGIN_SPRAY_WINDOW))
    since = timezone.now() - window
    failures = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    if failures.values("username").distinct().count() < int(settings.LOGIN_SPRAY_ACCOUNTS):
        return None
    oldest = failures.order_by("attempt_time").values_list("attempt_time", flat=True).first()
    assert oldest is not None
    return max(int((oldest + window - timezone.now()).total_seconds()) + 1, 1)

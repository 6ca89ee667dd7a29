"""Start-up check: every shipped profile loads (``manage.py check``, runserver, migrate).

A bad section is reported before anyone opens a page that reads it, with the file and key
named in Chinese."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from gongjian.policies.errors import PolicyProfileError
from gongjian.policies.loader import load_profile, profile_keys


@register()
def check_profiles(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    keys = profile_keys()
    if not keys:
        errors.append(Error("没有任何政策配置（policies/*.yaml）", id="policies.E002"))
    for key in keys:
        try:
            load_profile(key)
        except PolicyProfileError as exc:
            errors.append(Error(str(exc), id="policies.E001", obj=f"{key}.yaml"))
    return errors

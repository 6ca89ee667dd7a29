"""Why an account action is refused, in words an administrator can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class AccountActionRefused(Refused):
    """The account action is not allowed (a role one may not give, one's own account…)."""

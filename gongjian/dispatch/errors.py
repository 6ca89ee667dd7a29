"""Why a dispatch action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class DispatchActionRefused(Refused):
    """The action is not allowed now (wrong step, term not over, pool empty...: 409), or one
    input is at fault (an ID number already in the pool, a month already logged, a missing
    reason: ``field`` names it, 422). ``code`` is stable for clients and tests."""

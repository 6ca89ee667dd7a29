"""Why a dispatch action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class DispatchActionRefused(Refused):
    """The action is not allowed now (wrong step, term not over, month already logged...)."""

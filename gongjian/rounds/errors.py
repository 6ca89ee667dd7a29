"""Why a round action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class RoundActionRefused(Refused):
    """The action is not allowed now (deadline passed, no place left, wrong stage...)."""

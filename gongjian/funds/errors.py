"""Why a funds action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class FundsActionRefused(Refused):
    """The write is not allowed (overdrawn balance, unsigned pairing, period not over...).

    Views show the message next to the form; nothing was written.
    """

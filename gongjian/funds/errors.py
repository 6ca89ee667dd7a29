"""Why a funds action is refused, in words a clerk can act on."""

from __future__ import annotations


class FundsActionRefused(Exception):
    """The write is not allowed (overdrawn balance, unsigned pairing, period not over...).

    Views show the message next to the form; nothing was written.
    """

    def __init__(self, message: str, *, code: str = "refused", field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field

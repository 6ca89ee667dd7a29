"""Why a round action is refused, in words a clerk can act on."""

from __future__ import annotations


class RoundActionRefused(Exception):
    """The action is not allowed now (deadline passed, no place left, wrong stage...).

    Views show the message; the API returns it as a 409 (or 400) with ``detail``.
    """

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code

"""Why a record action is refused, in words a clerk can act on."""

from __future__ import annotations


class RecordActionRefused(Exception):
    """The action is not possible now (card already countersigned, feedback closed...).

    Views show the message; it carries a ``code`` for the API and the tests.
    """

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code

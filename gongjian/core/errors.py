"""The one family of refusals (DESIGN.md "Layers"): a service that will not do what it was
asked raises a :class:`Refused` (or an app's subclass) carrying a stable ``code`` for
clients and tests, a message in words a clerk can act on (already translated, through
gettext, by the service), and, when one input is at fault, the ``field`` it names.

Pages show the message next to the form (or on the page); the API maps the whole family
once (``gongjian/api/urls.py``): 422 when a field is named, else 409, with ``detail``,
``code`` and ``field``. Nothing was written when a refusal is raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Refused(Exception):
    """The action is not allowed now (a deadline passed, no place left, a balance would go
    negative…). Subclassed once per capability so that callers can catch their own."""

    def __init__(self, message: Any, *, code: str = "refused", field: str = "") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.field = field

    @property
    def status(self) -> int:
        """The HTTP status an API client gets: a bad value of one field is unprocessable
        (422); anything else conflicts with the current state (409)."""
        return 422 if self.field else 409

    def as_dict(self) -> dict[str, str]:
        """The API body: ``detail`` (the message), ``code`` and, if any, ``field``."""
        body = {"detail": self.message, "code": self.code}
        if self.field:
            body["field"] = self.field
        return body


class FieldsRefused(Refused):
    """A refusal about several inputs at once (a form's worth of bad values): ``errors`` maps
    each field to its reason, so that a page shows them all after one submit. Its message
    joins them and it names the first field (the API answers 422)."""

    def __init__(self, errors: Mapping[str, Any], *, code: str = "invalid") -> None:
        reasons = {field: str(message) for field, message in errors.items()}
        super().__init__("；".join(reasons.values()), code=code, field=next(iter(reasons), ""))
        self.errors = reasons

"""What the capability routers share: error bodies and the answers a write may give."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """A 401, 403 or 404: the reason in Chinese."""

    detail: str


class RefusedOut(Schema):
    """A refusal (409, or 422 when one field is at fault): reason, stable code, field."""

    detail: str
    code: str
    field: str | None = None


class InvalidOut(Schema):
    """A service's validation errors (400): a summary and the messages by field."""

    detail: str
    errors: dict[str, Any]


# The answers every write may give besides its success.
WRITE_ERRORS: dict[int, Any] = {400: InvalidOut, 403: ErrorOut, 404: ErrorOut, 409: RefusedOut, 422: RefusedOut}
READ_ERRORS: dict[int, Any] = {404: ErrorOut}


def label(obj: Any, field: str) -> str:
    """The display label of a choice field (``get_<field>_display``)."""
    return str(getattr(obj, f"get_{field}_display")())

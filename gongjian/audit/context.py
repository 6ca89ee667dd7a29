"""Where the current request comes from, for the audit log's "from where".

Services take ``actor`` but not the request; the middleware puts the request's address
here so that every audit row written while serving it carries the address.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    user_agent: str


_origin: ContextVar[RequestOrigin | None] = ContextVar("gongjian_request_origin", default=None)


def current_origin() -> RequestOrigin | None:
    """The origin of the request being served, or None outside a request (commands, tests)."""
    return _origin.get()


def set_origin(origin: RequestOrigin | None) -> object:
    """Set the origin; returns a token for :func:`reset_origin`."""
    return _origin.set(origin)


def reset_origin(token: object) -> None:
    _origin.reset(token)  # type: ignore[arg-type]

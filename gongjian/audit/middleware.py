"""Records each request's address for the audit log."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongjian.audit.context import RequestOrigin, reset_origin, set_origin
from gongjian.audit.services import audit_event

# Refusals of a signed-in user's request for an object: outside the scope (404), not
# allowed (403), or throttled (429).
DENIED = {403, 404, 429}


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit log and the sign-in lockout alike.

    ``X-Forwarded-For`` is believed only when the request comes from one of
    ``TRUSTED_PROXIES`` (anyone else can write the header): then the address is the
    rightmost one in it that is not itself a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote is None or not forwarded or not _trusted(remote):
        return remote
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = RequestOrigin(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        )
        token = set_origin(origin)
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


class DeniedAccessMiddleware:
    """Audit every refused request of a signed-in user for something that exists as an
    address (issue 12 item 9): an object outside their scope answers 404 and is recorded,
    so that an auditor sees who probed what. A mistyped address (no URL matched) is not."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if response.status_code in DENIED and match is not None and user is not None and user.is_authenticated:
            audit_event(
                "access_denied",
                actor=user,
                after={"method": request.method, "path": request.path[:500], "status": response.status_code},
                success=False,
                reason=f"HTTP {response.status_code}",
            )
        return response

"""Records each request's address for the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongjian.audit.context import RequestOrigin, reset_origin, set_origin


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. REMOTE_ADDR only: a forwarded header is trivially forged."""
    return request.META.get("REMOTE_ADDR") or None


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

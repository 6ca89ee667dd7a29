"""No copy of a signed-in user's page or of any download is kept by a browser or a proxy
(GB/T 22239-2019 level 3, 剩余信息保护): such responses carry ``Cache-Control: no-store``.

Public pages (the status board, the funds disclosure) may be cached; static files never
reach this middleware (WhiteNoise answers them first).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    """``no-store`` on every response to a signed-in user and on every attachment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        attachment = "attachment" in response.get("Content-Disposition", "")
        if attachment or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

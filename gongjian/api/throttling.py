"""API writes are rate-limited per user (GB/T 22239-2019 level 3, 资源控制): a client that
writes faster than ``API_WRITE_RATE`` gets 429 with ``Retry-After``; reads are not limited.
Counted in the shared cache, so every app server counts the same requests."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import UserRateThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteRateThrottle(UserRateThrottle):
    """Counts only the requests that change something."""

    scope = "api-write"

    def __init__(self) -> None:
        super().__init__(settings.API_WRITE_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # Read at each request, so that a changed setting (and a test's) takes effect.
        self.rate = settings.API_WRITE_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

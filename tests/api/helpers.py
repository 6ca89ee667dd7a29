"""What the API tests share: a signed-in client, JSON calls, and a bearer client."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from gongjian.api.tokens import token_create


def session(user: Any) -> Client:
    """A browser session of ``user`` (the test client does not enforce CSRF)."""
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any, name: str = "测试令牌", days: int | None = None) -> tuple[Client, str]:
    """A client that sends a fresh token of ``user`` and nothing else (no session)."""
    secret = token_create(actor=user, name=name, days=days).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), secret


def post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_refused(response: Any, statuses: tuple[int, ...] = (409, 422)) -> dict[str, Any]:
    """A refusal: 409/422 with a Chinese ``detail`` and a ``code``."""
    assert response.status_code in statuses, (response.status_code, response.content)
    body: dict[str, Any] = response.json()
    assert is_chinese(body["detail"]) and body.get("code"), body
    return body

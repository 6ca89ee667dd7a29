"""Outbound channels: e-mail through Django's e-mail backend, and one pluggable gateway
backend for SMS / WeCom (政务微信) / DingTalk (钉钉) — by default an HTTP webhook that posts
a signed JSON body to the gateway the deployment runs.

Settings (all optional; without a URL no gateway copy is made):

- ``NOTIFICATIONS_OUTBOUND_BACKEND``: dotted path of the gateway backend class
  (default :class:`WebhookBackend`);
- ``NOTIFICATIONS_WEBHOOK_URL``, ``NOTIFICATIONS_WEBHOOK_SECRET``: where to post and the
  HMAC-SHA256 key of the ``X-Gongjian-Signature`` header (``sha256=<hex>`` of the body);
- ``NOTIFICATIONS_WEBHOOK_TIMEOUT``: seconds (default 10).

Each request carries ``X-Gongjian-Delivery`` (the delivery's unique key), so a gateway can
drop a copy it has seen should a worker die between its answer and our record of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from gongjian.notifications.models import Delivery

SIGNATURE_HEADER = "X-Gongjian-Signature"
DELIVERY_HEADER = "X-Gongjian-Delivery"


class DeliveryFailed(Exception):
    """The channel did not take the message (the delivery stays unsent and is retried)."""


class OutboundBackend(Protocol):
    def send(self, delivery: Delivery, payload: dict[str, Any]) -> None: ...


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookBackend:
    """Posts the payload as JSON to ``NOTIFICATIONS_WEBHOOK_URL``; any answer but 2xx fails."""

    def send(self, delivery: Delivery, payload: dict[str, Any]) -> None:
        url = str(getattr(settings, "NOTIFICATIONS_WEBHOOK_URL", ""))
        if not url.startswith(("http://", "https://")):
            raise DeliveryFailed(f"网关地址无效：{url!r}")
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(body, str(getattr(settings, "NOTIFICATIONS_WEBHOOK_SECRET", ""))),
                DELIVERY_HEADER: delivery.key,
            },
        )
        timeout = float(getattr(settings, "NOTIFICATIONS_WEBHOOK_TIMEOUT", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"网关返回 {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryFailed(f"网关无法连接：{exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryFailed(f"网关返回 {status}")


def gateway() -> OutboundBackend:
    """The configured gateway backend."""
    path = str(getattr(settings, "NOTIFICATIONS_OUTBOUND_BACKEND", "gongjian.notifications.channels.WebhookBackend"))
    backend: OutboundBackend = import_string(path)()
    return backend


def send_email(delivery: Delivery, payload: dict[str, Any]) -> None:
    """One e-mail to the delivery's address."""
    text = payload["title"]
    if payload.get("body"):
        text += "\n\n" + payload["body"]
    if payload.get("link"):
        text += "\n\n" + payload["link"]
    text += "\n\n（本邮件由城乡结对共建平台自动发送）"
    try:
        send_mail(payload["title"], text, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False)
    except Exception as exc:  # SMTP errors differ by backend: record any of them
        raise DeliveryFailed(f"邮件发送失败：{exc}") from exc

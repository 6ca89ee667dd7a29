"""Sending: e-mail through Django's backend (locmem here) and the signed webhook to a local
HTTP server started by the test; as a job; never twice, also when retried after a failure."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from pytest_django.fixtures import Settings as SettingsFixture

from gongjian.accounts.models import User
from gongjian.jobs.models import Job, JobState
from gongjian.notifications.channels import DELIVERY_HEADER, SIGNATURE_HEADER
from gongjian.notifications.models import Channel, Delivery, DeliveryState
from gongjian.notifications.outbound import deliveries_send
from gongjian.records.services_cards import performance_card_save
from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.notifications.conftest import about

pytestmark = pytest.mark.django_db
THIS_MONTH = datetime.date.today().replace(day=1)
SECRET = "测试密钥-webhook"


@dataclass
class Gateway:
    """What the local gateway received, and the statuses it answers with (then 200)."""

    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@pytest.fixture
def gateway(settings: SettingsFixture) -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings.NOTIFICATIONS_WEBHOOK_URL = state.url
    settings.NOTIFICATIONS_WEBHOOK_SECRET = SECRET
    settings.NOTIFICATIONS_SITE_URL = "https://gongjian.example.cn"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def submit(cast: Cast, signed: Pairing, django_capture_on_commit_callbacks: Any) -> Any:
    User.objects.filter(pk=cast.village_user.pk).update(email="huajia@example.cn", phone="13800001111")
    with django_capture_on_commit_callbacks(execute=True):
        return performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)


def test_email_and_signed_webhook_sent_once_as_a_job(
    cast: Cast, signed: Pairing, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    card = submit(cast, signed, django_capture_on_commit_callbacks)
    [notice] = about(card)

    assert [m.to for m in mail.outbox] == [["huajia@example.cn"]]
    assert mail.outbox[0].subject == notice.title
    assert f"https://gongjian.example.cn/records/cards/{card.pk}/" in mail.outbox[0].body

    [(headers, body)] = gateway.received
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER.lower()], expected)
    assert headers[DELIVERY_HEADER.lower()] == f"webhook:{notice.pk}"
    payload = json.loads(body)
    assert payload["title"] == notice.title and payload["event"] == "card_countersign"
    assert payload["organization"]["name"] == cast.village.name
    assert payload["recipients"] == [{"username": "village", "name": "", "phone": "13800001111"}]

    job = Job.objects.get(kind="notifications")
    assert job.state == JobState.DONE and job.result == {"sent": 2, "failed": 0}
    assert set(Delivery.objects.values_list("channel", "state")) == {
        (Channel.EMAIL, DeliveryState.SENT),
        (Channel.WEBHOOK, DeliveryState.SENT),
    }

    # Sending again (a redelivered job, the retry sweep): nothing goes out twice.
    assert deliveries_send() == {"sent": 0, "failed": 0}
    assert len(gateway.received) == 1 and len(mail.outbox) == 1


def test_a_failed_webhook_is_retried_and_then_sent_once(
    cast: Cast, signed: Pairing, gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.answers = [503]
    card = submit(cast, signed, django_capture_on_commit_callbacks)
    hook = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert (hook.state, hook.attempts) == (DeliveryState.FAILED, 1) and "503" in hook.error
    assert Delivery.objects.get(channel=Channel.EMAIL).state == DeliveryState.SENT

    assert deliveries_send() == {"sent": 1, "failed": 0}
    assert deliveries_send() == {"sent": 0, "failed": 0}
    hook.refresh_from_db()
    assert (hook.state, hook.attempts, hook.error) == (DeliveryState.SENT, 2, "")
    assert len(gateway.received) == 2  # the refused one and the accepted one
    assert {h[DELIVERY_HEADER.lower()] for h, _ in gateway.received} == {f"webhook:{about(card)[0].pk}"}


def test_without_a_gateway_or_an_address_nothing_is_queued(
    cast: Cast, signed: Pairing, settings: SettingsFixture, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTIFICATIONS_WEBHOOK_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    assert not Delivery.objects.exists() and not Job.objects.filter(kind="notifications").exists()


def test_an_unreachable_gateway_fails_in_chinese_and_stays_unsent(
    cast: Cast, signed: Pairing, settings: SettingsFixture, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTIFICATIONS_WEBHOOK_URL = "http://127.0.0.1:9/nowhere"  # discard port: nobody listens
    settings.NOTIFICATIONS_WEBHOOK_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    hook = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert hook.state == DeliveryState.FAILED and "网关无法连接" in hook.error

"""Throttling (issue 12 item 10): a password spray from one address is stopped, API writes
are rate-limited per user with Retry-After, and X-Forwarded-For is believed only from a
configured proxy (for the lockout and the audit log alike)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from gongjian.accounts.models import Role
from gongjian.audit.middleware import client_ip
from gongjian.audit.models import AuditEntry
from tests.conftest import PASSWORD, Cast, make_user


def _try(username: str, password: str, address: str, **headers: str) -> int:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )
    return response.status_code


@override_settings(LOGIN_SPRAY_ACCOUNTS=10)
def test_a_password_spray_from_one_address_is_stopped(cast: Cast) -> None:
    # 30 account names × 1 password, as a spray would: each name fails once (no per-account lockout).
    codes = [_try(f"user{n:02d}", "Spring@2026", "10.1.1.1") for n in range(30)]
    assert codes[:10] == [200] * 10  # the sign-in form again, with its error
    assert set(codes[10:]) == {429}
    # Even the right password of a real account waits, from that address; another address is not affected.
    assert _try("unit", PASSWORD, "10.1.1.1") == 429
    assert _try("unit", PASSWORD, "10.2.2.2") == 302
    assert AuditEntry.objects.filter(action="account.login", success=False, reason__contains="密码喷洒").count() == 21


@override_settings(API_WRITE_RATE="3/min")
def test_api_writes_are_rate_limited_per_user(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    url = f"/api/orgs/{cast.unit.pk}"
    statuses = [
        client.patch(url, data={"capacity": 2 + n}, content_type="application/json").status_code for n in range(5)
    ]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    refused = client.patch(url, data={"capacity": 9}, content_type="application/json")
    assert int(refused["Retry-After"]) > 0 and refused.json()["code"] == "throttled"
    assert client.get(url).status_code == 200  # reads are not counted
    other = Client()
    other.force_login(make_user("county2", Role.COMMITTEE_ADMIN, cast.county))
    assert other.patch(url, data={"capacity": 3}, content_type="application/json").status_code == 200


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", [], "203.0.113.9"),  # no proxy configured: the header is a lie
        ("10.0.0.5", "1.2.3.4", ["10.0.0.0/24"], "1.2.3.4"),
        ("10.0.0.5", "1.2.3.4, 10.0.0.7", ["10.0.0.0/24"], "1.2.3.4"),  # two proxies of ours
        ("10.0.0.5", "6.6.6.6, 1.2.3.4", ["10.0.0.0/24"], "1.2.3.4"),  # the client's own forged hop is ignored
        ("198.51.100.1", "1.2.3.4", ["10.0.0.0/24"], "198.51.100.1"),  # not from our proxy
    ],
)
def test_forwarded_addresses_are_believed_only_from_trusted_proxies(remote, forwarded, trusted, expected) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXIES=[])
def test_a_forged_header_does_not_escape_the_lockout(cast: Cast) -> None:
    for n in range(5):
        _try("village", "Wrong@Pass1", "10.3.3.3", HTTP_X_FORWARDED_FOR=f"7.7.7.{n}")
    assert _try("village", PASSWORD, "10.3.3.3", HTTP_X_FORWARDED_FOR="8.8.8.8") != 302

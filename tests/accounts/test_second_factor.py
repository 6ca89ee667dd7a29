"""Two factors for administrative roles (issue 12 item 5): TOTP enrolment with a locally
drawn QR code, the second step at every sign-in, one-time recovery codes, a reset by the
security administrator, and the rule on in production settings."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongjian.accounts.models import Role
from gongjian.audit.models import AuditEntry
from gongjian.core.crypto import DEVELOPMENT_KEYS, dump_data_keys
from tests.conftest import PASSWORD, Cast, make_user

pytestmark = pytest.mark.usefixtures("second_factor_on")


@pytest.fixture
def second_factor_on():
    with override_settings(OTP_REQUIRED=True, OTP_EXEMPT_USERNAMES=()):
        yield


def rfc6238(secret_base32: str, at: float | None = None) -> str:
    """The 6-digit TOTP code of RFC 6238 (SHA-1, 30 s), computed here, not by django-otp."""
    key = base64.b32decode(secret_base32.replace(" ", ""))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(client: Client) -> list[str]:
    page = client.get("/accounts/otp/setup/").content.decode()
    assert "<svg" in page  # the QR code, drawn by the app itself
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    done = client.post("/accounts/otp/setup/", {"token": rfc6238(secret), "next": "/orgs/"}).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done)
    assert len(codes) == 10
    return codes


def test_an_administrator_enrols_then_passes_the_second_step_at_each_sign_in(cast: Cast) -> None:
    client = _sign_in("city")
    first = client.get("/orgs/")
    assert first.status_code == 302 and first["Location"] == "/accounts/otp/setup/?next=%2Forgs%2F"
    assert client.get("/api/orgs/").json()["code"] == "second_factor_required"
    assert client.get("/accounts/password/").status_code == 302  # not even the password, before the second step
    codes = _enrol(client)
    assert client.get("/orgs/").status_code == 200
    assert TOTPDevice.objects.get(user=cast.city_admin).confirmed

    again = _sign_in("city")
    assert again.get("/orgs/")["Location"] == "/accounts/otp/?next=%2Forgs%2F"
    wrong = again.post("/accounts/otp/", {"token": "000000"}).content.decode()
    assert "验证码不正确" in wrong
    time.sleep(1.1)  # django-otp throttles: after one failure the next try waits a second
    assert again.post("/accounts/otp/", {"token": codes[0], "next": "/orgs/"})["Location"] == "/orgs/"
    assert again.get("/orgs/").status_code == 200
    # A recovery code works once.
    third = _sign_in("city")
    assert "验证码不正确" in third.post("/accounts/otp/", {"token": codes[0]}).content.decode()
    results = list(AuditEntry.objects.filter(action="account.otp_verify").values_list("success", flat=True))
    assert sorted(results) == [False, False, True]


@pytest.mark.django_db(transaction=True)
def test_a_code_from_the_authenticator_passes(cast: Cast) -> None:
    # Transactional, as a real server runs: each request in autocommit (the device lock needs
    # the service's own transaction; a test transaction around everything once hid its absence).
    client = _sign_in("county")
    _enrol(client)
    device = TOTPDevice.objects.get(user=cast.committee_admin)
    secret = base64.b32encode(device.bin_key).decode()
    again = _sign_in("county")
    # The enrolment used this period's code; django-otp refuses a code twice, so take the next period's.
    response = again.post("/accounts/otp/", {"token": rfc6238(secret, time.time() + 30), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_business_users_sign_in_with_one_factor(cast: Cast) -> None:
    assert _sign_in("unit").get("/orgs/").status_code == 200


def test_the_security_administrator_resets_a_lost_authenticator(cast: Cast) -> None:
    security = make_user("secadmin", Role.SECURITY_ADMIN, cast.city)
    _enrol(_sign_in("county"))
    sec_client = _sign_in("secadmin")
    _enrol(sec_client)
    sec_client.post(f"/accounts/users/{cast.committee_admin.pk}/otp-reset/")
    assert not TOTPDevice.objects.filter(user=cast.committee_admin).exists()
    assert _sign_in("county").get("/orgs/")["Location"].startswith("/accounts/otp/setup/")
    assert AuditEntry.objects.filter(
        action="account.otp_reset", success=True, actor_username=security.username
    ).exists()


def test_production_settings_require_it_for_everyone(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        {
            "GONGJIAN_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "gongjian.example",
            "OTP_REQUIRED": "0",
            "OTP_EXEMPT_USERNAMES": "city_admin",
            "GONGJIAN_DATA_KEYS": dump_data_keys(DEVELOPMENT_KEYS),  # required in production
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    code = "from django.conf import settings; print(settings.OTP_REQUIRED, settings.OTP_EXEMPT_USERNAMES)"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='gongjian.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True ()"

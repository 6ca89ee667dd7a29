"""Login security: argon2 hashing, password rules, lockout, idle timeout, logout."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from gongjian.accounts.middleware import LAST_SEEN_KEY
from gongjian.audit.models import AuditEntry
from tests.conftest import PASSWORD, Cast


def test_passwords_are_hashed_with_argon2(cast: Cast) -> None:
    assert cast.unit_user.password.startswith("argon2$")


@pytest.mark.parametrize("password", ["short1A", "alllowercase1", "ALLUPPER1234", "abcdEFGHijkl"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Gongjian@2026", "hua-jia-cun-88", "Qinghe8Xiang"])
def test_passwords_with_three_classes_are_accepted(password: str) -> None:
    validate_password(password)


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.8.7")


def test_login_and_logout_end_to_end(cast: Cast) -> None:
    client = Client()
    response = _login(client, "unit", PASSWORD)
    assert response.status_code == 302
    assert client.get("/orgs/").status_code == 200
    entry = AuditEntry.objects.filter(action="account.login", actor_username="unit").get()
    assert entry.success and entry.ip_address == "10.9.8.7"
    client.post(reverse("accounts:logout"))
    assert client.get("/orgs/").status_code == 302
    assert AuditEntry.objects.filter(action="account.logout", actor_username="unit").exists()


def test_lockout_after_five_failures(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        response = _login(client, "unit", "wrong-Password1")
    assert response.status_code == 429
    # Even the right password is refused while locked.
    response = _login(client, "unit", PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    failures = AuditEntry.objects.filter(action="account.login", success=False)
    assert failures.count() >= 5
    # The auditor of the account's subtree sees the attempts.
    assert {e.scope_path for e in failures} == {cast.unit.path}


def test_four_failures_do_not_lock(cast: Cast) -> None:
    client = Client()
    for _ in range(4):
        _login(client, "unit", "wrong-Password1")
    assert _login(client, "unit", PASSWORD).status_code == 302


def test_the_idle_clock_starts_at_sign_in(cast: Cast) -> None:
    client = Client()
    before = int(time.time())
    _login(client, "unit", PASSWORD)
    assert before <= client.session[LAST_SEEN_KEY] <= int(time.time())


@override_settings(SESSION_IDLE_TIMEOUT=60)
def test_idle_session_is_ended(cast: Cast) -> None:
    client = Client()
    _login(client, "unit", PASSWORD)
    assert client.get("/orgs/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 120
    session.save()
    response = client.get("/orgs/")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get("/orgs/").status_code == 302

"""Password life and sessions (issue 12 item 7): first sign-in change, expiry after
PASSWORD_MAX_AGE_DAYS, the last five passwords refused, a visible 修改密码 link, and at most
MAX_SESSIONS_PER_USER sessions per account."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gongjian.accounts.models import PasswordHistory, User, UserSession
from gongjian.audit.models import AuditEntry
from tests.conftest import PASSWORD, Cast

CHANGE = "/accounts/password/"


def _login(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content[:300]
    return client


def _change(client: Client, old: str, new: str, next_url: str = ""):
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    if next_url:
        data["next"] = next_url
    return client.post(CHANGE, data)


def test_an_account_with_a_password_set_by_someone_else_changes_it_first(cast: Cast) -> None:
    User.objects.filter(pk=cast.unit_user.pk).update(must_change_password=True)
    client = _login("unit")
    page = client.get("/orgs/")
    assert page.status_code == 302
    assert page["Location"] == f"{CHANGE}?next=%2Forgs%2F"
    assert "初始密码" in client.get(page["Location"]).content.decode()
    api = client.get("/api/orgs/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"

    done = _change(client, PASSWORD, "Huajia@Cun2027", next_url="/orgs/")
    assert done.status_code == 302 and done["Location"] == "/orgs/"
    assert client.get("/orgs/").status_code == 200
    user = User.objects.get(pk=cast.unit_user.pk)
    assert not user.must_change_password
    assert user.password_changed_at is not None
    assert AuditEntry.objects.filter(action__startswith="account.", actor_username="unit").exists()


@pytest.mark.parametrize(("age", "expired"), [(89, False), (91, True)])
def test_a_password_expires_after_ninety_days(cast: Cast, age: int, expired: bool) -> None:
    changed = timezone.now() - datetime.timedelta(days=age)
    User.objects.filter(pk=cast.unit_user.pk).update(password_changed_at=changed)
    page = _login("unit").get("/orgs/")
    assert (page.status_code == 302 and page["Location"].startswith(CHANGE)) is expired


@override_settings(PASSWORD_MAX_AGE_DAYS=0)
def test_a_deployment_may_turn_expiry_off(cast: Cast) -> None:
    User.objects.filter(pk=cast.unit_user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=900))
    assert _login("unit").get("/orgs/").status_code == 200


def test_the_last_five_passwords_cannot_be_chosen_again(cast: Cast) -> None:
    user = User.objects.get(pk=cast.unit_user.pk)
    chosen = [f"Huajia@Cun{n}" for n in range(1, 7)]
    for password in chosen[:5]:
        validate_password(password, user)
        user.set_password(password)
        user.save()
    # The five last (1..5, the current one included) are refused; the initial one, sixth back, is not.
    for password in chosen[:5]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(password, user)
    validate_password(PASSWORD, user)
    validate_password(chosen[5], user)
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_the_password_change_form_refuses_a_recent_password(cast: Cast) -> None:
    client = _login("unit")
    page = _change(client, PASSWORD, PASSWORD)
    assert page.status_code == 200
    assert "最近 5 次" in page.content.decode()
    refused = AuditEntry.objects.get(action="account.password_change")
    assert not refused.success and "最近 5 次" in refused.reason
    _change(client, PASSWORD, "Huajia@Cun2031")
    assert AuditEntry.objects.filter(action="account.password_change", success=True).count() == 1


def test_every_page_links_to_the_password_change(cast: Cast) -> None:
    page = _login("village").get("/").content.decode()
    assert f'href="{CHANGE}"' in page


@override_settings(MAX_SESSIONS_PER_USER=2)
def test_a_third_sign_in_ends_the_oldest_session(cast: Cast) -> None:
    first, second, third = _login("unit"), _login("unit"), _login("unit")
    assert first.get("/orgs/").status_code == 302  # back to the sign-in page
    assert second.get("/orgs/").status_code == 200
    assert third.get("/orgs/").status_code == 200
    assert UserSession.objects.filter(user=cast.unit_user).count() == 2
    assert AuditEntry.objects.filter(action="account.session_ended", actor_username="unit").count() == 1

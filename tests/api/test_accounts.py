"""Own account over the API: the profile, and the password change (audited, refused with a
Chinese reason)."""

from __future__ import annotations

from django.test import Client

from gongjian.audit.models import AuditEntry
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import PASSWORD, Cast


def test_profile_is_ones_own(cast: Cast) -> None:
    body = session(cast.village_user).get("/api/accounts/me").json()
    assert body["username"] == "village" and body["organization"] == "花家村党支部"
    assert body["role_label"] == "村党组织用户"
    assert Client().get("/api/accounts/me").status_code == 401


def test_password_change(cast: Cast) -> None:
    client, _secret = bearer(cast.unit_user)
    new = "Nouveau#Pass2027"
    response = post(client, "/api/accounts/me/password", {"old_password": PASSWORD, "new_password": new})
    assert response.status_code == 200, response.content
    cast.unit_user.refresh_from_db()
    assert cast.unit_user.check_password(new)
    assert AuditEntry.objects.filter(
        action="account.password_change", actor_id=cast.unit_user.pk, success=True
    ).exists()


def test_password_change_refused(cast: Cast) -> None:
    client = session(cast.unit_user)
    wrong = post(client, "/api/accounts/me/password", {"old_password": "nope", "new_password": "Nouveau#Pass2027"})
    assert assert_refused(wrong, (422,))["field"] == "old_password"
    weak = post(client, "/api/accounts/me/password", {"old_password": PASSWORD, "new_password": "123"})
    assert assert_refused(weak, (422,))["field"] == "new_password"
    assert AuditEntry.objects.filter(action="account.password_change", success=False).count() == 2
    cast.unit_user.refresh_from_db()
    assert cast.unit_user.check_password(PASSWORD)

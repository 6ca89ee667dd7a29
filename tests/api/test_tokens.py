"""Personal API tokens: created and revoked by their user, shown once, stored hashed, acting
with exactly their user's scope, refused (and audited) when revoked or expired."""

from __future__ import annotations

import datetime
import hashlib

from django.test import Client, override_settings
from django.utils import timezone

from gongjian.api.models import ApiToken
from gongjian.audit.models import AuditEntry
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast


def test_created_once_and_stored_hashed(cast: Cast) -> None:
    response = post(session(cast.unit_user), "/api/accounts/tokens/", {"name": "钉钉小程序", "days": 30})
    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["token"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=secret).exists()
    assert body["prefix"] == secret[:10] and body["active"] is True
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    # The list never shows the token again.
    listed = session(cast.unit_user).get("/api/accounts/tokens/").json()
    assert [t["id"] for t in listed] == [token.pk] and "token" not in listed[0]
    assert AuditEntry.objects.filter(action="api_token.create", object_id=str(token.pk), success=True).exists()


def test_default_and_maximum_lifetime(cast: Cast) -> None:
    client = session(cast.unit_user)
    with override_settings(API_TOKEN_DEFAULT_DAYS=90, API_TOKEN_MAX_DAYS=180):
        token = ApiToken.objects.get(pk=post(client, "/api/accounts/tokens/", {"name": "默认"}).json()["id"])
        assert (token.expires_at - token.created_at).days == 90
        body = assert_refused(post(client, "/api/accounts/tokens/", {"name": "太长", "days": 181}), (422,))
    assert body["code"] == "days_out_of_range" and body["field"] == "days" and "180" in body["detail"]
    assert_refused(post(client, "/api/accounts/tokens/", {"name": "  "}), (422,))


def test_bearer_acts_as_its_user_within_their_scope(cast: Cast) -> None:
    client, _secret = bearer(cast.committee_admin)
    me = client.get("/api/accounts/me")
    assert me.status_code == 200 and me.json()["username"] == "county"
    # Inside the county's subtree: found; the sibling county's village: 404, as for the session.
    assert client.get(f"/api/orgs/{cast.village.pk}").status_code == 200
    assert client.get(f"/api/orgs/{cast.sibling_village.pk}").status_code == 404
    names = {o["name"] for o in client.get("/api/orgs/?kind=village").json()["items"]}
    assert names == {"花家村党支部", "王家沟村党支部"}


def test_bearer_writes_need_no_csrf_and_are_audited_as_the_user(cast: Cast) -> None:
    client, _secret = bearer(cast.village_user)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=client.defaults["HTTP_AUTHORIZATION"])
    response = client.patch(
        f"/api/orgs/{cast.village.pk}", data='{"needs": ["medical"]}', content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert AuditEntry.objects.filter(actor_id=cast.village_user.pk, action__startswith="organization").exists()


def test_session_writes_still_need_csrf(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.unit_user)
    assert post(client, "/api/accounts/tokens/", {"name": "x"}).status_code in (401, 403)


def test_revoked_token_is_refused_and_audited(cast: Cast) -> None:
    client, _secret = bearer(cast.unit_user)
    token = ApiToken.objects.get(user=cast.unit_user)
    response = post(client, f"/api/accounts/tokens/{token.pk}/revoke")
    assert response.status_code == 200 and response.json()["revoked_at"]
    refused = client.get("/api/accounts/me")
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"
    entry = AuditEntry.objects.get(action="api_token.use", object_id=str(token.pk))
    assert not entry.success and entry.reason == "令牌已撤销" and entry.actor_id == cast.unit_user.pk
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk), success=True).exists()
    # Revoking twice is a refusal.
    body = assert_refused(post(session(cast.unit_user), f"/api/accounts/tokens/{token.pk}/revoke"), (409,))
    assert body["code"] == "already_revoked"


def test_expired_token_is_refused_and_audited(cast: Cast) -> None:
    client, _secret = bearer(cast.unit_user)
    ApiToken.objects.filter(user=cast.unit_user).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/accounts/me").status_code == 401
    assert AuditEntry.objects.filter(action="api_token.use", success=False, reason="令牌已过期").count() == 1


def test_unknown_or_malformed_token_is_401(cast: Cast) -> None:
    for header in ("Bearer gjt_nothing", "Bearer ", "Bearer " + "x" * 500):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/accounts/me")
        assert response.status_code == 401 and response.json()["detail"], header


def test_disabled_user_and_forced_password_change(cast: Cast) -> None:
    client, _secret = bearer(cast.unit_user)
    cast.unit_user.must_change_password = True
    cast.unit_user.save(update_fields=["must_change_password"])
    response = client.get("/api/accounts/me")
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"
    cast.unit_user.must_change_password, cast.unit_user.is_active = False, False
    cast.unit_user.save(update_fields=["must_change_password", "is_active"])
    assert client.get("/api/accounts/me").status_code == 401
    assert AuditEntry.objects.filter(action="api_token.use", reason="账号已停用").exists()


def test_a_token_cannot_make_another(cast: Cast) -> None:
    client, _secret = bearer(cast.unit_user)
    body = assert_refused(post(client, "/api/accounts/tokens/", {"name": "再来一个"}), (409,))
    assert body["code"] == "session_required" and ApiToken.objects.filter(user=cast.unit_user).count() == 1


def test_administrator_needs_the_second_step_to_create_one(cast: Cast) -> None:
    with override_settings(OTP_REQUIRED=True):
        from gongjian.api.tokens import TokenRefused, token_create

        cast.city_admin.is_verified = lambda: False  # type: ignore[attr-defined]
        try:
            token_create(actor=cast.city_admin, name="手机")
        except TokenRefused as exc:
            assert exc.code == "second_factor_required"
        else:
            raise AssertionError("an unverified administrator created a token")
    assert not ApiToken.objects.filter(user=cast.city_admin).exists()


def test_someone_elses_token_is_404(cast: Cast) -> None:
    _client, _secret = bearer(cast.unit_user)
    token = ApiToken.objects.get(user=cast.unit_user)
    assert post(session(cast.outsider), f"/api/accounts/tokens/{token.pk}/revoke").status_code == 404
    assert post(session(cast.village_user), f"/api/accounts/tokens/{token.pk}/revoke").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_token_page_shows_the_secret_once(cast: Cast) -> None:
    client = session(cast.village_user)
    response = client.post("/accounts/tokens/", {"name": "微信小程序", "days": "7"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.village_user)
    page = response.content.decode()
    assert token.prefix in page and "<svg" in page
    again = client.get("/accounts/tokens/").content.decode()
    assert "微信小程序" in again and token.prefix in again and "只显示这一次" not in again
    refused = client.post("/accounts/tokens/", {"name": "太长", "days": "9999"})
    assert refused.status_code == 422 and "有效期" in refused.content.decode()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert session(cast.outsider).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404


def test_a_verified_administrator_may_create_one(cast: Cast) -> None:
    from gongjian.api.tokens import token_create

    with override_settings(OTP_REQUIRED=True):
        cast.city_admin.is_verified = lambda: True  # type: ignore[attr-defined]
        issued = token_create(actor=cast.city_admin, name="手机")
    assert issued.token.user_id == cast.city_admin.pk and issued.secret.startswith("gjt_")


def test_a_token_cannot_write_outside_its_users_scope(cast: Cast) -> None:
    client, _secret = bearer(cast.sibling_admin)
    response = client.patch(
        f"/api/orgs/{cast.village.pk}", data='{"needs": ["medical"]}', content_type="application/json"
    )
    assert response.status_code == 404
    assert [r.code for r in cast.village.needs.all()] == ["funds", "technology"]
    # The refused request is on record under the token's user.
    assert AuditEntry.objects.filter(action="access_denied", actor_id=cast.sibling_admin.pk).exists()

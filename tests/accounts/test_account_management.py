"""Account management in the app (issue 12 items 6–7): managers create, disable, enable,
unlock and reset the accounts of their subtree; roles are the security administrator's;
nobody changes their own account; outsiders get 404; every action and refusal is audited."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import Role, User
from gongjian.audit.models import AuditEntry
from tests.conftest import PASSWORD, Cast, make_user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sign_in(username: str, password: str) -> tuple[Client, int]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client, response.status_code


def _one_time_password(html: str) -> str:
    found = re.search(r"<code>([^<]+)</code>", html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
def admins(cast: Cast) -> dict[str, User]:
    return {
        "system": make_user("sysadmin", Role.SYSTEM_ADMIN, cast.city),
        "security": make_user("secadmin", Role.SECURITY_ADMIN, cast.city),
    }


def test_a_committee_admin_creates_an_account_that_must_change_its_password(cast: Cast) -> None:
    client = _client(cast.committee_admin)
    form = client.get("/accounts/users/new/").content.decode()
    assert 'value="unit_user"' in form and 'value="committee_admin"' not in form
    page = client.post(
        "/accounts/users/new/",
        {"username": "nongye2", "full_name": "赵敏", "role": "unit_user", "organization_code": cast.unit.code},
    )
    assert page.status_code == 200
    password = _one_time_password(page.content.decode())
    account = User.objects.get(username="nongye2")
    assert (account.role, account.organization_id, account.must_change_password) == ("unit_user", cast.unit.pk, True)
    assert not account.check_password("") and account.password != password  # hashed, not stored in clear

    newcomer, status = _sign_in("nongye2", password)
    assert status == 302
    assert newcomer.get("/orgs/")["Location"].startswith("/accounts/password/")
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.success and entry.after["username"] == "nongye2" and password not in str(entry.after)


def test_a_manager_cannot_give_a_role_above_theirs_or_reach_outside_their_subtree(cast: Cast) -> None:
    client = _client(cast.committee_admin)
    page = client.post(
        "/accounts/users/new/",
        {"username": "x1", "full_name": "某", "role": "committee_admin", "organization_code": cast.unit.code},
    ).content.decode()
    assert "committee_admin" not in [u.role for u in User.objects.filter(username="x1")]
    assert "errorlist" in page or "error-text" in page
    page = client.post(
        "/accounts/users/new/",
        {"username": "x2", "full_name": "某", "role": "unit_user", "organization_code": cast.sibling_unit.code},
    ).content.decode()
    assert "管理范围内没有编码" in page
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


@pytest.mark.parametrize("who", ["outsider", "sibling_admin"])
def test_accounts_outside_the_subtree_are_404(cast: Cast, who: str) -> None:
    client = _client(getattr(cast, who))
    for url in [
        f"/accounts/users/{cast.unit_user.pk}/",
        f"/accounts/users/{cast.unit_user.pk}/disable/",
        f"/accounts/users/{cast.unit_user.pk}/password/",
    ]:
        response = client.post(url) if url.endswith("/disable/") or url.endswith("/password/") else client.get(url)
        assert response.status_code == 404, url
    assert User.objects.get(pk=cast.unit_user.pk).is_active
    assert f"/accounts/users/{cast.unit_user.pk}/" not in client.get("/accounts/users/").content.decode()


@pytest.mark.parametrize("who", ["unit_user", "village_user", "auditor"])
def test_non_managers_have_no_account_pages(cast: Cast, who: str) -> None:
    assert _client(getattr(cast, who)).get("/accounts/users/").status_code == 404


def test_disabling_ends_the_sessions_and_enabling_restores_sign_in(cast: Cast) -> None:
    unit_client, status = _sign_in("unit", PASSWORD)
    assert status == 302 and unit_client.get("/orgs/").status_code == 200
    admin = _client(cast.committee_admin)
    admin.post(f"/accounts/users/{cast.unit_user.pk}/disable/")
    assert unit_client.get("/orgs/").status_code == 302
    assert _sign_in("unit", PASSWORD)[1] == 200  # the form again: a disabled account cannot sign in
    admin.post(f"/accounts/users/{cast.unit_user.pk}/enable/")
    assert _sign_in("unit", PASSWORD)[1] == 302
    assert list(
        AuditEntry.objects.filter(action__in=["account.disable", "account.enable"])
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["account.disable", "account.enable"]


def test_a_locked_account_is_unlocked_by_its_manager(cast: Cast, admins) -> None:
    for _ in range(5):
        _sign_in("village", "Wrong@Pass1")
    assert _sign_in("village", PASSWORD)[1] != 302  # locked out
    _client(admins["security"]).post(f"/accounts/users/{cast.village_user.pk}/unlock/")
    assert _sign_in("village", PASSWORD)[1] == 302
    assert AuditEntry.objects.filter(action="account.unlock", success=True).exists()


def test_a_password_reset_gives_a_one_time_password(cast: Cast) -> None:
    page = _client(cast.city_admin).post(f"/accounts/users/{cast.village_user.pk}/password/")
    password = _one_time_password(page.content.decode())
    assert _sign_in("village", PASSWORD)[1] == 200
    client, status = _sign_in("village", password)
    assert status == 302 and client.get("/orgs/")["Location"].startswith("/accounts/password/")


def test_roles_are_the_security_administrators_and_never_ones_own(cast: Cast, admins) -> None:
    # The business city admin cannot grant rights, not even to itself.
    _client(cast.city_admin).post(f"/accounts/users/{cast.city_admin.pk}/role/", {"role": "auditor"})
    _client(cast.city_admin).post(f"/accounts/users/{cast.unit_user.pk}/role/", {"role": "city_admin"})
    _client(admins["security"]).post(f"/accounts/users/{admins['security'].pk}/role/", {"role": "system_admin"})
    assert User.objects.get(pk=cast.city_admin.pk).role == Role.CITY_ADMIN
    assert User.objects.get(pk=cast.unit_user.pk).role == Role.UNIT_USER
    assert User.objects.get(pk=admins["security"].pk).role == Role.SECURITY_ADMIN
    assert AuditEntry.objects.filter(action="account.role_set", success=False).count() == 3

    _client(admins["security"]).post(f"/accounts/users/{cast.unit_user.pk}/role/", {"role": "village_user"})
    assert User.objects.get(pk=cast.unit_user.pk).role == Role.VILLAGE_USER


def test_the_system_administrator_manages_accounts_but_reads_no_business_data(cast: Cast, admins) -> None:
    client = _client(admins["system"])
    assert f"/accounts/users/{cast.unit_user.pk}/" in client.get("/accounts/users/").content.decode()
    assert client.get(f"/orgs/{cast.village.pk}/").status_code == 404
    assert client.get("/audit/").status_code == 404


def _sheet(rows: list[list[str]]) -> SimpleUploadedFile:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["账号", "姓名", "角色", "组织编码", "手机号码"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("账号.xlsx", out.getvalue())


def test_an_account_sheet_with_one_bad_row_imports_nothing(cast: Cast) -> None:
    client = _client(cast.committee_admin)
    bad = _sheet(
        [
            ["nong1", "钱一", "结对单位用户", cast.unit.code, "13800000001"],
            ["nong2", "钱二", "区县/工作党委管理员", cast.unit.code, ""],
            ["nong3", "钱三", "村党组织用户", cast.sibling_village.code, "1380000"],
            ["nong1", "钱四", "unit_user", cast.unit.code, ""],
        ]
    )
    page = client.post("/accounts/users/import/", {"file": bad})
    assert page.status_code == 400
    text = page.content.decode()
    for reason in ["不能创建", "管理范围内没有编码", "11 位数字", "文件中重复的账号"]:
        assert reason in text, reason
    assert not User.objects.filter(username__startswith="nong").exists()


def test_an_account_sheet_creates_every_account_with_a_one_time_password(cast: Cast) -> None:
    client = _client(cast.committee_admin)
    good = _sheet(
        [
            ["nong1", "钱一", "结对单位用户", cast.unit.code, "13800000001"],
            ["cun1", "孙一", "village_user", cast.village.code, ""],
        ]
    )
    page = client.post("/accounts/users/import/", {"file": good})
    assert page.status_code == 200
    passwords = re.findall(r"<code>([^<]+)</code>", page.content.decode())
    assert len(passwords) == 2
    accounts = User.objects.filter(username__in=["nong1", "cun1"]).order_by("username")
    assert [(a.username, a.role, a.must_change_password) for a in accounts] == [
        ("cun1", "village_user", True),
        ("nong1", "unit_user", True),
    ]
    assert _sign_in("nong1", passwords[0])[1] == 302
    assert AuditEntry.objects.get(action="account.import").after["created"] == ["nong1", "cun1"]

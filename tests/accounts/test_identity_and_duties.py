"""Level-3 identity and duties (GB/T 22239-2019 8.1.4.1 a, 8.1.4.2 c; issue 12 items 6–7):
an account name is unique whatever its case, and what a superuser does in the Django admin is
on the audit administrator's page like any other write."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.test import Client

from gongjian.accounts.errors import AccountActionRefused
from gongjian.accounts.models import Role, User
from gongjian.accounts.services import account_create
from gongjian.audit.models import AuditEntry
from gongjian.orgs.models import Tag
from tests.conftest import Cast, make_user


@pytest.mark.parametrize("username", ["county", "COUNTY", "County"])
def test_an_account_name_is_unique_whatever_its_case(cast: Cast, username: str) -> None:
    system_admin = make_user("sysadmin", Role.SYSTEM_ADMIN, cast.city)
    with pytest.raises(AccountActionRefused) as refused:
        account_create(
            actor=system_admin, username=username, full_name="重名", role=Role.UNIT_USER, organization=cast.unit
        )
    assert refused.value.code == "duplicate"
    assert User.objects.filter(username__iexact="county").count() == 1
    row = AuditEntry.objects.get(action="account.create", success=False)
    assert row.actor_username == "sysadmin" and "已存在" in row.reason


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_account_name_differing_only_in_case(cast: Cast) -> None:
    """Not only the service: an import, the shell or the Django admin cannot add "COUNTY" beside
    "county" either (a unique index on lower(username))."""
    with pytest.raises(IntegrityError):
        User.objects.create(username="COUNTY", role=Role.UNIT_USER, organization=cast.unit)


def test_superuser_work_in_the_django_admin_is_on_the_auditors_page(cast: Cast) -> None:
    root = User.objects.create_superuser("root", password=None)
    client = Client()
    client.force_login(root)
    response = client.post("/django-admin/orgs/tag/add/", {"code": "secret_tag", "name": "超级用户加的标签"})
    assert response.status_code == 302, response.content.decode()[:2000]
    tag = Tag.objects.get(code="secret_tag")
    row = AuditEntry.objects.get(action="admin.tag.create")
    assert (row.actor_username, row.object_id, row.success) == ("root", str(tag.pk), True)

    auditor = Client()
    auditor.force_login(cast.auditor)  # the city's audit administrator
    page = auditor.get("/audit/", {"q": "root"}).content.decode()
    assert "超级用户加的标签" in page
    business = Client()
    business.force_login(cast.city_admin)  # the business city admin has no audit log
    assert business.get("/audit/").status_code == 404

"""Reading accounts for their managers: only the accounts of the subtree they manage
(``orgs.scope.accounts_in_scope``); anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gongjian.accounts.models import Role, User
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import Scope, accounts_in_scope


def account_list(*, user: Any, query: str = "", role: str = "") -> QuerySet[User]:
    """The accounts the user manages, filtered by a word (account, name, organization) and a role."""
    qs = accounts_in_scope(user, User.objects.select_related("organization")).order_by("organization__path", "username")
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(organization__name__icontains=query)
        )
    if role:
        qs = qs.filter(role=role)
    return qs


def role_choices() -> list[tuple[str, Any]]:
    """The roles an account list may be filtered by (value, label)."""
    return list(Role.choices)


def account_get(*, user: Any, pk: Any) -> User:
    """One account the user manages (404 otherwise)."""
    try:
        return accounts_in_scope(user, User.objects.select_related("organization")).get(pk=int(pk))
    except (User.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404(_("该账号不在您的管理范围内")) from exc


def organizations_for_accounts(*, user: Any) -> QuerySet[Organization]:
    """The organizations a new account of the user's may belong to."""
    return Scope.of(user).account_organizations().filter(is_active=True).order_by("path")


def organization_by_code(*, user: Any, code: str) -> Organization | None:
    """An organization of the user's subtree by its code (for the account import)."""
    return organizations_for_accounts(user=user).filter(code=code).first()

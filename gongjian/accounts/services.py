"""Account management inside the platform (issue 12 item 7; GB/T 22239-2019 level 3,
身份鉴别 and 三员分立). Every write is audited with before/after; a refusal too.

Who does what:
- the system administrator and the city and committee admins create, import, disable,
  enable and unlock the accounts of their subtree and reset their passwords; each may
  give only the roles below their own (``GRANTABLE``);
- the security administrator changes roles (the three administrators' included), unlocks
  and resets second factors;
- nobody changes their own account here (no one grants themselves rights).
A new or reset account gets a one-time password and must choose its own at first sign-in.
"""

from __future__ import annotations

import secrets
import string
from importlib import import_module
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian.accounts.errors import AccountActionRefused
from gongjian.accounts.models import Role, User, UserSession
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audited, snapshot
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import Scope, organization_path

ACCOUNT_FIELDS = ["username", "first_name", "role", "organization_id", "phone", "is_active", "must_change_password"]
BUSINESS_ROLES = frozenset({Role.CITY_ADMIN, Role.COMMITTEE_ADMIN, Role.UNIT_USER, Role.VILLAGE_USER})
# The roles each manager may give when creating an account (never one at or above their own).
GRANTABLE: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: BUSINESS_ROLES,
    Role.CITY_ADMIN: frozenset({Role.COMMITTEE_ADMIN, Role.UNIT_USER, Role.VILLAGE_USER}),
    Role.COMMITTEE_ADMIN: frozenset({Role.UNIT_USER, Role.VILLAGE_USER}),
}
# Who may disable, enable and reset passwords; who may unlock; who may change roles.
MANAGERS = frozenset({Role.SYSTEM_ADMIN, Role.CITY_ADMIN, Role.COMMITTEE_ADMIN})
UNLOCKERS = MANAGERS | {Role.SECURITY_ADMIN}
ROLE_SETTERS = frozenset({Role.SECURITY_ADMIN})
ONE_TIME_LENGTH = 12


def one_time_password() -> str:
    """A random password that meets the password rules (upper, lower, digit and symbol)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "@#%+=?"]
    chars = [secrets.choice(pool) for pool in pools]
    alphabet = "".join(pools)
    chars += [secrets.choice(alphabet) for _ in range(ONE_TIME_LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _in_scope(actor: Any, organization: Organization | None) -> bool:
    return Scope.of(actor).manages_account_of(organization)


def _check(actor: Any, target: User | None, allowed: frozenset[str], organization: Organization | None) -> None:
    if getattr(actor, "role", "") not in allowed:
        raise AccountActionRefused(_("您的角色不能执行此账号操作"), code="role")
    if target is not None and target.pk == actor.pk:
        raise AccountActionRefused(_("不能在这里修改自己的账号"), code="self")
    if not _in_scope(actor, organization):
        raise AccountActionRefused(_("该组织不在您的管理范围内"), code="scope", field="organization")


def end_sessions(user: User) -> int:
    """End every signed-in session of the account (after it is disabled or its password reset)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@audits_refusals
def account_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    role: str,
    organization: Organization,
    phone: str = "",
) -> tuple[User, str]:
    """Create an account with a one-time password; returns the account and that password
    (shown once to the manager, never stored in clear)."""
    with audited("account.create", actor=actor, scope_path=organization.path) as record:
        _check(actor, None, frozenset(GRANTABLE), organization)
        if role not in GRANTABLE[actor.role]:  # type: ignore[union-attr]
            raise AccountActionRefused(
                _("您不能创建“%(role)s”账号") % {"role": Role(role).label if role in Role.values else role},
                code="role",
                field="role",
            )
        if User.objects.filter(username__iexact=username).exists():
            raise AccountActionRefused(
                _("账号“%(name)s”已存在") % {"name": username}, code="duplicate", field="username"
            )
        password = one_time_password()
        user = User(username=username, first_name=full_name, role=role, organization=organization, phone=phone)
        user.set_password(password)
        user.must_change_password = True
        user.full_clean(exclude=["password"])
        user.save()
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
        record.target = user
        record.after = snapshot(user, ACCOUNT_FIELDS)
    return user, password


@audits_refusals
def account_set_active(*, actor: Actor, user: User, active: bool) -> User:
    """Disable (its sessions end) or enable an account."""
    action = "account.enable" if active else "account.disable"
    with audited(action, actor=actor, target=user, scope_path=organization_path(user)) as record:
        _check(actor, user, MANAGERS, user.organization)
        record.before = snapshot(user, ACCOUNT_FIELDS)
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            record.extra["sessions_ended"] = end_sessions(user)
        record.after = snapshot(user, ACCOUNT_FIELDS)
    return user


@audits_refusals
def account_unlock(*, actor: Actor, user: User) -> int:
    """Lift a sign-in lockout of the account; returns how many failed attempts were cleared."""
    with audited("account.unlock", actor=actor, target=user, scope_path=organization_path(user)) as record:
        _check(actor, user, UNLOCKERS, user.organization)
        cleared = axes_reset(username=user.username)
        record.after = {"cleared_attempts": cleared}
    return cleared


@audits_refusals
def account_password_reset(*, actor: Actor, user: User) -> str:
    """Give the account a one-time password (returned, shown once); it must change it at
    its next sign-in, and its sessions end now."""
    with audited("account.password_reset", actor=actor, target=user, scope_path=organization_path(user)) as record:
        _check(actor, user, MANAGERS, user.organization)
        password = one_time_password()
        with transaction.atomic():
            user.set_password(password)
            user.save()
            User.objects.filter(pk=user.pk).update(must_change_password=True)
            user.must_change_password = True
        record.extra["sessions_ended"] = end_sessions(user)
        record.after = snapshot(user, ACCOUNT_FIELDS)
    return password


@audits_refusals
def account_role_set(*, actor: Actor, user: User, role: str) -> User:
    """Change an account's role (the security administrator's job; one role per account, so
    no account ever holds two of the three administrators' roles)."""
    with audited("account.role_set", actor=actor, target=user, scope_path=organization_path(user)) as record:
        _check(actor, user, ROLE_SETTERS, user.organization)
        if role not in Role.values:
            raise AccountActionRefused(_("没有这个角色"), code="role", field="role")
        record.before = snapshot(user, ACCOUNT_FIELDS)
        user.role = role
        user.save(update_fields=["role"])
        record.extra["sessions_ended"] = end_sessions(user)
        record.after = snapshot(user, ACCOUNT_FIELDS)
    return user

"""One demo account per role, at the nodes the scope tests need."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from gongjian.accounts.models import Role
from gongjian.orgs.models import Organization

# (username, role, where the user sits, extra permissions). committee_admin2 sits at a sibling
# of committee_admin's county: the two must never see each other's organizations.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("city_admin", Role.CITY_ADMIN, "city_committee", ("orgs.view_personal_data",)),
    ("committee_admin", Role.COMMITTEE_ADMIN, "first_county", ()),
    ("committee_admin2", Role.COMMITTEE_ADMIN, "sibling_county", ()),
    ("unit_user", Role.UNIT_USER, "first_unit", ()),
    ("village_user", Role.VILLAGE_USER, "first_village", ()),
    ("auditor", Role.AUDITOR, "city_committee", ("audit.view_auditentry",)),
    # 三员分立: the system and security administrators of the city.
    ("system_admin", Role.SYSTEM_ADMIN, "city_committee", ()),
    ("security_admin", Role.SECURITY_ADMIN, "city_committee", ()),
    # Only where the scale has a 省委 (province): the admin of the whole province.
    ("province_admin", Role.CITY_ADMIN, "province_committee", ("orgs.view_personal_data",)),
)
DEMO_USERNAMES = tuple(account[0] for account in DEMO_ACCOUNTS)


@dataclass(frozen=True)
class DemoUser:
    """A demo account as the command prints it."""

    username: str
    role: str
    role_label: str
    organization_id: int
    organization_name: str
    permissions: tuple[str, ...]


def create_demo_users(places: dict[str, Organization], password: str) -> list[DemoUser]:
    """Create the accounts; ``places`` maps "city_committee", "first_county"… to organizations."""
    user_model = get_user_model()
    created = []
    for username, role, place, perms in DEMO_ACCOUNTS:
        if place not in places:
            continue
        organization = places[place]
        user = user_model(username=username, role=role, organization=organization)
        user.set_password(password)
        user.save()
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        created.append(DemoUser(username, role, str(Role(role).label), organization.pk, organization.name, perms))
    return created

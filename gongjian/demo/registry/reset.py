"""Clearing the registry before demo data is generated again (``demo --reset``).

The audit log is append-only (a PostgreSQL trigger enforces it): its rows are never
deleted. They keep naming the deleted organizations by id, which is why the writer never
hands out an id twice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Max

from gongjian.demo.registry.users import DEMO_USERNAMES
from gongjian.demo.registry.writer import LEVEL_ORDER
from gongjian.orgs.models import Organization, Person, Region


def delete_registry() -> dict[str, int]:
    """Delete the demo accounts, every organization, person and region; return the counts.

    Other accounts are kept but detached from the organizations they belonged to.
    Organizations go deepest first, so that no parent is deleted while a child still
    points at it (the parent key is PROTECT); the ORM's collector still cascades to the
    figures, tags and whatever other apps hang on an organization, or refuses if they protect it.
    """
    user_model = get_user_model()
    demo_users = user_model.objects.filter(username__in=DEMO_USERNAMES)
    deleted = {"users": demo_users.count()}
    demo_users.delete()
    deleted["users_detached"] = user_model.objects.filter(organization__isnull=False).update(organization=None)
    deleted["people"] = Person.objects.all().delete()[0]
    organizations = Organization.objects.count()
    deepest = Organization.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    for depth in range(deepest, -1, -1):
        Organization.objects.filter(depth=depth).delete()
    deleted["organizations"] = organizations
    regions = 0
    for level in reversed(LEVEL_ORDER):
        regions += Region.objects.filter(level=level).delete()[0]
    deleted["regions"] = regions
    return deleted

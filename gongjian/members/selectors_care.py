"""Reads of the origin organization's records of what it did for its members out (the 七一
letter, the 腊月 forum, 五送一建): what the care page lists and offers, in the user's subtree
(through :class:`gongjian.orgs.scope.Scope`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongjian.members.models import MemberCare, MemberLetter, MemberStatus, MobileMember, WinterForum
from gongjian.members.selectors_mobile import members_visible
from gongjian.orgs.models import Organization, OrgKind, Person
from gongjian.orgs.scope import Scope

# The page lists the latest records of each kind; older ones are in the export.
LATEST = 100


def members_out(*, user: Any) -> QuerySet[MobileMember]:
    """The members out now whom the user sees (origin or host side)."""
    return members_visible(user).filter(status=MemberStatus.OUT)


def care_origins(*, user: Any) -> QuerySet[Organization]:
    """Origins in the user's subtree with members out: the organizations that owe the letter
    and the forum (a host sees members, not their origin's duties)."""
    out = Scope.of(user).filter(members_out(user=user), "origin")
    return Organization.objects.filter(pk__in=out.values("origin_id"))


def care_people(*, user: Any) -> QuerySet[Person]:
    """The villages' party members in the user's subtree (whom 五送一建 may reach)."""
    people = Person.objects.filter(is_party_member=True, organization__kind=OrgKind.VILLAGE)
    return Scope.of(user).filter(people, "organization").order_by("organization__path", "name")


def care_records(*, user: Any) -> dict[str, QuerySet[Any]]:
    """The latest letters, forums and care of the organizations in the user's subtree."""
    scope = Scope.of(user)
    return {
        "letters": scope.filter(MemberLetter.objects.all(), "organization").select_related("organization")[:LATEST],
        "forums": scope.filter(WinterForum.objects.all(), "organization").select_related("organization")[:LATEST],
        "cares": scope.filter(MemberCare.objects.all(), "organization").select_related("member", "organization")[
            :LATEST
        ],
    }

"""Reads from the registry, always filtered to the acting user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from gongjian.orgs.models import Organization, Person, Resource, Tag, VillageFigure
from gongjian.orgs.scope import filter_by_organization, organizations_in_scope
from gongjian.orgs.search import filter_by_name


def organization_list(
    *,
    user: Any,
    query: str = "",
    kind: str = "",
    tag: str = "",
    need: str = "",
    parent_id: int | None = None,
) -> QuerySet[Organization]:
    """Organizations the user may see, filtered, in tree order."""
    qs = organizations_in_scope(user).select_related("region", "parent")
    qs = filter_by_name(qs, query)
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__code=tag)
    if need:
        qs = qs.filter(needs__code=need)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return qs.order_by("path")


def organization_get(*, user: Any, pk: int) -> Organization:
    """One organization in the user's scope, or 404."""
    try:
        return organizations_in_scope(user).select_related("region", "parent").get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def organization_children(*, user: Any, organization: Organization) -> QuerySet[Organization]:
    return organizations_in_scope(user).filter(parent=organization).order_by("name")


def organization_counts(*, user: Any) -> dict[str, int]:
    """How many organizations of each kind the user's scope holds."""
    rows = organizations_in_scope(user).values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def village_figures(*, user: Any, village: Organization) -> QuerySet[VillageFigure]:
    return filter_by_organization(VillageFigure.objects.all(), user, "village").filter(village=village)


def person_list(*, user: Any, query: str = "", organization_id: int | None = None) -> QuerySet[Person]:
    """People in the user's scope."""
    qs = filter_by_organization(Person.objects.select_related("organization"), user, "organization")
    qs = filter_by_name(qs, query)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs


def person_get(*, user: Any, pk: int) -> Person:
    try:
        return person_list(user=user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def tag_choices() -> QuerySet[Tag]:
    return Tag.objects.all()


def resource_choices() -> QuerySet[Resource]:
    return Resource.objects.all()

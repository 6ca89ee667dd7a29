"""Reads from the registry, always filtered to the acting user's scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr
from django.http import Http404

from gongjian.orgs.models import VILLAGE_SIDE_KINDS, Organization, OrgKind, Person, Resource, Tag, VillageFigure
from gongjian.orgs.scope import (
    Scope,
    filter_by_organization,
    in_scope,
    organizations_in_scope,
    scope_root,
    under,
)
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


def organizations_for_register_sheet(*, user: Any) -> QuerySet[Organization]:
    """What the organization sheet exports: the user's organizations but the joint ones
    (联建党组织), which the joint organizations' own sheet exports with their members — the
    organization import refuses them, so an exported sheet imports again as it is."""
    return organization_list(user=user).exclude(kind=OrgKind.JOINT)


def organization_get(*, user: Any, pk: int) -> Organization:
    """One organization in the user's scope, or 404."""
    try:
        return organizations_in_scope(user).select_related("region", "parent").get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# What the organization page shows from the apps above the registry, registered by them at
# start-up (rounds: a unit may read the page of a village it is paired with now; the page
# lists the organization's standing pairs). The registry imports no app above it.
PageGrant = Callable[[Scope], QuerySet[Organization]]
PartnerReader = Callable[..., list[Any]]
_page_grants: list[PageGrant] = []
_partner_readers: list[PartnerReader] = []


def register_page_grant(grant: PageGrant) -> None:
    """Add ``grant(scope)``: organizations outside the scope's subtree whose page its user may
    read (never edit: writes still need the subtree)."""
    if grant not in _page_grants:
        _page_grants.append(grant)


def register_partners(reader: PartnerReader) -> None:
    """Add ``reader(user=, organization=)``: the organization's standing pairs for its page
    (rows with ``other``, ``round_name``, ``status_label``, ``other_visible``)."""
    if reader not in _partner_readers:
        _partner_readers.append(reader)


def organization_page_get(*, user: Any, pk: int) -> Organization:
    """An organization whose page the user may open: one of their subtree, or one a grant of
    an app above gives them (read-only: a village a unit of theirs is paired with now);
    anything else is a 404."""
    try:
        return organization_get(user=user, pk=pk)
    except Http404:
        pass
    try:
        return _granted(user, pk).select_related("region", "parent").get()
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _granted(user: Any, pk: int) -> QuerySet[Organization]:
    """The organization ``pk`` if a grant gives the user its page (none otherwise)."""
    scope = Scope.of(user)
    granted = Organization.objects.none()
    for grant in _page_grants:
        granted = granted | grant(scope).filter(pk=pk)
    return Organization.objects.filter(pk__in=granted.values("pk"))


def current_partners(*, user: Any, organization: Organization) -> list[Any]:
    """The organization's standing pairs, for a page the user may open
    (``organization_page_get`` checked that)."""
    return [row for reader in _partner_readers for row in reader(user=user, organization=organization)]


@dataclass(frozen=True)
class TreeNode:
    """A node of the registry tree with the counts shown beside it."""

    organization: Organization
    descendants: int  # every organization below it
    villages: int  # villages (and joint organizations) below it


def tree_root(*, user: Any) -> Organization | None:
    """The top of the tree the user sees (their own node), or None."""
    return scope_root(user)


def tree_children(*, user: Any, parent: Organization) -> QuerySet[Organization]:
    """The direct children of a node of the user's subtree, by name (404 outside it)."""
    if not in_scope(user, parent):
        raise Http404
    return organizations_in_scope(user).filter(parent=parent, is_active=True).order_by("kind", "name", "pk")


def tree_nodes(*, parent: Organization, children: Iterable[Organization]) -> list[TreeNode]:
    """Counts for a page of children in one query: descendants are grouped by the child id
    that follows the parent's path (``/1/4/17/…`` → 17), so a province is never loaded whole."""
    children = list(children)
    start = len(parent.path) + 1
    below = Organization.objects.filter(under(parent), depth__gt=parent.depth + 1, is_active=True)
    rest = Substr(F("path"), start)
    grouped = (
        below.annotate(child=Substr(rest, 1, StrIndex(rest, Value("/")) - 1))
        .filter(child__in=[str(c.pk) for c in children])
        .values("child")
        .annotate(n=Count("id"), v=Count("id", filter=Q(kind__in=list(VILLAGE_SIDE_KINDS))))
    )
    counts = {int(row["child"]): (row["n"], row["v"]) for row in grouped}
    return [
        TreeNode(
            organization=c,
            descendants=counts.get(c.pk, (0, 0))[0],
            villages=counts.get(c.pk, (0, 0))[1],
        )
        for c in children
    ]


def tree_root_node(*, user: Any) -> TreeNode | None:
    """The user's own node with its counts."""
    root = tree_root(user=user)
    if root is None:
        return None
    below = organizations_in_scope(user).exclude(pk=root.pk).filter(is_active=True)
    totals = below.aggregate(n=Count("id"), v=Count("id", filter=Q(kind__in=list(VILLAGE_SIDE_KINDS))))
    return TreeNode(organization=root, descendants=totals["n"], villages=totals["v"])


def organization_children(*, user: Any, organization: Organization) -> QuerySet[Organization]:
    return organizations_in_scope(user).filter(parent=organization).order_by("name")


def organization_counts(*, user: Any) -> dict[str, int]:
    """How many organizations of each kind the user's scope holds."""
    rows = organizations_in_scope(user).values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def village_figures(*, user: Any, village: Organization) -> QuerySet[VillageFigure]:
    """A village's figures: in the user's subtree, or of a village a unit of it is paired with."""
    if _granted(user, village.pk).exists():
        return VillageFigure.objects.filter(village=village)
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


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of organization (机关, 国有企业, 村…), for the registry's filter, in the
    request's language."""
    return [(value, str(label)) for value, label in OrgKind.choices]


def tag_choices() -> QuerySet[Tag]:
    return Tag.objects.all()


def resource_choices() -> QuerySet[Resource]:
    return Resource.objects.all()

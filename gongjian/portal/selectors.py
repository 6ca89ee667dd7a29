"""Reads of the portal's own pages: the workbench after login and the public funds
disclosure (the boards read ``gongjian.rounds.selectors``, the dashboards
``selectors_dashboard``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gongjian.funds import selectors as funds_selectors
from gongjian.orgs.models import Organization, OrgKind, RegionLevel
from gongjian.orgs.selectors import organization_counts

# Kinds that are neither a village nor a unit: the towns and the party committees above them.
NOT_UNITS = (OrgKind.VILLAGE, OrgKind.TOWN, OrgKind.PARTY_COMMITTEE)


@dataclass(frozen=True)
class Workbench:
    """The workbench's counts of the organizations in the user's scope."""

    organizations: int
    villages: int
    units: int


def workbench(*, user: Any) -> Workbench:
    """How many organizations, villages and units (neither village, town nor party
    committee) the user's scope holds."""
    counts = organization_counts(user=user)
    total = sum(counts.values())
    return Workbench(
        organizations=total,
        villages=counts.get(OrgKind.VILLAGE, 0),
        units=total - sum(counts.get(kind, 0) for kind in NOT_UNITS),
    )


def disclosure_villages(query: str = "") -> QuerySet[Organization]:
    """Villages with a published funds disclosure (public), with their town and county."""
    return funds_selectors.public_villages(query).select_related("region__parent")


def village_place(village: Organization) -> tuple[str, str]:
    """(town, county) of a village from its region (the town's region, whose parent is the
    county's); empty where the registry does not say."""
    region = village.region
    if region is None:
        return "", ""
    if region.level == RegionLevel.TOWN:
        return region.name, region.parent.name if region.parent is not None else ""
    if region.level == RegionLevel.COUNTY:
        return "", region.name
    return "", ""

"""Where things are in the tree, for matching: the county (区县委) above a village or a unit.

Computed from materialized paths against one small set of committee ids, so that a
province's 20,000 villages and 30,000 candidates cost no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongjian.orgs.models import Organization, OrgLevel


def path_ids(path: str) -> list[int]:
    """The ids along a materialized path, root first ("/1/4/17/" → [1, 4, 17])."""
    return [int(p) for p in path.strip("/").split("/") if p]


@dataclass
class Committees:
    """County and city committees of the tree: which county a node lies in, which counties
    a city holds."""

    counties: set[int]
    cities: set[int]
    counties_of_city: dict[int, list[int]]

    @classmethod
    def load(cls) -> Committees:
        rows = list(
            Organization.objects.filter(
                level__in=[OrgLevel.COUNTY_COMMITTEE, OrgLevel.CITY_COMMITTEE], is_active=True
            ).values_list("pk", "level", "path")
        )
        counties = {pk for pk, level, _ in rows if level == OrgLevel.COUNTY_COMMITTEE}
        cities = {pk for pk, level, _ in rows if level == OrgLevel.CITY_COMMITTEE}
        by_city: dict[int, list[int]] = {}
        for pk, level, path in rows:
            if level != OrgLevel.COUNTY_COMMITTEE:
                continue
            for ancestor in path_ids(path)[:-1]:
                if ancestor in cities:
                    by_city.setdefault(ancestor, []).append(pk)
        return cls(counties, cities, by_city)

    def county_of(self, path: str) -> int | None:
        """The nearest county committee on the path (the node itself included)."""
        for pk in reversed(path_ids(path)):
            if pk in self.counties:
                return pk
        return None

    def region_of(self, path: str) -> list[int]:
        """Where a unit's people serve by default: its county, else every county of its city."""
        county = self.county_of(path)
        if county is not None:
            return [county]
        for pk in reversed(path_ids(path)):
            if pk in self.cities:
                return sorted(self.counties_of_city.get(pk, []))
        return []

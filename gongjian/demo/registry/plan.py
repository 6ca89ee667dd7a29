"""The demo data set in memory, before it touches the database.

Building everything as plain objects first keeps generation deterministic (one seeded
random stream, no database ids involved) and lets the writer insert it in a few bulk
statements. The benchmark turns the same plan into an import file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class RegionNode:
    """A division: province, city, county (区县) or town (乡镇街道)."""

    index: int
    name: str
    level: str
    code: str
    parent: int | None


@dataclass
class FigureDraft:
    """One year of a village's figures."""

    year: int
    households: int
    population: int
    party_members: int
    collective_income: Decimal


@dataclass
class PersonDraft:
    name: str
    post: str
    phone: str
    id_number: str
    is_party_member: bool = True


@dataclass
class OrgNode:
    """An organization; ``parent`` and ``region`` are indexes into the plan's lists."""

    index: int
    code: str
    name: str
    level: str
    kind: str
    parent: int | None
    depth: int
    region: int | None
    county_code: str  # whose GB/T 2260 code starts its people's ID numbers
    line: str = ""
    capacity: int = 0
    tags: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    figures: list[FigureDraft] = field(default_factory=list)
    people: list[PersonDraft] = field(default_factory=list)


@dataclass
class Plan:
    """A whole demo data set; ``orgs`` lists every parent before its children."""

    scale: str
    seed: int
    regions: list[RegionNode] = field(default_factory=list)
    orgs: list[OrgNode] = field(default_factory=list)
    # Where the demo users sit (indexes into ``orgs``).
    province_committee: int = -1  # only when the scale has several cities
    city_committee: int = -1
    first_county: int = -1
    sibling_county: int = -1
    first_unit: int = -1
    first_village: int = -1

    def add_region(self, name: str, level: str, code: str, parent: int | None) -> int:
        """Append a division; returns its index."""
        self.regions.append(RegionNode(len(self.regions), name, level, code, parent))
        return len(self.regions) - 1

    def add_org(
        self,
        *,
        code: str,
        name: str,
        level: str,
        kind: str,
        parent: int | None,
        region: int | None,
        county_code: str,
        line: str = "",
        capacity: int = 0,
    ) -> OrgNode:
        """Append an organization under ``parent`` (already in the plan)."""
        depth = 0 if parent is None else self.orgs[parent].depth + 1
        node = OrgNode(
            index=len(self.orgs),
            code=code,
            name=name,
            level=level,
            kind=kind,
            parent=parent,
            depth=depth,
            region=region,
            county_code=county_code,
            line=line,
            capacity=capacity,
        )
        self.orgs.append(node)
        return node

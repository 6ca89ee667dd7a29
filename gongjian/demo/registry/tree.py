"""Building the demo tree: regions, then 市委 → 区县委 / 工作党委 → towns and units → villages.

Codes follow GB/T 2260: a city ``PPCC00``, a county ``PPCCDD``, a town the county's code and
three digits (001– 街道, 100– 镇, 200– 乡), a village or community the town's code and three
more (0xx 社区, 2xx 村), as the statistics bureau numbers them. Organizations are coded after
their division: a town's or village's party organization takes the division's code; the
others their place's six digits and a four-digit sequence.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from gongjian.demo.registry import profiles
from gongjian.demo.registry.catalogue import COUNTY_MIX, SUFFIX, WORK_COMMITTEES, UnitDraft, UnitNamer
from gongjian.demo.registry.names import PROVINCE_NAMES, community_stem, place_stem, unique_name, village_stem
from gongjian.demo.registry.people import PersonFactory
from gongjian.demo.registry.plan import OrgNode, Plan
from gongjian.demo.registry.scales import Scale, split
from gongjian.orgs.models import OrgKind, OrgLevel, RegionLevel

PROVINCE_CODES = ("61", "43", "36", "41", "34", "35", "52", "62", "14", "13")
WORK_COMMITTEE_WEIGHTS = {
    "organs": 0.32,
    "sasac": 0.2,
    "education": 0.18,
    "health": 0.14,
    "finance": 0.08,
    "science": 0.05,
    "nonpublic": 0.1,
}


@dataclass
class County:
    """A county or district before its organizations are built."""

    name: str
    code: str
    region: int
    rural: bool
    villages: int
    units: int


class TreeBuilder:
    """Builds one :class:`Plan`; every random choice comes from one seeded stream."""

    def __init__(self, scale: Scale, seed: int, year: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.plan = Plan(scale=scale.name, seed=seed)
        self.year = year
        self.place_names: set[str] = set()  # cities and counties: unique in the province
        self.unit_names: set[str] = set()  # units (communities apart): unique in the data set
        self.sequence: dict[str, int] = defaultdict(int)

    def place_name(self, suffix: str) -> str:
        """A city or county name not yet used in the province."""
        return unique_name(lambda: place_stem(self.rng) + suffix, self.place_names)

    def code(self, place_code: str) -> str:
        """The next organization code of a place: its division code and a sequence number."""
        number = self.sequence[place_code]
        self.sequence[place_code] += 1
        return f"{place_code}{number:04d}"

    def build(self) -> Plan:
        """The whole plan: tree first, then tags, needs, figures, resources and people."""
        scale, rng = self.scale, self.rng
        choice = rng.randrange(len(PROVINCE_NAMES))
        province_code = PROVINCE_CODES[choice]
        province = self.plan.add_region(
            PROVINCE_NAMES[choice] + "省", RegionLevel.PROVINCE, f"{province_code}0000", None
        )
        county_units = round(scale.units * (1 - scale.work_committee_share))
        cities = scale.cities
        province_root: int | None = None
        if cities > 1:
            # Several cities: one 省委 above them, so that a province-wide round has one scope.
            node = self.plan.add_org(
                code=self.code(f"{province_code}0000"),
                name=PROVINCE_NAMES[choice] + "省委",
                level=OrgLevel.PROVINCE_COMMITTEE,
                kind=OrgKind.PARTY_COMMITTEE,
                parent=None,
                region=province,
                county_code=f"{province_code}0101",
            )
            province_root = self.plan.province_committee = node.index
        for i, (villages, units, wc_units) in enumerate(
            zip(
                split(scale.villages, [rng.uniform(0.85, 1.15) for _ in range(cities)]),
                split(county_units, [1.0] * cities),
                split(scale.units - county_units, [1.0] * cities),
                strict=True,
            )
        ):
            self.build_city(province, f"{province_code}{i + 1:02d}00", villages, units, wc_units, province_root)
        self.fill_in()
        return self.plan

    def build_city(
        self, province: int, city_code: str, villages: int, units: int, wc_units: int, parent: int | None
    ) -> None:
        plan = self.plan
        city_name = self.place_name("市")
        city_region = plan.add_region(city_name, RegionLevel.CITY, city_code, province)
        counties = self.plan_counties(city_name, city_code, city_region, villages, units)
        root = self.city_committee(city_name, city_code, city_region, counties[0].code, parent)
        # Rural counties first, so that the first county of the first city has villages.
        for county in sorted(counties, key=lambda c: not c.rural):
            self.build_county(root, city_name, county)
        self.work_committees(root, city_name, city_code, city_region, [c.code for c in counties], wc_units)

    def city_committee(self, name: str, code: str, region: int, county_code: str, parent: int | None) -> int:
        """The 市委; the first one built is where the demo's city administrator sits."""
        root = self.plan.add_org(
            code=self.code(code),
            name=name + "委",
            level=OrgLevel.CITY_COMMITTEE,
            kind=OrgKind.PARTY_COMMITTEE,
            parent=parent,
            region=region,
            county_code=county_code,
        )
        if self.plan.city_committee < 0:
            self.plan.city_committee = root.index
        return root.index

    def work_committees(
        self, root: int, city_name: str, city_code: str, city_region: int, county_codes: list[str], units: int
    ) -> None:
        """The city's work committees (机关、国资…) with ``units`` units among them."""
        rng, keys = self.rng, self.scale.work_committees
        budgets = split(units, [WORK_COMMITTEE_WEIGHTS[k] for k in keys])
        namer = UnitNamer(rng, place=city_name, committee=city_name + "委", city=city_name, taken=self.unit_names)
        for key, budget in zip(keys, budgets, strict=True):
            template, mix = WORK_COMMITTEES[key]
            committee = self.plan.add_org(
                code=self.code(city_code),
                name=template.format(p=city_name, w=city_name + "委"),
                level=OrgLevel.WORK_COMMITTEE,
                kind=OrgKind.PARTY_COMMITTEE,
                parent=root,
                region=city_region,
                county_code=rng.choice(county_codes),
            )
            for draft in namer.units(mix, budget):
                self.add_unit(draft, committee.index, city_region, city_code, rng.choice(county_codes))

    def county_committee(self, root: int, county: County) -> int:
        """A 区县委; the first two under the first city are the demo's two county administrators'."""
        plan = self.plan
        committee = plan.add_org(
            code=self.code(county.code),
            name=county.name + "委",
            level=OrgLevel.COUNTY_COMMITTEE,
            kind=OrgKind.PARTY_COMMITTEE,
            parent=root,
            region=county.region,
            county_code=county.code,
        )
        if root == plan.city_committee:
            if plan.first_county < 0:
                plan.first_county = committee.index
            elif plan.sibling_county < 0:
                plan.sibling_county = committee.index
        return committee.index

    def county_units(self, committee: int, city_name: str, county: County, count: int) -> None:
        """``count`` units of the county's own (agencies, schools, hospitals, enterprises…)."""
        namer = UnitNamer(
            self.rng, place=county.name, committee=county.name + "委", city=city_name, taken=self.unit_names
        )
        for draft in namer.units(COUNTY_MIX, count):
            unit = self.add_unit(draft, committee, county.region, county.code, county.code)
            if committee == self.plan.first_county and self.plan.first_unit < 0:
                self.plan.first_unit = unit.index

    def plan_counties(
        self, city_name: str, city_code: str, city_region: int, villages: int, units: int
    ) -> list[County]:
        """The city's districts and counties with their shares of villages and units."""
        scale, rng = self.scale, self.rng
        rural_weights = list(scale.county_weights or [rng.uniform(0.75, 1.25) for _ in range(scale.rural_counties)])
        village_counts = split(villages, rural_weights)
        unit_weights = [rng.uniform(1.1, 1.5) for _ in range(scale.urban_districts)] + rural_weights
        unit_counts = split(units, unit_weights)
        counties = []
        prefix = city_code[:4]
        for i in range(scale.urban_districts + scale.rural_counties):
            rural = i >= scale.urban_districts
            suffix = scale.rural_suffix if rural else "区"
            number = i + 2 if suffix == "区" else 21 + i - scale.urban_districts
            name = self.place_name(suffix)
            code = f"{prefix}{number:02d}"
            region = self.plan.add_region(name, RegionLevel.COUNTY, code, city_region)
            counties.append(
                County(
                    name, code, region, rural, village_counts[i - scale.urban_districts] if rural else 0, unit_counts[i]
                )
            )
        return counties

    def build_county(self, root: int, city_name: str, county: County) -> None:
        """A county committee, its towns with villages, its 街道 with communities, its units."""
        rng = self.rng
        committee = self.county_committee(root, county)
        if county.rural:
            towns = max(2, round(county.villages / rng.uniform(*self.scale.villages_per_town)))
            streets = 1 if county.villages < 150 else 2
            communities = min(county.units // 3, sum(rng.randint(3, 6) for _ in range(streets)))
        else:
            towns, streets = 0, rng.randint(6, 12)
            communities = round(county.units * 0.35)
        town_stems: set[str] = set()
        community_names: set[str] = set()
        for street, count in enumerate(split(communities, [rng.uniform(0.7, 1.3) for _ in range(streets)])):
            name = unique_name(lambda: place_stem(rng), town_stems) + "街道"
            self.build_street(committee, county, name, f"{county.code}{street + 1:03d}", count, community_names)
        for town, count in enumerate(split(county.villages, [rng.uniform(0.6, 1.4) for _ in range(towns)])):
            township = self.scale.rural_suffix == "县" and rng.random() < 0.3
            name = unique_name(lambda: place_stem(rng), town_stems) + ("乡" if township else "镇")
            code = f"{county.code}{(200 if township else 100) + town:03d}"
            self.build_town(committee, county, name, code, count)
        self.county_units(committee, city_name, county, county.units - communities)

    def build_street(
        self, parent: int, county: County, name: str, code: str, communities: int, taken: set[str]
    ) -> None:
        """A 街道党工委 and its communities (units: they help villages too)."""
        region = self.plan.add_region(name, RegionLevel.TOWN, code, county.region)
        self.plan.add_org(
            code=code,
            name=name + "党工委",
            level=OrgLevel.COMMITTEE,
            kind=OrgKind.TOWN,
            parent=parent,
            region=region,
            county_code=county.code,
        )
        street = len(self.plan.orgs) - 1
        for i in range(communities):
            stem = unique_name(lambda: community_stem(self.rng), taken)
            level = self.rng.choice((OrgLevel.COMMITTEE, OrgLevel.GENERAL_BRANCH, OrgLevel.BRANCH))
            draft = UnitDraft(f"{stem}社区{SUFFIX[level]}", OrgKind.COMMUNITY, level)
            self.add_unit(draft, street, region, f"{code}{i + 1:03d}", county.code, own_code=True)

    def build_town(self, parent: int, county: County, name: str, code: str, villages: int) -> None:
        """A 镇/乡 party committee and its villages' branches, names unique within the town."""
        plan = self.plan
        region = plan.add_region(name, RegionLevel.TOWN, code, county.region)
        town = plan.add_org(
            code=code,
            name=name + "党委",
            level=OrgLevel.COMMITTEE,
            kind=OrgKind.TOWN,
            parent=parent,
            region=region,
            county_code=county.code,
        )
        stems: set[str] = set()
        for i in range(villages):
            stem = unique_name(lambda: village_stem(self.rng), stems)
            village = plan.add_org(
                code=f"{code}{200 + i:03d}",
                name=f"{stem}村党支部",
                level=OrgLevel.BRANCH,
                kind=OrgKind.VILLAGE,
                parent=town.index,
                region=region,
                county_code=county.code,
            )
            if plan.first_village < 0 and parent == plan.first_county:
                plan.first_village = village.index

    def add_unit(
        self, draft: UnitDraft, parent: int, region: int, place_code: str, county_code: str, *, own_code: bool = False
    ) -> OrgNode:
        return self.plan.add_org(
            code=place_code if own_code else self.code(place_code),
            name=draft.name,
            level=draft.level,
            kind=draft.kind,
            line=draft.line,
            parent=parent,
            region=region,
            county_code=county_code,
        )

    def fill_in(self) -> None:
        """Tags, needs and figures of villages; resources and capacity of units; people."""
        rng, scale = self.rng, self.scale
        villages = [o for o in self.plan.orgs if o.kind == OrgKind.VILLAGE]
        profiles.tag_villages(rng, villages)
        people = PersonFactory(rng, self.year)
        years = (self.year - 2, self.year - 1)
        for org in self.plan.orgs:
            if org.kind == OrgKind.VILLAGE:
                profiles.village_needs(rng, org)
                profiles.village_figures(rng, org, years)
                org.people = people.staff(org, scale.people_per_village)
                continue
            if org.kind not in (OrgKind.PARTY_COMMITTEE, OrgKind.TOWN):
                profiles.unit_profile(rng, org)
            org.people = people.staff(org, rng.randint(*scale.people_per_unit))


def build_plan(scale: Scale, seed: int, year: int) -> Plan:
    """The demo data set for ``scale`` as plain objects; the same seed gives the same plan."""
    if scale.from_register:
        from gongjian.demo.registry.register_tree import RegisterTreeBuilder  # it builds on this module

        return RegisterTreeBuilder(scale, seed, year).build()
    return TreeBuilder(scale, seed, year).build()

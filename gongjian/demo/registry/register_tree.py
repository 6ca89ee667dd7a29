"""The demo tree on real places: provinces, cities, counties, towns and villages from the
national register of divisions (:mod:`gongjian.orgs.register`); units and people generated.

A scale names its places by code (``Scale.places``): a county scale 商南县 (seed 002) with
its neighbour 柞水县 under 商洛市委, a city scale 晋城市 (seed 000) with all its counties, a
province scale 陕西省, and the nation every province. Each village committee (村委会) of the
register becomes a village party branch with the register's 12-digit code; each residents'
committee (居委会) a community, which helps villages like any unit; each 乡镇街道 a town
committee with its 9-digit code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from gongjian.demo.registry.catalogue import SUFFIX, UnitDraft
from gongjian.demo.registry.plan import Plan
from gongjian.demo.registry.scales import split
from gongjian.demo.registry.tree import County, TreeBuilder
from gongjian.orgs import register
from gongjian.orgs.models import OrgKind, OrgLevel, RegionLevel
from gongjian.orgs.register import Division


@dataclass
class Area:
    """A county or district as the register has it, with its towns and their committees."""

    entry: Division
    towns: list[Division] = field(default_factory=list)
    committees: dict[str, list[Division]] = field(default_factory=dict)  # town code → its 村/居委会

    @property
    def villages(self) -> int:
        return sum(c.is_village for members in self.committees.values() for c in members)

    @property
    def communities(self) -> int:
        return sum(not c.is_village for members in self.committees.values() for c in members)

    @property
    def weight(self) -> float:
        """Its share of units: villages need helpers, communities and towns host units."""
        return self.villages + 2 * self.communities + 10


def _areas(codes: tuple[str, ...]) -> dict[Division, dict[Division, list[Area]]]:
    """Province → city → areas for the scale's codes (a province, a city or single areas;
    no code means every province). Streets and committees are read once per province."""
    wanted: dict[str, set[str] | None] = {}  # province code → area codes wanted (None: all)
    for code in codes or tuple(p.code for p in register.provinces()):
        entry = register.division(code)
        if entry is None:
            raise ValueError(f"国家区划名录中没有代码 {code}")
        province_code = code[:2]
        if entry.level == "area":
            areas = wanted.setdefault(province_code, set())
            if areas is not None:
                areas.add(entry.code)
        elif entry.level == "city":
            areas = wanted.setdefault(province_code, set())
            if areas is not None:
                areas.update(a.code for a in register.children(entry.code))
        else:
            wanted[province_code] = None
    result: dict[Division, dict[Division, list[Area]]] = {}
    for province_code, area_codes in wanted.items():
        province = register.division(province_code)
        assert province is not None  # the code was found above
        committees: dict[str, list[Division]] = defaultdict(list)
        for committee in register.villages_under(province_code):
            committees[committee.parent_code].append(committee)
        cities: dict[Division, list[Area]] = {}
        for city in register.children(province_code):
            for entry in register.children(city.code):
                if area_codes is not None and entry.code not in area_codes:
                    continue
                towns = register.children(entry.code)
                area = Area(entry, towns, {t.code: committees.get(t.code, []) for t in towns})
                cities.setdefault(city, []).append(area)
        result[province] = cities
    return result


class RegisterTreeBuilder(TreeBuilder):
    """A :class:`TreeBuilder` whose divisions come from the register instead of a name generator."""

    def build(self) -> Plan:
        scale = self.scale
        provinces = _areas(scale.places)
        cities = [(p, c, areas) for p, by_city in provinces.items() for c, areas in by_city.items()]
        weights = [sum(a.weight for a in areas) for _p, _c, areas in cities]
        county_units = round(scale.units * (1 - scale.work_committee_share))
        county_budgets = split(county_units, weights)
        committee_budgets = split(scale.units - county_units, weights)
        province_regions: dict[str, int] = {}
        province_roots: dict[str, int | None] = {}
        for index, (province, city, areas) in enumerate(cities):
            if province.code not in province_regions:
                province_regions[province.code] = self.plan.add_region(
                    province.name, RegionLevel.PROVINCE, province.gb2260, None
                )
                province_roots[province.code] = self.province_committee(
                    province, province_regions[province.code], len(provinces[province])
                )
            self.build_register_city(
                province_regions[province.code],
                city,
                areas,
                county_budgets[index],
                committee_budgets[index],
                province_roots[province.code],
            )
        self.fill_in()
        return self.plan

    def province_committee(self, province: Division, region: int, cities: int) -> int | None:
        """A 省委 above the cities when the scale holds more than one, so one round has one scope."""
        if cities < 2:
            return None
        node = self.plan.add_org(
            code=self.code(province.gb2260),
            name=province.name + "委",
            level=OrgLevel.PROVINCE_COMMITTEE,
            kind=OrgKind.PARTY_COMMITTEE,
            parent=None,
            region=region,
            county_code=province.gb2260,
        )
        if self.plan.province_committee < 0:
            self.plan.province_committee = node.index
        return node.index

    def build_register_city(
        self, province: int, city: Division, areas: list[Area], units: int, wc_units: int, parent: int | None
    ) -> None:
        """A 市委, its counties (rural first) and its work committees with their units."""
        plan = self.plan
        # 省直辖县级行政区划 and 市辖区 are not names a committee bears: fall back to the province's.
        city_name = city.name if city.name.endswith(("市", "州", "盟", "地区")) else areas[0].entry.name
        city_code = city.gb2260
        city_region = plan.add_region(city_name, RegionLevel.CITY, city_code, province)
        counties = []
        for area, budget in zip(areas, split(units, [a.weight for a in areas]), strict=True):
            region = plan.add_region(area.entry.name, RegionLevel.COUNTY, area.entry.code, city_region)
            counties.append(
                (County(area.entry.name, area.entry.code, region, area.villages > 0, area.villages, budget), area)
            )
        root = self.city_committee(city_name, city_code, city_region, counties[0][0].code, parent)
        # The county with the most villages first: the demo's county administrator sits there.
        for county, area in sorted(counties, key=lambda pair: -pair[0].villages):
            self.build_register_county(root, city_name, county, area)
        county_codes = [county.code for county, _area in counties]
        self.work_committees(root, city_name, city_code, city_region, county_codes, wc_units)

    def build_register_county(self, root: int, city_name: str, county: County, area: Area) -> None:
        """A county committee, its towns with their villages and communities, its own units."""
        committee = self.county_committee(root, county)
        for town in area.towns:
            self.build_register_town(committee, county, town, area.committees[town.code])
        self.county_units(committee, city_name, county, max(0, county.units - area.communities))

    def build_register_town(self, parent: int, county: County, town: Division, members: list[Division]) -> None:
        """A 乡镇 party committee or 街道 working committee, its villages and its communities."""
        plan = self.plan
        region = plan.add_region(town.name, RegionLevel.TOWN, town.code, county.region)
        street = town.name.endswith("街道") or not town.name.endswith(("镇", "乡"))
        node = plan.add_org(
            code=town.code,
            name=town.name + ("党工委" if street else "党委"),
            level=OrgLevel.COMMITTEE,
            kind=OrgKind.TOWN,
            parent=parent,
            region=region,
            county_code=county.code,
        )
        taken: set[str] = set()
        for member in members:
            if member.is_village:
                name = _unique(f"{member.stem}村党支部", taken)
                village = plan.add_org(
                    code=member.code,
                    name=name,
                    level=OrgLevel.BRANCH,
                    kind=OrgKind.VILLAGE,
                    parent=node.index,
                    region=region,
                    county_code=county.code,
                )
                if plan.first_village < 0 and parent == plan.first_county:
                    plan.first_village = village.index
                continue
            level = self.rng.choice((OrgLevel.COMMITTEE, OrgLevel.GENERAL_BRANCH, OrgLevel.BRANCH))
            stem = member.stem if member.stem.endswith("社区") else member.stem + "社区"
            draft = UnitDraft(_unique(f"{stem}{SUFFIX[level]}", self.unit_names), OrgKind.COMMUNITY, level)
            self.add_unit(draft, node.index, region, member.code, county.code, own_code=True)


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or with the first free number in brackets where the register repeats a name."""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}（{number}）", number + 1
    taken.add(candidate)
    return candidate

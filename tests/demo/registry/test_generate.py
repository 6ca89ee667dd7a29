"""The demo data generator: sizes, names, tree shape, personal data, accounts, determinism."""

from __future__ import annotations

import io
import re
import sqlite3
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gongjian.audit.models import AuditEntry
from gongjian.demo.registry import DEFAULT_PASSWORD, DEMO_USERNAMES, SCALES, DemoDataExists, DemoResult, generate
from gongjian.demo.registry.catalogue import numeral
from gongjian.demo.registry.tree import build_plan
from gongjian.demo.registry.writer import demo_search_keys
from gongjian.orgs.models import (
    NON_UNIT_KINDS,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    Region,
    RegionLevel,
    VillageFigure,
)
from gongjian.orgs.personal_data import id_number_problem
from gongjian.orgs.scope import organizations_in_scope
from gongjian.orgs.search import search_keys

YEAR = 2026


@pytest.fixture
def county(db: None) -> DemoResult:
    return generate("county", seed=1, year=YEAR)


def test_county_scale_has_the_shangnan_figures(county: DemoResult) -> None:
    orgs = Organization.objects.all()
    units = orgs.exclude(kind__in=NON_UNIT_KINDS).count()
    villages = orgs.filter(kind=OrgKind.VILLAGE)
    assert 270 <= units <= 310
    assert 160 <= villages.count() <= 180
    assert 30 <= villages.filter(tags__code="weak").count() <= 50
    for tag in ("lax", "poor", "disorder", "demo"):
        assert villages.filter(tags__code=tag).exists(), tag
    assert orgs.filter(level=OrgLevel.CITY_COMMITTEE).count() == 1
    assert orgs.filter(level=OrgLevel.COUNTY_COMMITTEE).count() >= 2
    work = orgs.filter(level=OrgLevel.WORK_COMMITTEE)
    assert work.count() >= 4
    assert all(w.kind == OrgKind.PARTY_COMMITTEE for w in work)
    assert county.counts["units"] == units and county.counts["villages"] == villages.count()
    # Agencies carry their line; nothing else does.
    assert not orgs.filter(kind=OrgKind.AGENCY, line="").exists()
    assert not orgs.exclude(kind=OrgKind.AGENCY).exclude(line="").exists()
    lines = {o.line for o in orgs.filter(kind=OrgKind.AGENCY)}
    assert lines == {"party-mass", "legal", "economic", "agriculture", "other"}


def test_one_summary_audit_row_not_one_per_organization(county: DemoResult) -> None:
    entries = AuditEntry.objects.filter(action="demo.generate")
    assert entries.count() == 1
    assert entries.get().after["counts"]["villages"] == county.counts["villages"]
    # The few joint organizations are set up through their services (which check the seeds'
    # membership rules), each audited; the thousands of plain organizations are not.
    joint = [str(pk) for pk in Organization.objects.filter(kind=OrgKind.JOINT).values_list("pk", flat=True)]
    assert county.counts["joint_organizations"] == len(joint) > 0
    assert not AuditEntry.objects.filter(action__startswith="organization.").exclude(object_id__in=joint).exists()


def test_names_are_unique_where_they_must_be(county: DemoResult) -> None:
    orgs = list(Organization.objects.select_related("parent", "region"))
    villages_by_town: dict[int, list[str]] = defaultdict(list)
    towns_by_county: dict[int, list[str]] = defaultdict(list)
    unit_names = []
    for org in orgs:
        if org.kind == OrgKind.VILLAGE:
            villages_by_town[org.parent_id].append(org.name)
        elif org.kind == OrgKind.TOWN:
            towns_by_county[org.parent_id].append(org.name.removesuffix("党委").removesuffix("党工委")[:-1])
        elif org.kind not in NON_UNIT_KINDS and org.kind != OrgKind.COMMUNITY:
            unit_names.append(org.name)
    for names in [*villages_by_town.values(), *towns_by_county.values(), unit_names]:
        assert len(names) == len(set(names)), Counter(names).most_common(3)
    county_names = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("name", flat=True))
    assert len(county_names) == len(set(county_names))
    assert all(re.fullmatch(r".+村党支部", n) for names in villages_by_town.values() for n in names)


def test_every_village_sits_under_a_town_and_paths_hold(county: DemoResult) -> None:
    by_id = Organization.objects.in_bulk()
    for org in by_id.values():
        parent = by_id.get(org.parent_id) if org.parent_id else None
        expected = (parent.path if parent else "/") + f"{org.pk}/"
        assert org.path == expected and org.depth == (parent.depth + 1 if parent else 0)
        if org.kind == OrgKind.VILLAGE:
            assert parent is not None and parent.kind == OrgKind.TOWN and parent.level == OrgLevel.COMMITTEE
            assert org.level == OrgLevel.BRANCH
            assert org.region is not None and org.region.level == RegionLevel.TOWN
            assert org.name.endswith("村党支部")
        if org.kind == OrgKind.TOWN:
            assert parent is not None and parent.level == OrgLevel.COUNTY_COMMITTEE
    towns = Region.objects.filter(level=RegionLevel.TOWN)
    assert all(len(t.division_code or "") == 9 and t.division_code.startswith(t.parent.division_code) for t in towns)
    assert all(len(c.division_code or "") == 6 for c in Region.objects.filter(level=RegionLevel.COUNTY))


def test_villages_have_needs_and_two_years_of_figures(county: DemoResult) -> None:
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE).prefetch_related("tags", "needs", "figures")
    for village in villages:
        figures = sorted(village.figures.all(), key=lambda f: f.year)
        assert [f.year for f in figures] == [YEAR - 2, YEAR - 1]
        assert village.needs.exists()
        tags = {t.code for t in village.tags.all()}
        for f in figures:
            assert f.population > f.households > 0 and 0 < f.party_members < f.population
            if "weak" in tags:
                assert f.collective_income < 100_000
        if "weak" in tags:
            assert "funds" in {n.code for n in village.needs.all()}
    units = Organization.objects.exclude(kind__in=NON_UNIT_KINDS).prefetch_related("resources")
    assert all(1 <= u.capacity <= 3 and u.resources.exists() for u in units)
    assert VillageFigure.objects.count() == 2 * villages.count()


def test_people_have_valid_id_numbers_and_phones(county: DemoResult) -> None:
    county_codes = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("division_code", flat=True))
    people = list(Person.objects.select_related("organization"))
    assert len(people) >= 2 * county.counts["villages"]
    for person in people:
        assert id_number_problem(person.id_number) is None, person.id_number
        assert person.id_number[:6] in county_codes
        assert re.fullmatch(r"1[3-9]\d{9}", person.phone)
        assert 2 <= len(person.name) <= 3 and person.post and person.name_initials
    secretaries = Person.objects.filter(organization__kind=OrgKind.VILLAGE, post="党支部书记")
    assert secretaries.count() == county.counts["villages"]


def test_accounts_for_every_role_with_the_right_scopes(county: DemoResult) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    # A county has no 省委, so no province admin.
    assert set(users) == set(DEMO_USERNAMES) - {"province_admin"}
    roles = {name: user.role for name, user in users.items()}
    assert roles == {"city_admin": "city_admin", "committee_admin": "committee_admin",
                     "committee_admin2": "committee_admin", "unit_user": "unit_user",
                     "village_user": "village_user", "auditor": "auditor",
                     "system_admin": "system_admin", "security_admin": "security_admin"}
    assert all(u.check_password(DEFAULT_PASSWORD) for u in users.values())
    city = users["city_admin"].organization
    assert city.level == OrgLevel.CITY_COMMITTEE and users["auditor"].organization == city
    # 三员分立: the three administrators sit at the city and manage (or audit) its whole tree.
    assert users["system_admin"].organization == users["security_admin"].organization == city
    assert users["city_admin"].has_perm("orgs.view_personal_data")
    assert users["auditor"].has_perm("audit.view_auditentry")
    assert not users["committee_admin"].has_perm("orgs.view_personal_data")
    first, sibling = users["committee_admin"].organization, users["committee_admin2"].organization
    assert first.level == sibling.level == OrgLevel.COUNTY_COMMITTEE and first.parent == sibling.parent == city
    unit, village = users["unit_user"].organization, users["village_user"].organization
    assert unit.kind not in NON_UNIT_KINDS and village.kind == OrgKind.VILLAGE
    mine = set(organizations_in_scope(users["committee_admin"]).values_list("pk", flat=True))
    theirs = set(organizations_in_scope(users["committee_admin2"]).values_list("pk", flat=True))
    everything = set(organizations_in_scope(users["city_admin"]).values_list("pk", flat=True))
    assert {unit.pk, village.pk} <= mine and not mine & theirs
    assert mine | theirs < everything and len(everything) == Organization.objects.count()
    assert set(organizations_in_scope(users["village_user"]).values_list("pk", flat=True)) == {village.pk}


def test_same_seed_same_data_other_seed_other_data(db: None) -> None:
    def fingerprint(seed: int) -> list[tuple[str, ...]]:
        plan = build_plan(SCALES["county"], seed, YEAR)
        return [(o.code, o.name, o.kind, ",".join(o.tags), ",".join(o.needs),
                 ",".join(p.id_number for p in o.people)) for o in plan.orgs]

    assert fingerprint(5) == fingerprint(5)
    assert fingerprint(5) != fingerprint(6)
    generate("county", seed=5, year=YEAR)
    written = sorted(Organization.objects.exclude(kind=OrgKind.JOINT).values_list("code", "name"))
    assert written == sorted((row[0], row[1]) for row in fingerprint(5))


def test_refuses_a_filled_database_and_resets_without_touching_the_audit_log(county: DemoResult) -> None:
    with pytest.raises(DemoDataExists):
        generate("county", seed=2, year=YEAR)
    audit_rows = set(AuditEntry.objects.values_list("pk", flat=True))
    old_ids = set(Organization.objects.values_list("pk", flat=True))
    again = generate("county", seed=2, year=YEAR, reset=True)
    assert again.deleted["organizations"] == county.counts["organizations"] + county.counts["joint_organizations"]
    # Nothing of the audit log is gone; the reset and the new data each add their demo row.
    assert audit_rows <= set(AuditEntry.objects.values_list("pk", flat=True))
    assert AuditEntry.objects.filter(action__startswith="demo.").exclude(pk__in=audit_rows).count() == 2
    assert not old_ids & set(Organization.objects.values_list("pk", flat=True))  # ids never reused
    assert Organization.objects.count() == again.counts["organizations"] + again.counts["joint_organizations"]
    # The services still get fresh ids after the demo took its own.
    from gongjian.orgs.services import organization_create

    root = Organization.objects.get(pk=again.places["city_committee"])
    created = organization_create(actor=None, parent=root, code="X999", name="新建单位党支部",
                                  level=OrgLevel.BRANCH, kind=OrgKind.AGENCY, line="other")
    assert created.path == f"{root.path}{created.pk}/"


def test_weak_password_is_refused(db: None) -> None:
    with pytest.raises(ValidationError):
        generate("county", password="abc")
    assert not Organization.objects.exists()


def test_command_prints_the_accounts(db: None) -> None:
    out = io.StringIO()
    call_command("demo", "--scale", "county", "--seed", "3", "--password", "Demo#Pass99", stdout=out)
    text = out.getvalue()
    for username in set(DEMO_USERNAMES) - {"province_admin"}:
        assert re.search(rf"^{username}\s+Demo#Pass99\s", text, re.M), username
    quiet = io.StringIO()
    call_command("demo", "--if-empty", stdout=quiet)
    assert "未生成" in quiet.getvalue()


def _register_villages(column: str, code: str) -> int:
    """Village committees under ``code`` counted straight from the register's file."""
    with sqlite3.connect(f"file:{settings.DIVISION_REGISTER}?mode=ro", uri=True) as register:
        (count,) = register.execute(
            f"SELECT count(*) FROM village WHERE {column} = ? AND (name LIKE '%村委会' OR name LIKE '%村民委员会')",
            (code,),
        ).fetchone()
    return int(count)


def test_county_scale_is_shangnan_from_the_register(county: DemoResult) -> None:
    """商南县 (seed 002) with its real towns and villages, 12-digit codes as the register has them."""
    shangnan = Region.objects.get(division_code="611023")
    assert shangnan.name == "商南县" and shangnan.parent.name == "商洛市" and shangnan.parent.parent.name == "陕西省"
    towns = set(Region.objects.filter(parent=shangnan).values_list("name", flat=True))
    assert towns == {
        "城关街道", "富水镇", "湘河镇", "赵川镇", "过风楼镇", "试马镇", "清油河镇", "十里坪镇", "金丝峡镇", "青山镇"
    }
    village = Organization.objects.get(code="611023001205")
    assert village.name == "五里铺村党支部" and village.parent.name == "城关街道党工委"
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE)
    assert villages.filter(code__startswith="611023").count() == _register_villages("areaCode", "611023")
    assert villages.filter(code__startswith="611026").count() == _register_villages("areaCode", "611026")
    assert villages.count() == county.counts["villages"]
    committee = Organization.objects.get(pk=county.places["first_county"])
    assert committee.name == "商南县委"


@pytest.mark.parametrize(
    ("scale", "column", "code"), [("city", "cityCode", "1405"), ("province", "provinceCode", "61")]
)
def test_larger_scales_are_the_registers_places(scale: str, column: str, code: str) -> None:
    plan = build_plan(SCALES[scale], 1, YEAR)
    kinds = Counter(o.kind for o in plan.orgs)
    units = sum(n for k, n in kinds.items() if k not in NON_UNIT_KINDS)
    # Every unit of the scale is generated; a county whose communities outnumber its share keeps them all.
    assert SCALES[scale].units <= units <= SCALES[scale].units * 1.01
    assert kinds[OrgKind.VILLAGE] == _register_villages(column, code) == SCALES[scale].villages
    assert len({o.code for o in plan.orgs}) == len(plan.orgs)
    ids = [p.id_number for o in plan.orgs for p in o.people]
    assert len(set(ids)) == len(ids)
    roots = [o for o in plan.orgs if o.parent is None]
    if scale == "province":
        # One 省委 above the cities, so that one round can cover the whole province.
        assert [(o.level, o.name) for o in roots] == [(OrgLevel.PROVINCE_COMMITTEE, "陕西省委")]
        cities = {o.name for o in plan.orgs if o.parent == roots[0].index}
        assert {"西安市委", "商洛市委", "延安市委"} <= cities and len(cities) == 10
    else:
        assert [(o.level, o.name) for o in roots] == [(OrgLevel.CITY_COMMITTEE, "晋城市委")]
        counties = {o.name for o in plan.orgs if o.level == OrgLevel.COUNTY_COMMITTEE}
        assert counties == {"城区委", "沁水县委", "阳城县委", "陵川县委", "泽州县委", "高平市委"}


def test_one_pass_pinyin_matches_the_search_keys() -> None:
    plan = build_plan(SCALES["county"], 1, YEAR)
    names = {o.name for o in plan.orgs} | {p.name for o in plan.orgs for p in o.people} | {"ABC公司", "1号楼"}
    assert all(demo_search_keys(n) == search_keys(n) for n in names)


def test_chinese_numerals() -> None:
    assert [numeral(n) for n in (1, 10, 12, 20, 35, 100, 105, 112, 230)] == [
        "一", "十", "十二", "二十", "三十五", "一百", "一百零五", "一百一十二", "二百三十"]


def test_a_city_without_districts_keeps_its_villages() -> None:
    """东莞市 has no districts: its towns sit under an area coded like the city (441900)."""
    from gongjian.demo.registry.register_tree import _areas

    provinces = _areas(("4419",))
    villages = sum(area.villages for cities in provinces.values() for areas in cities.values() for area in areas)
    assert villages == _register_villages("cityCode", "4419") > 0

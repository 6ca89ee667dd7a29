"""The standing cast and the suite's rules.

Every test that needs people uses this cast: a city admin, a district (committee) admin
and the admin of a sibling district, a unit user, a village user, an auditor, and an
outsider from another city who must see nothing.

With GONGJIAN_NO_SKIP=1 (set by ``make test``) a skipped test fails the run: a PostgreSQL
or browser test that silently skips would count as passing.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from gongjian.accounts.models import Role, User
from gongjian.orgs.models import AgencyLine, Organization, OrgKind, OrgLevel, Region, RegionLevel, Resource, Tag
from gongjian.orgs.services import organization_create, person_create
from gongjian.orgs.vocabulary import ensure_vocabularies

PASSWORD = "Test@Pass2026"
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("GONGJIAN_NO_SKIP") == "1" and _skipped and not hasattr(session.config, "workerinput"):
        print(f"\n{len(_skipped)} test(s) skipped; the suite requires every test to run:")
        for nodeid in _skipped:
            print(f"  SKIPPED {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _require_postgres(request: pytest.FixtureRequest) -> None:
    """Tests marked ``postgres`` need real row locks; on another database they fail, not pass."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL: run it with DATABASE_URL=postgres://... (make test does)")


@dataclass
class Cast:
    city: Organization
    county: Organization
    sibling_county: Organization
    town: Organization
    village: Organization
    other_village: Organization
    unit: Organization
    sibling_village: Organization
    sibling_unit: Organization
    other_city: Organization
    city_admin: User
    committee_admin: User
    sibling_admin: User
    unit_user: User
    village_user: User
    auditor: User
    outsider: User

    def all_users(self) -> list[User]:
        return [
            self.city_admin,
            self.committee_admin,
            self.sibling_admin,
            self.unit_user,
            self.village_user,
            self.auditor,
            self.outsider,
        ]


def make_org(parent: Organization | None, code: str, name: str, level: str, kind: str, **extra: Any) -> Organization:
    return organization_create(actor=None, parent=parent, code=code, name=name, level=level, kind=kind, **extra)


@functools.cache
def password_hash() -> str:
    """One real argon2 hash of PASSWORD, computed once: argon2 is slow by design."""
    return make_password(PASSWORD)


def make_user(username: str, role: str, organization: Organization, *perms: str) -> User:
    user = User.objects.create(username=username, password=password_hash(), role=role, organization=organization)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh, without a cached permission set


@pytest.fixture
def cast(db: None) -> Cast:
    province = Region.objects.create(name="某某省", level=RegionLevel.PROVINCE, division_code="610000")
    city_region = Region.objects.create(name="商洛市", level=RegionLevel.CITY, parent=province, division_code="611000")
    county_region = Region.objects.create(
        name="商南县", level=RegionLevel.COUNTY, parent=city_region, division_code="611023"
    )
    town_region = Region.objects.create(name="富水镇", level=RegionLevel.TOWN, parent=county_region)
    ensure_vocabularies()  # a transactional test before this one may have flushed them
    weak, lax = Tag.objects.get(code="weak"), Tag.objects.get(code="lax")
    funds, technology = Resource.objects.get(code="funds"), Resource.objects.get(code="technology")

    city = make_org(None, "C0001", "商洛市委", OrgLevel.CITY_COMMITTEE, OrgKind.PARTY_COMMITTEE, region=city_region)
    county = make_org(
        city, "C0002", "商南县委", OrgLevel.COUNTY_COMMITTEE, OrgKind.PARTY_COMMITTEE, region=county_region
    )
    town = make_org(county, "C0003", "富水镇党委", OrgLevel.COMMITTEE, OrgKind.TOWN, region=town_region)
    village = make_org(
        town,
        "C0004",
        "花家村党支部",
        OrgLevel.BRANCH,
        OrgKind.VILLAGE,
        region=town_region,
        tags=[weak],
        needs=[funds, technology],
    )
    other_village = make_org(
        town, "C0005", "王家沟村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE, region=town_region, tags=[lax]
    )
    unit = make_org(
        county,
        "C0006",
        "商南县农业农村局机关党委",
        OrgLevel.COMMITTEE,
        OrgKind.AGENCY,
        line=AgencyLine.AGRICULTURE,
        capacity=2,
        resources=[technology],
    )
    sibling_county = make_org(city, "C0007", "丹凤县委", OrgLevel.COUNTY_COMMITTEE, OrgKind.PARTY_COMMITTEE)
    sibling_town = make_org(sibling_county, "C0008", "龙驹寨街道党工委", OrgLevel.COMMITTEE, OrgKind.TOWN)
    sibling_village = make_org(sibling_town, "C0009", "清泉村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE)
    sibling_unit = make_org(
        sibling_county, "C0010", "丹凤县人民医院党委", OrgLevel.COMMITTEE, OrgKind.MEDICAL, capacity=1
    )
    other_city = make_org(None, "X0001", "外市市委", OrgLevel.CITY_COMMITTEE, OrgKind.PARTY_COMMITTEE)

    for org, name, id_number in [
        (village, "张秀英", "61102319800101002X"),
        (unit, "李建国", "611023197505050019"),
        (sibling_village, "王磊", "611022198809090015"),
    ]:
        person_create(
            actor=None,
            organization=org,
            name=name,
            id_number=fix_check(id_number),
            phone="13912345678",
            post="党支部书记",
        )

    return Cast(
        city=city,
        county=county,
        sibling_county=sibling_county,
        town=town,
        village=village,
        other_village=other_village,
        unit=unit,
        sibling_village=sibling_village,
        sibling_unit=sibling_unit,
        other_city=other_city,
        city_admin=make_user("city", Role.CITY_ADMIN, city, "orgs.view_personal_data"),
        committee_admin=make_user("county", Role.COMMITTEE_ADMIN, county),
        sibling_admin=make_user("sibling", Role.COMMITTEE_ADMIN, sibling_county),
        unit_user=make_user("unit", Role.UNIT_USER, unit),
        village_user=make_user("village", Role.VILLAGE_USER, village),
        auditor=make_user("auditor", Role.AUDITOR, city, "audit.view_auditentry"),
        outsider=make_user("outsider", Role.CITY_ADMIN, other_city, "orgs.view_personal_data"),
    )


def fix_check(id_number: str) -> str:
    """An ID number with its check character corrected (test data only)."""
    from gongjian.orgs.personal_data import id_number_check_char

    return id_number[:17] + id_number_check_char(id_number[:17])


def profile_without(text: str, section: str) -> str:
    """A policy profile's YAML text without one top-level section (and its indented lines), for
    tests that need a profile lacking a rule the shipped ones have."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{section}:"):
            skipping = True
            continue
        # a comment at column 0 inside the section (some profiles have one) belongs to it too
        if skipping and (line.startswith((" ", "\t", "#")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "".join(kept)


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts in the default language: a test client's request leaves the language
    it asked for (LocaleMiddleware activates it, nothing deactivates it) active in the thread."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()

"""Seed a cluster database with a province-shaped round to allocate (run as a script with
DATABASE_URL set):

    python tests/jobs/seed_allocation.py VILLAGES UNITS

An invented city (the demo planner, no people) written in bulk below a 市委 of its own, its
admin ``alloc_city_admin``, and an open round over it whose 对口安排表 gives each district or
work committee one pair of counties (counties 1–2, 3–4, ...): the engine solves several
thousand villages in independent components (one per pair of counties), a few seconds'
work. Prints the round's id and its village count."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from gongjian.accounts.models import Role, User  # noqa: E402
from gongjian.demo.registry.scales import ALL_WORK_COMMITTEES, Scale  # noqa: E402
from gongjian.demo.registry.tree import build_plan  # noqa: E402
from gongjian.demo.registry.writer import write_details, write_organizations, write_regions  # noqa: E402
from gongjian.orgs.models import Organization  # noqa: E402
from gongjian.rounds.models import DirectoryEntry, GeographyLink, RoundUnit  # noqa: E402
from gongjian.rounds.services_setup import round_create, round_open  # noqa: E402
from tests.jobs.cluster import ALLOC_ADMIN, ALLOC_PASSWORD  # noqa: E402

# A seed whose invented province differs from those of the county demo's register places
# and of tests/jobs/seed_import.py (seed 7): no organization code in common.
SEED = 23


def main() -> None:
    villages, units = int(sys.argv[1]), int(sys.argv[2])
    scale = Scale(
        name="alloc", label="分配测试", cities=1, urban_districts=4, rural_counties=12, villages=villages,
        units=units, work_committee_share=0.3, work_committees=ALL_WORK_COMMITTEES, villages_per_town=(14, 20),
        people_per_village=0, people_per_unit=(0, 0),
    )  # fmt: skip
    plan = build_plan(scale, seed=SEED, year=2026)
    codes = [o.code for o in plan.orgs]
    assert not Organization.objects.filter(code__in=codes).exists(), "the invented city's codes are taken"
    with transaction.atomic():
        org_ids = write_organizations(plan, write_regions(plan))
        write_details(plan, org_ids)
    committee = Organization.objects.get(pk=org_ids[plan.city_committee])
    admin = User.objects.create_user(
        username=ALLOC_ADMIN, password=ALLOC_PASSWORD, role=Role.CITY_ADMIN, organization=committee
    )
    today = datetime.date.today()
    round_ = round_create(
        actor=admin, scope=committee, name="全市城乡结对（分配任务测试）", policy_key="shangnan",
        intent_deadline=today + datetime.timedelta(days=30), signing_deadline=today + datetime.timedelta(days=90),
        term_start=today + datetime.timedelta(days=90), term_end=today + datetime.timedelta(days=90 + 3 * 365),
    )  # fmt: skip
    round_open(actor=admin, round_=round_)
    counties = sorted(set(DirectoryEntry.objects.filter(round=round_).values_list("county", flat=True)))
    districts = sorted(set(RoundUnit.objects.filter(round=round_).values_list("district", flat=True)))
    pairs = len(counties) // 2
    GeographyLink.objects.bulk_create(
        GeographyLink(round=round_, district=d, county=counties[2 * (i % pairs) + k])
        for i, d in enumerate(districts)
        for k in (0, 1)
    )
    print(round_.pk, DirectoryEntry.objects.filter(round=round_).count())


if __name__ == "__main__":
    main()

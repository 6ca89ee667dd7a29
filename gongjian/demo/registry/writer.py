"""Writing a demo :class:`Plan` to the database in bulk.

A province is some 37,000 organizations; saving them one by one through the services
(each with its own audit row) would take many minutes. Here every table gets a handful of
bulk inserts, and the caller writes one summary audit row for the lot.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection
from django.db.models import Max
from pypinyin import lazy_pinyin

from gongjian.demo.registry.plan import Plan
from gongjian.orgs.models import Organization, Person, Region, Resource, Tag, VillageFigure
from gongjian.orgs.search import search_keys

BATCH = 2000
LEVEL_ORDER = ("province", "city", "county", "town")


@lru_cache(maxsize=65536)  # village and person names repeat a lot (王家村, 张伟)
def demo_search_keys(name: str) -> tuple[str, str]:
    """The same keys as :func:`gongjian.orgs.search.search_keys`, in one pinyin pass.

    Pinyin is the slowest part of writing a row. For a name of Chinese characters the
    initials are the syllables' first letters, so one conversion gives both keys (a test
    checks that the two functions agree on demo names); any other name goes the long way.
    """
    syllables = lazy_pinyin(name, errors="default")
    if len(syllables) != len(name):  # a run of non-Chinese characters came back as one item
        return search_keys(name)
    return "".join(syllables).lower()[:512], "".join(s[0] for s in syllables if s).lower()[:128]


def reserve_organization_ids(count: int) -> list[int]:
    """Ids for ``count`` new organizations, known before they are inserted.

    Knowing the ids first lets each row carry its materialized path in the one INSERT,
    instead of an UPDATE of every row afterwards.
    """
    if count == 0:
        return []
    table = Organization._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Drawn from the identity sequence itself: safe alongside other writers.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        start = Organization.objects.aggregate(top=Max("id"))["top"] or 0
        if connection.vendor == "sqlite":
            # AUTOINCREMENT remembers ids of deleted rows; the audit log still names them, so
            # they are not handed out again.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(start, row[0] if row else 0)
    return list(range(start + 1, start + 1 + count))


def write_regions(plan: Plan) -> list[int]:
    """Region ids by plan index; a division already present (same code) is reused."""
    ids: list[int] = [0] * len(plan.regions)
    existing = dict(
        Region.objects.filter(division_code__in=[r.code for r in plan.regions]).values_list("division_code", "pk")
    )
    for level in LEVEL_ORDER:
        nodes = [r for r in plan.regions if r.level == level]
        new = []
        for node in nodes:
            if node.code in existing:
                ids[node.index] = existing[node.code]
            else:
                parent = ids[node.parent] if node.parent is not None else None
                new.append(
                    (node.index, Region(name=node.name, level=node.level, division_code=node.code, parent_id=parent))
                )
        Region.objects.bulk_create([region for _i, region in new], batch_size=BATCH)
        for index, region in new:
            ids[index] = region.pk
    return ids


def write_organizations(plan: Plan, region_ids: list[int]) -> list[int]:
    """Organization ids by plan index; paths and depths are set in the same insert."""
    ids = reserve_organization_ids(len(plan.orgs))
    paths: list[str] = []
    rows = []
    for node, pk in zip(plan.orgs, ids, strict=True):
        path = (paths[node.parent] if node.parent is not None else "/") + f"{pk}/"
        paths.append(path)
        pinyin, initials = demo_search_keys(node.name)
        rows.append(
            Organization(
                id=pk,
                code=node.code,
                name=node.name,
                path=path,
                depth=node.depth,
                level=node.level,
                kind=node.kind,
                line=node.line,
                capacity=node.capacity,
                name_pinyin=pinyin,
                name_initials=initials,
                parent_id=ids[node.parent] if node.parent is not None else None,
                region_id=region_ids[node.region] if node.region is not None else None,
            )
        )
    Organization.objects.bulk_create(rows, batch_size=BATCH)
    return ids


def write_details(plan: Plan, org_ids: list[int]) -> dict[str, int]:
    """Tags, needs, resources, figures and people of the written organizations."""
    tags = dict(Tag.objects.values_list("code", "pk"))
    resources = dict(Resource.objects.values_list("code", "pk"))
    tag_through = Organization.tags.through
    need_through = Organization.needs.through
    resource_through = Organization.resources.through
    tag_rows, need_rows, resource_rows, figures, people = [], [], [], [], []
    for node, pk in zip(plan.orgs, org_ids, strict=True):
        tag_rows += [tag_through(organization_id=pk, tag_id=tags[c]) for c in node.tags]
        need_rows += [need_through(organization_id=pk, resource_id=resources[c]) for c in node.needs]
        resource_rows += [resource_through(organization_id=pk, resource_id=resources[c]) for c in node.resources]
        figures += [
            VillageFigure(
                village_id=pk,
                year=f.year,
                households=f.households,
                population=f.population,
                party_members=f.party_members,
                collective_income=f.collective_income,
            )
            for f in node.figures
        ]
        for p in node.people:
            pinyin, initials = demo_search_keys(p.name)
            people.append(
                Person(
                    organization_id=pk,
                    name=p.name,
                    post=p.post,
                    phone=p.phone,
                    id_number=p.id_number,
                    is_party_member=p.is_party_member,
                    name_pinyin=pinyin,
                    name_initials=initials,
                )
            )
    tag_through.objects.bulk_create(tag_rows, batch_size=BATCH)
    need_through.objects.bulk_create(need_rows, batch_size=BATCH)
    resource_through.objects.bulk_create(resource_rows, batch_size=BATCH)
    VillageFigure.objects.bulk_create(figures, batch_size=BATCH)
    Person.objects.bulk_create(people, batch_size=BATCH)
    return {
        "tags": len(tag_rows),
        "needs": len(need_rows),
        "resources": len(resource_rows),
        "figures": len(figures),
        "people": len(people),
    }

"""Generating a demo data set: plan, bulk write, accounts, one audit row."""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from gongjian.audit.services import audit_event
from gongjian.demo.registry.joint import generate_joint_orgs
from gongjian.demo.registry.plan import Plan
from gongjian.demo.registry.reset import delete_registry
from gongjian.demo.registry.scales import SCALES
from gongjian.demo.registry.tree import build_plan
from gongjian.demo.registry.users import DEMO_USERNAMES, DemoUser, create_demo_users
from gongjian.demo.registry.writer import write_details, write_organizations, write_regions
from gongjian.orgs.models import NON_UNIT_KINDS, Organization, OrgKind
from gongjian.orgs.vocabulary import ensure_vocabularies

DEFAULT_PASSWORD = "Gongjian@2026"


class DemoDataExists(Exception):
    """The database already holds a registry; demo data goes only into an empty one."""

    def __init__(self) -> None:
        super().__init__("数据库中已有组织或演示账号。如需清空后重新生成演示数据，请加 --reset（审计日志会保留）。")


@dataclass
class DemoResult:
    """What :func:`generate` made: counts, accounts, and the ids of the nodes they sit at."""

    scale: str
    seed: int
    password: str
    counts: dict[str, int]
    users: list[DemoUser]
    places: dict[str, int]  # city_committee, first_county, sibling_county, first_unit, first_village
    seconds: float
    deleted: dict[str, int] = field(default_factory=dict)


def registry_is_empty() -> bool:
    """True when there is no organization and no demo account yet."""
    return (
        not Organization.objects.exists() and not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()
    )


def plan_counts(plan: Plan) -> dict[str, int]:
    """What a plan holds, by the names the command prints."""
    orgs = plan.orgs
    return {
        "organizations": len(orgs),
        "committees": sum(o.kind == OrgKind.PARTY_COMMITTEE for o in orgs),
        "towns": sum(o.kind == OrgKind.TOWN for o in orgs),
        "units": sum(o.kind not in NON_UNIT_KINDS for o in orgs),
        "villages": sum(o.kind == OrgKind.VILLAGE for o in orgs),
        "weak_villages": sum("weak" in o.tags for o in orgs),
        "regions": len(plan.regions),
    }


def generate(
    scale: str = "county",
    seed: int = 1,
    password: str = DEFAULT_PASSWORD,
    *,
    reset: bool = False,
    year: int | None = None,
) -> DemoResult:
    """Fill an empty database with a demo registry of ``scale`` (county, city or province).

    The same seed gives the same data. Figures are for the two years before ``year``
    (default: this year). Raises :class:`DemoDataExists` if organizations exist and
    ``reset`` is false; with ``reset`` the registry is cleared first (never the audit log).
    All of it is one transaction: it is all there or none of it.
    """
    if scale not in SCALES:
        raise ValueError(f"未知的规模“{scale}”，应为：{'、'.join(SCALES)}")
    validate_password(password)
    started = time.perf_counter()
    with transaction.atomic():
        ensure_vocabularies()  # a flushed test database has lost the migration's rows
        deleted: dict[str, int] = {}
        if not registry_is_empty():
            if not reset:
                raise DemoDataExists()
            deleted = delete_registry()
            audit_event("demo.reset", actor=None, after={"deleted": deleted})
        plan = build_plan(SCALES[scale], seed, year or datetime.date.today().year)
        org_ids = write_organizations(plan, write_regions(plan))
        counts = plan_counts(plan) | write_details(plan, org_ids)
        places = {
            "city_committee": org_ids[plan.city_committee],
            "first_county": org_ids[plan.first_county],
            "sibling_county": org_ids[plan.sibling_county],
            "first_unit": org_ids[plan.first_unit],
            "first_village": org_ids[plan.first_village],
        }
        if plan.province_committee >= 0:
            places["province_committee"] = org_ids[plan.province_committee]
        by_id = Organization.objects.in_bulk(list(places.values()))
        users = create_demo_users({k: by_id[v] for k, v in places.items()}, password)
        counts["users"] = len(users)
        counts["joint_organizations"] = len(generate_joint_orgs(random.Random(seed)))
        # One summary row instead of one per organization: the rows were not written by anyone
        # through the services, and tens of thousands of audit rows would drown the real ones.
        audit_event(
            "demo.generate",
            actor=None,
            target=by_id[places["city_committee"]],
            scope_path=by_id[places["city_committee"]].path,
            after={"scale": scale, "seed": seed, "counts": counts, "users": list(DEMO_USERNAMES)},
        )
    return DemoResult(
        scale=scale,
        seed=seed,
        password=password,
        counts=counts,
        users=users,
        places=places,
        seconds=time.perf_counter() - started,
        deleted=deleted,
    )

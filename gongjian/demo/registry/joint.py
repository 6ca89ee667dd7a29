"""Joint organizations (联建) for the demo data, set up on the demo registry that exists.

In each county (up to ``counties``): a 联村党委 of three or four villages of one town, led by
the first; a 村村联建 across two towns, set up by the county; and, where the county has a
non-public enterprise, a 村企联建 that the enterprise leads. Each adopts shared rules.
Everything goes through the services (``actor=None``: the system), so each is audited.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from gongjian.joint.models import CharterItem, JointType
from gongjian.joint.services import joint_charter_adopt, joint_create
from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.orgs.scope import subtree

CHARTER = (
    "一、成员分工负责：各成员党组织书记分片包干，牵头党组织统筹。\n"
    "二、定期联席会议：每月召开一次联席会议，研究片区发展规划和重大事项。\n"
    "三、民主决策监督：涉及各村利益的事项经成员党组织共同商议，结果公开。\n"
    "四、班子联培、后备联育、党员联管：集中培训，后备力量统一培养，党员活动统一组织。\n"
    "五、产业联兴、公益联办、弱困联扶：项目和资金统一规划、共同管理，优先扶持薄弱村。"
)
ITEMS = [
    CharterItem.DIVISION,
    CharterItem.JOINT_MEETING,
    CharterItem.DEMOCRATIC,
    CharterItem.CADRE_TRAINING,
    CharterItem.RESERVE,
    CharterItem.MEMBER_MANAGEMENT,
    CharterItem.INDUSTRY,
    CharterItem.PUBLIC_WELFARE,
    CharterItem.WEAK_AID,
]
ENTERPRISE_ITEMS = [CharterItem.JOBS, CharterItem.INFRASTRUCTURE, CharterItem.RESOURCE_SHARING]


def _stem(name: str) -> str:
    """花家村党支部 → 花家; 富水镇党委 → 富水."""
    for suffix in ("党支部", "党总支", "党委", "党工委"):
        name = name.removesuffix(suffix)
    return name.removesuffix("村").removesuffix("镇").removesuffix("乡").removesuffix("街道") or name


def _founded(rng: random.Random, today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=rng.randrange(60, 3 * 365))


def _villages_by_town(county: Organization) -> dict[Organization, list[Organization]]:
    towns = subtree(county).filter(kind=OrgKind.TOWN, is_active=True)
    found: dict[Organization, list[Organization]] = {}
    for town in towns.order_by("code"):  # codes, not ids: the same on every generation
        villages = list(Organization.objects.filter(parent=town, kind=OrgKind.VILLAGE, is_active=True).order_by("code"))
        if len(villages) >= 2:
            found[town] = villages
    return found


def _adopt(joint: Organization, founded: datetime.date, items: Sequence[str]) -> None:
    joint_charter_adopt(actor=None, joint=joint, text=CHARTER, items=items, adopted_on=founded)


def generate_joint_orgs(
    rng: random.Random, *, counties: int | None = 20, today: datetime.date | None = None
) -> list[Organization]:
    """Set up demo joint organizations on the existing demo registry; return them.

    The same ``rng`` state gives the same joint organizations. ``counties`` bounds the work
    on a province (None: every county).
    """
    today = today or datetime.date.today()
    created: list[Organization] = []
    county_qs = Organization.objects.filter(level=OrgLevel.COUNTY_COMMITTEE, is_active=True).order_by("code")
    for county in county_qs[:counties] if counties is not None else county_qs:
        by_town = _villages_by_town(county)
        if not by_town:
            continue
        towns = list(by_town)
        town = towns[rng.randrange(len(towns))]
        villages = rng.sample(by_town[town], min(len(by_town[town]), rng.choice((3, 4))))
        founded = _founded(rng, today)
        committee = joint_create(
            actor=None,
            parent=town,
            name=f"{_stem(town.name)}{_stem(villages[0].name)}联村党委",
            joint_type=JointType.JOINT_VILLAGE_COMMITTEE,
            members=villages,
            lead=villages[0],
            founded_on=founded,
            purpose="统筹片区资源，抱团发展，带动薄弱村增收。",
        )
        _adopt(committee, founded, ITEMS)
        created.append(committee)
        if len(towns) >= 2:
            first, second = rng.sample(towns, 2)
            pair = [rng.choice(by_town[first]), rng.choice(by_town[second])]
            founded = _founded(rng, today)
            across = joint_create(
                actor=None,
                parent=county,
                name=f"{_stem(pair[0].name)}{_stem(pair[1].name)}村村联建党总支",
                joint_type=JointType.VILLAGE_VILLAGE,
                members=pair,
                lead=pair[0],
                founded_on=founded,
            )
            _adopt(across, founded, [CharterItem.JOINT_MEETING, CharterItem.INDUSTRY, CharterItem.WEAK_AID])
            created.append(across)
        enterprise = subtree(county).filter(kind=OrgKind.PRIVATE_ENTERPRISE, is_active=True).order_by("code").first()
        if enterprise is not None:
            near = rng.sample(by_town[town], min(2, len(by_town[town])))
            founded = _founded(rng, today)
            with_enterprise = joint_create(
                actor=None,
                parent=county,
                name=f"{_stem(enterprise.name)[:12]}村企联建党总支",
                joint_type=JointType.VILLAGE_ENTERPRISE,
                members=[enterprise, *near],
                lead=enterprise,
                founded_on=founded,
                purpose="企业提供就业岗位，共建基础设施；各村提供后勤服务。",
            )
            _adopt(with_enterprise, founded, [CharterItem.JOINT_MEETING, *ENTERPRISE_ITEMS])
            created.append(with_enterprise)
    return created

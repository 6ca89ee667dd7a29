"""Joint organizations (联建): setting up, members joining and leaving, shared rules, pooled
figures — each write audited, each rule of the seeds enforced."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gongjian.accounts.models import Role, User
from gongjian.audit.models import AuditEntry
from gongjian.joint.models import CharterItem, JointCharter, JointMembership, JointRole, JointType
from gongjian.joint.selectors import joint_pool_summary
from gongjian.joint.services import (
    JointRefused,
    joint_charter_adopt,
    joint_create,
    joint_member_add,
    joint_member_remove,
)
from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.orgs.services import village_figure_set
from tests.conftest import Cast, make_org, make_user

FOUNDED = datetime.date(2025, 3, 1)


@dataclass
class JointCast:
    """The standing cast plus: a third village in 富水镇, a second town 试马镇 with a village,
    an enterprise and a cooperative, a town admin of each town, and two joint organizations."""

    town_admin: User
    town2_admin: User
    town2: Organization
    third_village: Organization
    far_village: Organization
    enterprise: Organization
    cooperative: Organization
    committee: Organization  # 联村党委 under 富水镇: 花家村 (lead), 王家沟村, 后湾村
    across: Organization  # 村村联建 under 商南县委 across the two towns: 花家村, 双庙村 (lead)


def make_joint_cast(cast: Cast) -> JointCast:
    third = make_org(cast.town, "C0011", "后湾村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE, region=cast.town.region)
    town2 = make_org(cast.county, "C0012", "试马镇党委", OrgLevel.COMMITTEE, OrgKind.TOWN)
    far = make_org(town2, "C0013", "双庙村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE)
    enterprise = make_org(cast.town, "C0014", "富水矿业公司党支部", OrgLevel.BRANCH, OrgKind.PRIVATE_ENTERPRISE)
    cooperative = make_org(cast.town, "C0015", "富水茶叶合作社党支部", OrgLevel.BRANCH, OrgKind.COOPERATIVE)
    town_admin = make_user("town", Role.COMMITTEE_ADMIN, cast.town)
    committee = joint_create(
        actor=town_admin,
        parent=cast.town,
        name="富水联村党委",
        joint_type=JointType.JOINT_VILLAGE_COMMITTEE,
        members=[cast.village, cast.other_village, third],
        lead=cast.village,
        founded_on=FOUNDED,
    )
    across = joint_create(
        actor=cast.committee_admin,
        parent=cast.county,
        name="花家双庙村村联建党总支",
        joint_type=JointType.VILLAGE_VILLAGE,
        members=[cast.village, far],
        lead=far,
        founded_on=FOUNDED,
    )
    return JointCast(
        town_admin=town_admin,
        town2_admin=make_user("town2", Role.COMMITTEE_ADMIN, town2),
        town2=town2,
        third_village=third,
        far_village=far,
        enterprise=enterprise,
        cooperative=cooperative,
        committee=committee,
        across=across,
    )


@pytest.fixture
def jc(cast: Cast) -> JointCast:
    return make_joint_cast(cast)


def current(joint: Organization) -> dict[str, str]:
    rows = JointMembership.objects.filter(joint=joint, left_on__isnull=True).select_related("member")
    return {m.member.name: m.role for m in rows}


def test_a_joint_organization_is_a_node_under_the_committee_that_set_it_up(cast: Cast, jc: JointCast) -> None:
    joint = jc.committee
    assert (joint.kind, joint.level, joint.parent) == (OrgKind.JOINT, OrgLevel.COMMITTEE, cast.town)
    assert joint.path == f"{cast.town.path}{joint.pk}/" and joint.is_joint and joint.is_village_side
    assert joint.joint_profile.joint_type == JointType.JOINT_VILLAGE_COMMITTEE
    assert joint.code == f"LJ{cast.town.pk}-1" and joint.name_initials == "fslcdw"
    assert current(joint) == {"花家村党支部": "lead", "王家沟村党支部": "member", "后湾村党支部": "member"}
    assert jc.across.level == OrgLevel.GENERAL_BRANCH  # 联建党总支
    entry = AuditEntry.objects.get(action="joint.create", object_id=str(joint.pk))
    assert entry.success and entry.actor_username == "town" and entry.scope_path == joint.path
    assert {m["role"] for m in entry.after["members"]} == {"lead", "member"} and len(entry.after["members"]) == 3
    assert AuditEntry.objects.filter(action="organization.create", object_id=str(joint.pk)).exists()


@pytest.mark.parametrize(
    ("joint_type", "members", "lead", "field", "message"),
    [
        (JointType.VILLAGE_ENTERPRISE, ["village", "other_village"], "village", "members", "企业党组织"),
        (JointType.VILLAGE_ENTERPRISE, ["village", "enterprise"], "village", "lead", "不能牵头村企联建"),
        (JointType.VILLAGE_COOPERATIVE, ["village", "enterprise"], "village", "members", "不能成为村社联建的成员"),
        (JointType.VILLAGE_VILLAGE, ["village"], "village", "members", "至少需要 2 个成员组织"),
        (JointType.JOINT_VILLAGE_COMMITTEE, ["village", "cooperative"], "village", "members", "至少需要 2 个村"),
        (JointType.VILLAGE_VILLAGE, ["village", "other_village"], "enterprise", "lead", "须是成员组织之一"),
    ],
)
def test_the_seeds_forms_are_enforced(
    cast: Cast, jc: JointCast, joint_type: str, members: list[str], lead: str, field: str, message: str
) -> None:
    orgs = {"village": cast.village, "other_village": cast.other_village, "enterprise": jc.enterprise}
    orgs["cooperative"] = jc.cooperative
    before = Organization.objects.count()
    with pytest.raises(JointRefused) as caught:
        joint_create(
            actor=jc.town_admin,
            parent=cast.town,
            name="试验联建",
            joint_type=joint_type,
            members=[orgs[m] for m in members],
            lead=orgs[lead],
        )
    assert message in caught.value.errors[field]
    assert Organization.objects.count() == before
    assert AuditEntry.objects.filter(action="joint.create", success=False).count() == 1


def test_a_village_enterprise_joint_is_led_by_the_enterprise(cast: Cast, jc: JointCast) -> None:
    joint = joint_create(
        actor=jc.town_admin,
        parent=cast.town,
        name="富水村企联建党总支",
        joint_type=JointType.VILLAGE_ENTERPRISE,
        members=[cast.village, jc.enterprise],
        lead=jc.enterprise,
        code="lj-fs-01",
    )
    assert joint.code == "LJ-FS-01" and current(joint)["富水矿业公司党支部"] == "lead"


def test_members_and_parent_must_lie_in_the_admins_subtree(cast: Cast, jc: JointCast) -> None:
    with pytest.raises(PermissionDenied):  # a village of another town
        joint_create(
            actor=jc.town_admin,
            parent=cast.town,
            name="越界联建",
            joint_type=JointType.VILLAGE_VILLAGE,
            members=[cast.village, jc.far_village],
            lead=cast.village,
        )
    with pytest.raises(PermissionDenied):  # a committee of a sibling county
        joint_create(
            actor=cast.sibling_admin,
            parent=cast.town,
            name="越界联建",
            joint_type=JointType.VILLAGE_VILLAGE,
            members=[cast.sibling_village, cast.village],
            lead=cast.sibling_village,
        )
    with pytest.raises(JointRefused, match="乡镇党委或地方党委"):
        joint_create(
            actor=cast.committee_admin,
            parent=cast.village,
            name="设在村下",
            joint_type=JointType.VILLAGE_VILLAGE,
            members=[cast.village, cast.other_village],
            lead=cast.village,
        )
    failures = AuditEntry.objects.filter(action="joint.create", success=False)
    assert failures.count() == 3 and {f.actor_username for f in failures} == {"town", "sibling", "county"}


def test_member_add_and_new_lead(cast: Cast, jc: JointCast) -> None:
    added = joint_member_add(
        actor=jc.town_admin, joint=jc.committee, member=jc.cooperative, joined_on=datetime.date(2025, 6, 1)
    )
    assert added.role == JointRole.MEMBER and "富水茶叶合作社党支部" in current(jc.committee)
    with pytest.raises(JointRefused, match="已是成员组织"):
        joint_member_add(actor=jc.town_admin, joint=jc.committee, member=jc.cooperative)
    with pytest.raises(JointRefused, match="联建组织不能加入联建组织"):
        joint_member_add(actor=cast.committee_admin, joint=jc.committee, member=jc.across)
    with pytest.raises(JointRefused, match="不能成为村村联建的成员"):
        joint_member_add(actor=cast.committee_admin, joint=jc.across, member=jc.enterprise)
    with pytest.raises(JointRefused, match="不能早于"):
        joint_member_add(
            actor=cast.committee_admin, joint=jc.across, member=jc.third_village, joined_on=datetime.date(2020, 1, 1)
        )
    # The town admin of 试马镇 sees the cross-town joint (its village is a member) but cannot change it.
    with pytest.raises(PermissionDenied):
        joint_member_add(actor=jc.town2_admin, joint=jc.across, member=jc.far_village)
    joint_member_add(actor=cast.committee_admin, joint=jc.across, member=jc.third_village, role=JointRole.LEAD)
    assert current(jc.across) == {"后湾村党支部": "lead", "花家村党支部": "member", "双庙村党支部": "member"}
    audit = AuditEntry.objects.filter(action="joint.member_add", success=True).order_by("pk").last()
    assert audit is not None and audit.actor_username == "county"
    assert len(audit.before["members"]) == 2 and len(audit.after["members"]) == 3


def test_member_leaves_with_date_and_reason_and_the_history_stays(cast: Cast, jc: JointCast) -> None:
    membership = JointMembership.objects.get(joint=jc.committee, member=jc.third_village)
    with pytest.raises(JointRefused):
        joint_member_remove(actor=jc.town_admin, membership=membership, reason="  ")
    with pytest.raises(PermissionDenied):
        joint_member_remove(actor=cast.village_user, membership=membership, reason="合并")
    left = joint_member_remove(
        actor=jc.town_admin, membership=membership, reason="撤并入中心村", left_on=datetime.date(2025, 12, 31)
    )
    assert left.left_on == datetime.date(2025, 12, 31) and left.left_reason == "撤并入中心村"
    assert "后湾村党支部" not in current(jc.committee)
    assert JointMembership.objects.filter(joint=jc.committee).count() == 3  # the row stays
    # It may join again later: a new row, the old one kept.
    joint_member_add(actor=jc.town_admin, joint=jc.committee, member=jc.third_village)
    assert JointMembership.objects.filter(joint=jc.committee, member=jc.third_village).count() == 2
    audit = AuditEntry.objects.get(action="joint.member_remove", success=True)
    assert audit.after["left"] == jc.third_village.pk and audit.after["reason"] == "撤并入中心村"
    assert AuditEntry.objects.filter(action="joint.member_remove", success=False).count() == 2


def test_the_lead_cannot_leave_and_a_joint_keeps_its_form(cast: Cast, jc: JointCast) -> None:
    lead = JointMembership.objects.get(joint=jc.across, role=JointRole.LEAD, left_on__isnull=True)
    with pytest.raises(JointRefused, match="牵头组织不能退出"):
        joint_member_remove(actor=cast.committee_admin, membership=lead, reason="x")
    other = JointMembership.objects.get(joint=jc.across, member=cast.village)
    with pytest.raises(JointRefused, match="不再满足联建条件"):
        joint_member_remove(actor=cast.committee_admin, membership=other, reason="x")
    assert JointMembership.objects.get(pk=other.pk).left_on is None


def test_charter_versions_are_kept(cast: Cast, jc: JointCast) -> None:
    first = joint_charter_adopt(
        actor=jc.town_admin,
        joint=jc.committee,
        text="一、定期联席会议：每月召开一次。",
        items=[CharterItem.JOINT_MEETING, CharterItem.DIVISION],
        adopted_on=datetime.date(2025, 3, 15),
    )
    second = joint_charter_adopt(
        actor=jc.town_admin,
        joint=jc.committee,
        text="一、联席会议每两月一次。\n二、党员联管。",
        items=["member_management"],
    )
    assert (first.version, second.version) == (1, 2)
    assert first.item_labels == ["成员分工负责", "定期联席会议"]
    assert list(JointCharter.objects.filter(joint=jc.committee).values_list("version", flat=True)) == [2, 1]
    with pytest.raises(JointRefused, match="无法识别"):
        joint_charter_adopt(actor=jc.town_admin, joint=jc.committee, text="x", items=["bogus"])
    with pytest.raises(JointRefused):
        joint_charter_adopt(actor=jc.town_admin, joint=jc.committee, text="   ")
    # A member's own users read the rules; only the committee's admins adopt them.
    with pytest.raises(PermissionDenied):
        joint_charter_adopt(actor=cast.village_user, joint=jc.committee, text="x")
    with pytest.raises(PermissionDenied):
        joint_charter_adopt(actor=jc.town2_admin, joint=jc.across, text="x")
    audits = AuditEntry.objects.filter(action="joint.charter_adopt")
    assert audits.filter(success=True).count() == 2 and audits.filter(success=False).count() == 4
    assert audits.filter(success=True).order_by("pk").last().after["version"] == 2  # type: ignore[union-attr]


def test_pool_summary_sums_the_member_villages_figures(cast: Cast, jc: JointCast) -> None:
    village_figure_set(actor=None, village=cast.village, year=2024, households=100, collective_income=Decimal("1"))
    village_figure_set(
        actor=None,
        village=cast.village,
        year=2025,
        households=320,
        population=1200,
        party_members=41,
        collective_income=Decimal("85000.50"),
    )
    village_figure_set(
        actor=None,
        village=cast.other_village,
        year=2025,
        households=180,
        population=640,
        party_members=22,
        collective_income=Decimal("30000"),
    )
    summary = joint_pool_summary(user=jc.town_admin, joint=jc.committee)
    # The lead first, then by pinyin.
    assert [r.village.name for r in summary.rows] == ["花家村党支部", "后湾村党支部", "王家沟村党支部"]
    assert (summary.villages, summary.missing) == (3, 1)
    assert (summary.households, summary.population, summary.party_members) == (500, 1840, 63)
    assert summary.collective_income == Decimal("115000.50")
    older = joint_pool_summary(user=jc.town_admin, joint=jc.committee, year=2024)
    assert (older.households, older.missing, older.collective_income) == (100, 2, Decimal("1"))
    # A member village's user reads the same pooled figures; an outsider gets nothing.
    assert joint_pool_summary(user=cast.village_user, joint=jc.committee).households == 500
    assert joint_pool_summary(user=cast.outsider, joint=jc.committee).rows == []
    assert joint_pool_summary(user=cast.sibling_admin, joint=jc.committee).villages == 0

"""Demo joint organizations on the county demo registry: valid forms, audited, and the demo
reset still clears everything."""

from __future__ import annotations

import datetime

from gongjian.audit.models import AuditEntry
from gongjian.demo.registry import generate
from gongjian.joint.models import JointCharter, JointMembership, JointProfile, JointRole
from gongjian.joint.services import LEAD_KINDS, MEMBER_KINDS
from gongjian.orgs.models import Organization, OrgKind


def _joints() -> list[Organization]:
    return list(
        Organization.objects.filter(kind=OrgKind.JOINT).select_related("joint_profile", "parent").order_by("code")
    )


def _member_codes(joints: list[Organization]) -> list[list[str]]:
    return [sorted(JointMembership.objects.filter(joint=j).values_list("member__code", flat=True)) for j in joints]


def test_demo_joint_organizations(db: None) -> None:
    demo = generate("county", seed=1, year=2026)
    joints = _joints()
    assert len(joints) == demo.counts["joint_organizations"] > 0
    counties = Organization.objects.filter(level="county_committee").count()
    types = [j.joint_profile.joint_type for j in joints]
    assert set(types) == {"joint_village_committee", "village_enterprise", "village_village"}
    assert types.count("joint_village_committee") <= counties and len(joints) <= 3 * counties
    for joint in joints:
        profile = JointProfile.objects.get(organization=joint)
        members = list(JointMembership.objects.filter(joint=joint).select_related("member"))
        assert len(members) >= 2 and all(m.member.kind in MEMBER_KINDS[profile.joint_type] for m in members)
        leads = [m.member for m in members if m.role == JointRole.LEAD]
        assert len(leads) == 1 and leads[0].kind in LEAD_KINDS[profile.joint_type]
        assert profile.founded_on < datetime.date.today() and joint.path.startswith(joint.parent.path)  # type: ignore[union-attr]
        assert JointCharter.objects.filter(joint=joint, version=1).exists()
    across = next(j for j in joints if j.joint_profile.joint_type == "village_village")
    assert {j.parent.kind for j in joints} <= {OrgKind.TOWN, OrgKind.PARTY_COMMITTEE}  # type: ignore[union-attr]
    towns = {m.member.parent_id for m in JointMembership.objects.filter(joint=across).select_related("member")}
    assert len(towns) == 2 and across.parent.kind == OrgKind.PARTY_COMMITTEE  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="joint.create", success=True).count() == len(joints)
    # The same seed on the same registry makes the same choices.
    # (Compared as sorted (name, members): a joint's code carries its parent's id, which a
    # regeneration changes, so the order by code may change with it.)
    made = sorted(zip([j.name for j in joints], _member_codes(joints), strict=True))
    generate("county", seed=1, year=2026, reset=True)
    again = _joints()
    assert sorted(zip([j.name for j in again], _member_codes(again), strict=True)) == made
    # A reset clears joint organizations whose members sit deeper than themselves.
    generate("county", seed=2, year=2026, reset=True)
    old = [j.pk for j in again]
    assert not Organization.objects.filter(pk__in=old).exists() and not JointMembership.objects.filter(joint_id__in=old)

"""Who sees a joint organization: its committee's subtree, and — read-only — the users of its
member organizations, wherever those lie; a sibling county and an outsider see nothing (404)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.joint.models import JointMembership, JointRole
from gongjian.joint.selectors import (
    can_view,
    joint_charters,
    joint_list,
    joint_members,
    joint_pairings,
    joints_of_member,
    organizations_visible,
)
from gongjian.joint.services import joint_charter_adopt, joint_member_remove
from gongjian.orgs.scope import can_manage
from tests.conftest import Cast
from tests.joint.test_services import JointCast, make_joint_cast


@pytest.fixture
def jc(cast: Cast) -> JointCast:
    return make_joint_cast(cast)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def names(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(joint_list(user=user).values_list("name", flat=True))


def test_each_user_sees_the_joints_of_its_subtree_and_those_it_belongs_to(cast: Cast, jc: JointCast) -> None:
    both = {"富水联村党委", "花家双庙村村联建党总支"}
    assert names(cast.city_admin) == both
    assert names(cast.committee_admin) == both
    assert names(jc.town_admin) == both  # the second through its villages (花家村)
    assert names(jc.town2_admin) == {"花家双庙村村联建党总支"}  # through 双庙村, read-only
    assert names(cast.village_user) == both  # 花家村 belongs to both
    assert names(cast.unit_user) == set()
    assert names(cast.sibling_admin) == set()
    assert names(cast.outsider) == set()
    assert names(cast.auditor) == set()
    assert can_manage(jc.town_admin, jc.committee) and not can_manage(jc.town_admin, jc.across)
    assert can_view(jc.town2_admin, jc.across) and not can_manage(jc.town2_admin, jc.across)
    assert not can_view(cast.sibling_admin, jc.committee)


def test_membership_opens_the_joint_only_not_the_other_members(cast: Cast, jc: JointCast) -> None:
    visible = set(organizations_visible(cast.village_user).values_list("name", flat=True))
    assert visible == {"花家村党支部", "富水联村党委", "花家双庙村村联建党总支"}
    client = client_for(cast.village_user)
    assert client.get(reverse("orgs:detail", args=[cast.other_village.pk])).status_code == 404
    assert client.get(reverse("orgs:detail", args=[jc.far_village.pk])).status_code == 404
    # Its members' names are part of the joint organization it reads.
    page = client.get(reverse("joint:detail", args=[jc.across.pk]))
    assert page.status_code == 200
    assert "双庙村党支部" in page.content.decode() and "可查看，不能修改" in page.content.decode()


def test_a_member_that_left_no_longer_sees_the_joint(cast: Cast, jc: JointCast) -> None:
    membership = JointMembership.objects.get(joint=jc.committee, member=cast.other_village)
    from tests.conftest import make_user

    other_user = make_user("wjg", "village_user", cast.other_village)
    assert names(other_user) == {"富水联村党委"}
    joint_member_remove(actor=jc.town_admin, membership=membership, reason="并入花家村")
    assert names(other_user) == set()
    assert client_for(other_user).get(reverse("joint:detail", args=[jc.committee.pk])).status_code == 404


@pytest.mark.parametrize("who", ["sibling_admin", "outsider", "unit_user"])
def test_outsiders_get_404_everywhere(cast: Cast, jc: JointCast, who: str) -> None:
    user = getattr(cast, who)
    client = client_for(user)
    membership = JointMembership.objects.filter(joint=jc.committee).first()
    assert membership is not None
    urls = [
        ("get", reverse("joint:detail", args=[jc.committee.pk])),
        ("get", reverse("joint:detail", args=[jc.across.pk])),
        ("get", reverse("joint:charter", args=[jc.committee.pk])),
        ("post", reverse("joint:charter", args=[jc.committee.pk])),
        ("post", reverse("joint:member_add", args=[jc.committee.pk])),
        ("get", reverse("joint:member_remove", args=[jc.committee.pk, membership.pk])),
        ("post", reverse("joint:member_remove", args=[jc.committee.pk, membership.pk])),
        ("get", reverse("joint:panel", args=[cast.village.pk])),
        ("get", reverse("orgs:detail", args=[jc.committee.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"member": cast.village.code, "text": "x", "reason": "x"})
        assert response.status_code == 404, (method, url)
    assert list(joint_members(user=user, joint=jc.committee)) == []
    assert list(joint_charters(user=user, joint=jc.committee)) == []
    assert list(joints_of_member(user=user, organization=cast.village)) == []
    assert joint_pairings(user=user, joint=jc.committee) == []
    listing = client.get(reverse("joint:list")).content.decode()
    assert "富水联村党委" not in listing and "花家双庙" not in listing
    exported = load_workbook(io.BytesIO(client.get(reverse("joint:export")).content)).worksheets[0]
    assert exported.max_row == 1  # the header only


def test_a_member_reads_but_cannot_write(cast: Cast, jc: JointCast) -> None:
    client = client_for(jc.town2_admin)
    assert client.get(reverse("joint:detail", args=[jc.across.pk])).status_code == 200
    membership = JointMembership.objects.get(joint=jc.across, member=cast.village)
    for method, url in [
        ("get", reverse("joint:charter", args=[jc.across.pk])),
        ("post", reverse("joint:member_add", args=[jc.across.pk])),
        ("post", reverse("joint:member_remove", args=[jc.across.pk, membership.pk])),
    ]:
        assert getattr(client, method)(url, {"member": "C0011", "reason": "x"}).status_code == 403
    assert JointMembership.objects.filter(joint=jc.across, left_on__isnull=True).count() == 2
    # Nor can it open the joint as a node of its tree: that is the county's.
    assert client.get(reverse("orgs:detail", args=[jc.across.pk])).status_code == 404


def test_member_page_shows_its_joint_organizations(cast: Cast, jc: JointCast) -> None:
    joint_charter_adopt(actor=jc.town_admin, joint=jc.committee, text="每月召开联席会议", items=["joint_meeting"])
    client = client_for(cast.village_user)
    panel = client.get(reverse("joint:panel", args=[cast.village.pk])).content.decode()
    assert "所属联建组织" in panel and "富水联村党委" in panel and "花家双庙村村联建党总支" in panel
    assert "牵头" in panel and "联村党委" in panel
    page = client.get(reverse("orgs:detail", args=[cast.village.pk])).content.decode()
    assert reverse("joint:panel", args=[cast.village.pk]) in page  # loaded by htmx
    detail = client.get(reverse("joint:detail", args=[jc.committee.pk])).content.decode()
    assert "每月召开联席会议" in detail and "定期联席会议" in detail
    # The joint organization's own page in the tree lists its members.
    town_client = client_for(jc.town_admin)
    joint_panel = town_client.get(reverse("joint:panel", args=[jc.committee.pk])).content.decode()
    assert "联建成员组织" in joint_panel and "后湾村党支部" in joint_panel
    assert "设立联建组织" in town_client.get(reverse("joint:panel", args=[cast.town.pk])).content.decode()


def test_joint_organizations_are_found_by_pinyin(cast: Cast, jc: JointCast) -> None:
    assert {o.name for o in joint_list(user=cast.committee_admin, query="fslc")} == {"富水联村党委"}
    assert {o.name for o in joint_list(user=cast.committee_admin, query="shuangmiao")} == {"花家双庙村村联建党总支"}
    assert {o.name for o in joint_list(user=cast.committee_admin, query="lianjian")} == {"花家双庙村村联建党总支"}
    assert {o.name for o in joint_list(user=cast.committee_admin, query="hjsm")} == {"花家双庙村村联建党总支"}
    assert {o.name for o in joint_list(user=cast.committee_admin, joint_type="village_village")} == {
        "花家双庙村村联建党总支"
    }
    listing = client_for(cast.committee_admin).get(reverse("orgs:list"), {"q": "fslc"}).content.decode()
    assert "富水联村党委" in listing


def test_create_through_the_page_keeps_input_on_error(cast: Cast, jc: JointCast) -> None:
    client = client_for(jc.town_admin)
    form = client.get(reverse("joint:create")).content.decode()
    assert "后湾村党支部" in form and "双庙村党支部" not in form  # members from the town only
    data = {
        "name": "富水村社联建党总支",
        "joint_type": "village_cooperative",
        "founded_on": "2025-04-01",
        "members": [str(cast.village.pk), str(cast.other_village.pk)],
        "lead": str(cast.village.pk),
    }
    response = client.post(reverse("joint:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "富水村社联建党总支" in body and "至少需要 1 个合作社" in body  # typed name kept, the reason shown
    data["members"] = [str(cast.village.pk), str(jc.cooperative.pk)]
    response = client.post(reverse("joint:create"), data)
    assert response.status_code == 302
    created = joint_list(user=jc.town_admin).get(name="富水村社联建党总支")
    assert {m.member.name: m.role for m in joint_members(user=jc.town_admin, joint=created)} == {
        "花家村党支部": JointRole.LEAD,
        "富水茶叶合作社党支部": JointRole.MEMBER,
    }
    assert AuditEntry.objects.filter(action="joint.create", object_id=str(created.pk), actor_username="town").exists()
    # Members added by code or by pinyin; a wrong one keeps what was typed.
    add = reverse("joint:member_add", args=[created.pk])
    bad = client.post(add, {"member": "nosuch", "role": "member", "joined_on": "2025-05-01"})
    assert bad.status_code == 400 and "nosuch" in bad.content.decode()
    ok = client.post(add, {"member": "hwc", "role": "member", "joined_on": "2025-05-01"})
    assert ok.status_code == 302
    assert JointMembership.objects.filter(joint=created, member=jc.third_village, left_on__isnull=True).exists()

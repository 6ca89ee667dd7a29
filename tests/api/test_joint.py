"""Joint organizations over the API, with the standing cast: the joint's committee manages
it, members' users read it, a sibling county and an outsider get 404; the joint services'
refusals (409, or 422 naming the field, with `detail` and `code`) and forbidden writes (403)
say why in Chinese."""

from __future__ import annotations

import pytest

from gongjian.joint.models import JointMembership
from tests.api.helpers import bearer, is_chinese, post, session
from tests.conftest import Cast
from tests.joint.test_services import JointCast, make_joint_cast


@pytest.fixture
def jc(cast: Cast) -> JointCast:
    return make_joint_cast(cast)


def test_reads_are_scoped(cast: Cast, jc: JointCast) -> None:
    names = {j["name"] for j in session(cast.committee_admin).get("/api/joint/").json()["items"]}
    assert names == {"富水联村党委", "花家双庙村村联建党总支"}
    client, _secret = bearer(cast.village_user)
    detail = client.get(f"/api/joint/{jc.committee.pk}").json()
    assert {m["member"] for m in detail["members"]} == {"花家村党支部", "王家沟村党支部", "后湾村党支部"}
    assert client.get(f"/api/joint/{jc.committee.pk}/members/").status_code == 200
    assert client.get(f"/api/joint/{jc.committee.pk}/charters/").status_code == 200
    for who in ("outsider", "sibling_admin", "unit_user"):
        stranger = session(getattr(cast, who))
        assert stranger.get("/api/joint/").json()["count"] == 0
        for suffix in ("", "/members/", "/charters/"):
            assert stranger.get(f"/api/joint/{jc.committee.pk}{suffix}").status_code == 404, (who, suffix)


def test_members_added_and_removed_by_the_joints_admin(cast: Cast, jc: JointCast) -> None:
    url = f"/api/joint/{jc.committee.pk}/members/"
    body = {"member_id": jc.third_village.pk}
    for stranger in (cast.outsider, cast.sibling_admin):
        assert post(session(stranger), url, {"member_id": cast.sibling_village.pk}).status_code == 404
    # Already a member: the service's reason, on the field.
    again = post(session(jc.town_admin), url, body)
    assert again.status_code == 422 and "已是成员组织" in again.json()["detail"]
    assert again.json()["code"] == "already_member" and again.json()["field"] == "member"
    membership = JointMembership.objects.get(joint=jc.committee, member=jc.third_village)
    remove = f"{url}{membership.pk}/remove"
    assert post(session(cast.outsider), remove, {"reason": "合并"}).status_code == 404
    # A member's user reads the joint but may not manage it.
    forbidden = post(session(cast.village_user), remove, {"reason": "合并"})
    assert forbidden.status_code == 403 and is_chinese(forbidden.json()["detail"])
    reasonless = post(session(jc.town_admin), remove, {"reason": " "})
    assert reasonless.status_code == 422 and is_chinese(reasonless.json()["detail"])
    assert reasonless.json()["code"] == "reason_missing"
    removed = post(session(jc.town_admin), remove, {"reason": "村庄合并"})
    assert removed.status_code == 200 and removed.json()["left_on"]
    added = post(session(jc.town_admin), url, body)
    assert added.status_code == 201 and added.json()["member"] == "后湾村党支部"


def test_charter_adopted(cast: Cast, jc: JointCast) -> None:
    url = f"/api/joint/{jc.committee.pk}/charters/"
    body = {"text": "联席会议每季度一次", "items": []}
    assert post(session(cast.outsider), url, body).status_code == 404
    assert post(session(cast.village_user), url, body).status_code == 403
    empty = post(session(jc.town_admin), url, {"text": " "})
    assert empty.status_code == 422 and is_chinese(empty.json()["detail"]) and empty.json()["code"] == "text_missing"
    adopted = post(session(jc.town_admin), url, body)
    assert adopted.status_code == 201
    assert session(cast.village_user).get(url).json()[0]["version"] == adopted.json()["version"]

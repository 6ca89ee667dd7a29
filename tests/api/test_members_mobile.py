"""Mobile members' registration, agreement, moves and return over the API, with the standing
cast: the origin side succeeds, an outsider gets 404, a refusal is a 409/422 (or the form's
400) with a Chinese detail."""

from __future__ import annotations

import datetime

from gongjian.members.models import MemberStatus, MobileMember
from gongjian.orgs.models import Person
from tests.api.helpers import assert_refused, bearer, is_chinese, post, session
from tests.conftest import Cast
from tests.members.conftest import member, needy_member, policy_dir  # noqa: F401

TODAY = datetime.date.today()


def test_register_generate_and_sign(cast: Cast, needy_member: Person) -> None:  # noqa: F811
    body = {
        "id_number": needy_member.id_number,
        "location": "西安市雁塔区",
        "work": "快递员",
        "left_on": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "host_code": cast.sibling_village.code,
    }
    # Outside the registry of the caller's scope: the ID number is not found there.
    stranger = post(session(cast.outsider), "/api/members/mobile/", body)
    assert stranger.status_code == 400 and is_chinese(stranger.json()["errors"]["id_number"][0])
    unknown_host = post(session(cast.committee_admin), "/api/members/mobile/", {**body, "host_code": "NOPE"})
    assert unknown_host.status_code == 400 and "host_code" in unknown_host.json()["errors"]
    client, _secret = bearer(cast.committee_admin)
    created = post(client, "/api/members/mobile/", body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["name"] == "张秀英" and out["status"] == "pending" and out["host"] == "清泉村党支部"
    url = f"/api/members/mobile/{out['id']}"
    again = post(client, "/api/members/mobile/", body)
    assert again.status_code == 422 and again.json()["field"] == "person" and is_chinese(again.json()["detail"])

    assert session(cast.outsider).get(f"{url}/agreement").status_code == 404
    assert post(session(cast.outsider), f"{url}/agreement").status_code == 404
    assert client.get(f"{url}/agreement/pdf").status_code == 404  # not generated yet
    generated = post(client, f"{url}/agreement")
    assert generated.status_code == 200, generated.content
    assert generated.json()["generated"] and len(generated.json()["sha256"]) == 64
    pdf = client.get(f"{url}/agreement/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert session(cast.outsider).get(f"{url}/agreement/pdf").status_code == 404

    sign = {"signed_on": TODAY.isoformat(), "branch_signer": "张书记"}
    assert post(session(cast.outsider), f"{url}/agreement/sign", sign).status_code == 404
    signed = post(client, f"{url}/agreement/sign", sign)
    assert signed.status_code == 200 and signed.json()["signed_on"] == TODAY.isoformat()
    assert MobileMember.objects.get(pk=out["id"]).status == MemberStatus.OUT
    body_twice = assert_refused(post(client, f"{url}/agreement/sign", sign), (409,))
    assert body_twice["code"] == "already_signed"


def test_move_and_return(cast: Cast, member: MobileMember) -> None:  # noqa: F811
    url = f"/api/members/mobile/{member.pk}"
    move = {"moved_on": TODAY.isoformat(), "location": "商州区", "work": "餐馆帮厨", "host_code": cast.town.code}
    assert post(session(cast.outsider), f"{url}/move", move).status_code == 404
    moved = post(session(cast.committee_admin), f"{url}/move", move)
    assert moved.status_code == 200, moved.content
    assert moved.json()["location"] == "商州区" and moved.json()["host"] == "富水镇党委"
    assert post(session(cast.outsider), f"{url}/return", {"returned_on": TODAY.isoformat()}).status_code == 404
    early = post(session(cast.committee_admin), f"{url}/return", {"returned_on": "2000-01-01"})
    assert early.status_code == 422 and early.json()["field"] == "returned_on" and is_chinese(early.json()["detail"])
    back = post(session(cast.committee_admin), f"{url}/return", {"returned_on": TODAY.isoformat()})
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert assert_refused(post(session(cast.committee_admin), f"{url}/move", move), (409,))["code"] == "returned"
    assert assert_refused(post(session(cast.committee_admin), f"{url}/return", {"returned_on": TODAY.isoformat()}))

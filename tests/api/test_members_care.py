"""The origin's 七一 letter, 腊月 forum and 五送一建 over the API, with the standing cast: the
village records for its members out, an outsider gets 404 on the village's choices, a
refusal is a 409/422 in Chinese."""

from __future__ import annotations

import datetime

from gongjian.members.models import MobileMember
from gongjian.members.policy import twelfth_month
from gongjian.orgs.models import Person
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast
from tests.members.conftest import member, needy_member, policy_dir  # noqa: F401

TODAY = datetime.date.today()


def test_letter_forum_and_care(cast: Cast, member: MobileMember, needy_member: Person) -> None:  # noqa: F811
    letter = {"organization_id": cast.village.pk, "year": TODAY.year, "sent_on": TODAY.isoformat(),
              "summary": "村党支部今年的工作思路和成效"}  # fmt: skip
    assert post(session(cast.outsider), "/api/members/care/letters", letter).status_code == 404
    client, _secret = bearer(cast.village_user)
    sent = post(client, "/api/members/care/letters", letter)
    assert sent.status_code == 201, sent.content
    assert sent.json()["recipients"] == 1
    assert assert_refused(post(client, "/api/members/care/letters", letter), (409,))["code"] == "duplicate"

    lunar_year = TODAY.year - 1
    first, last = twelfth_month(lunar_year)
    forum = {"organization_id": cast.village.pk, "lunar_year": lunar_year,
             "held_on": (first + datetime.timedelta(days=10)).isoformat(), "attendee_ids": [member.pk],
             "report": "茶园扩种、道路硬化", "satisfied": 1}  # fmt: skip
    assert post(session(cast.outsider), "/api/members/care/forums", forum).status_code == 404
    late = {**forum, "held_on": (last + datetime.timedelta(days=20)).isoformat()}
    assert assert_refused(post(client, "/api/members/care/forums", late), (422,))["field"] == "held_on"
    held = post(client, "/api/members/care/forums", forum)
    assert held.status_code == 201 and held.json()["satisfied"] == 1

    care = {"member_id": needy_member.pk, "cared_on": TODAY.isoformat(), "content": "送慰问金", "amount": "500"}
    assert post(session(cast.outsider), "/api/members/care/cares", care).status_code == 404
    assert post(client, "/api/members/care/cares", care).status_code == 201
    seen = session(cast.committee_admin).get("/api/members/care").json()
    assert [len(seen[k]) for k in ("letters", "forums", "cares")] == [1, 1, 1]
    nothing = session(cast.outsider).get("/api/members/care").json()
    assert [len(nothing[k]) for k in ("letters", "forums", "cares")] == [0, 0, 0]

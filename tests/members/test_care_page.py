"""The letters, forums and care page (seed 004 doc 3, seed 002): the village records the 腊月
forum with its 评议 on the page; the sibling county sees none of it; the auditor cannot post."""

from __future__ import annotations

import datetime

from django.test import Client

from gongjian.members.models import MemberCare, MobileMember, WinterForum
from gongjian.members.policy import twelfth_month
from gongjian.orgs.models import Person
from tests.conftest import Cast


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_village_records_its_forum_and_care_on_the_page(cast: Cast, member: MobileMember) -> None:
    village = _client(cast.village_user)
    lunar_year = datetime.date.today().year - 1
    first, _ = twelfth_month(lunar_year)
    response = village.post("/members/care/", {
        "forum": "1", "organization": cast.village.pk, "lunar_year": lunar_year,
        "held_on": f"{first + datetime.timedelta(days=5)}", "attendees": [member.pk],
        "report": "一年来村党支部的工作", "satisfied": "1", "basically_satisfied": "0", "dissatisfied": "0",
    })  # fmt: skip
    assert response.status_code == 302
    assert WinterForum.objects.get().attendees.get() == member
    needy = Person.objects.get(organization=cast.village, name="张秀英")
    village.post("/members/care/", {"care": "1", "member": needy.pk, "cared_on": f"{datetime.date.today()}",
                                    "content": "送去慰问金"})  # fmt: skip
    assert MemberCare.objects.get().member == needy
    page = village.get("/members/care/").content.decode()
    assert "满意 1，基本满意 0，不满意 0" in page and "送去慰问金" in page
    # Too many votes: refused next to the field, nothing new written.
    again = village.post("/members/care/", {
        "forum": "1", "organization": cast.village.pk, "lunar_year": lunar_year - 1,
        "held_on": f"{twelfth_month(lunar_year - 1)[0]}", "attendees": [member.pk], "report": "述职",
        "satisfied": "2", "basically_satisfied": "0", "dissatisfied": "0",
    })  # fmt: skip
    assert again.status_code == 200 and "评议票数不能多于参加人数" in again.content.decode()
    assert WinterForum.objects.count() == 1


def test_outside_the_scope_nothing_is_seen_or_written(cast: Cast, member: MobileMember) -> None:
    MemberCare.objects.create(
        member=Person.objects.get(organization=cast.village, name="张秀英"), organization=cast.village,
        cared_on=datetime.date.today(), content="送去慰问金",
    )  # fmt: skip
    for user in (cast.sibling_admin, cast.outsider):
        response = _client(user).get("/members/care/")
        assert response.status_code in (200, 404) and "送去慰问金" not in response.content.decode()
    assert _client(cast.auditor).post("/members/care/", {"care": "1"}).status_code == 404

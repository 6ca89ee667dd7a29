"""Issue 16 points 10 and 12 — what the seeds ask to be done, recorded, not only reminded.

Point 12, seed 004 doc 3 (Suifenhe "八个一"): "慰问一封信。每年‘七一’前夕，党（工）委给流动党员
寄发一封慰问信" and "腊月一座谈。在每年腊月流出党员返乡高峰，组织流出党员召开座谈会……进行党组织
述职，接受评议". By hand: the origin records that the letter went out (and to how many members);
the forum is recorded with the date (inside 腊月), who came, the organization's 述职 and the
评议 result (how many satisfied); once recorded, the year's reminder is not sent.

Point 10, seed 002: "扎实开展‘五送一建’活动，关心弱势、困难党员" — care for a needy party member is
its own record (not the unit's 五送 to the village).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gongjian.audit.models import AuditEntry
from gongjian.members.errors import MembersActionRefused
from gongjian.members.models import MobileMember
from gongjian.members.policy import twelfth_month
from gongjian.orgs.models import Person
from tests.conftest import Cast

REFUSED = (MembersActionRefused, PermissionDenied)


def test_the_seven_one_letter_is_recorded_and_stops_its_reminder(cast: Cast, member: MobileMember) -> None:
    from gongjian.members.services_care import letter_record
    from gongjian.members.services_reminders import reminders_send

    year = datetime.date.today().year
    letter = letter_record(
        actor=cast.village_user, organization=cast.village, year=year, sent_on=datetime.date(year, 6, 25),
        summary="通报村党支部今年工作思路、核心任务和茶园项目进展",
    )  # fmt: skip
    assert (letter.recipients, letter.on_time) == (1, True)  # one member out; before 七一
    with pytest.raises(REFUSED):  # once a year
        letter_record(
            actor=cast.village_user, organization=cast.village, year=year, sent_on=datetime.date(year, 6, 26),
            summary="再寄一封",
        )  # fmt: skip
    # Within the reminder window (30 days before 1 July) nothing is sent: the letter went out.
    assert [r.kind for r in reminders_send(today=datetime.date(year, 6, 20))] == []
    for user in (cast.unit_user, cast.sibling_admin, cast.outsider):
        with pytest.raises(REFUSED):
            letter_record(actor=user, organization=cast.village, year=year - 1, sent_on=datetime.date(year - 1, 6, 1),
                          summary="x")  # fmt: skip
    assert AuditEntry.objects.filter(action="member_letter.record", success=False).count() == 4


def test_the_winter_forum_with_report_and_evaluation(cast: Cast, member: MobileMember) -> None:
    from gongjian.members.services_care import forum_record

    lunar_year = datetime.date.today().year - 1
    first, last = twelfth_month(lunar_year)
    with pytest.raises(REFUSED):  # not in 腊月
        forum_record(
            actor=cast.village_user, organization=cast.village, lunar_year=lunar_year,
            held_on=last + datetime.timedelta(days=20), attendees=[member], report="述职", satisfied=1,
        )  # fmt: skip
    with pytest.raises(REFUSED):  # more votes than people
        forum_record(
            actor=cast.village_user, organization=cast.village, lunar_year=lunar_year, held_on=first,
            attendees=[member], report="述职", satisfied=1, basically_satisfied=1,
        )  # fmt: skip
    forum = forum_record(
        actor=cast.village_user, organization=cast.village, lunar_year=lunar_year,
        held_on=first + datetime.timedelta(days=10), attendees=[member],
        report="村党支部一年来的工作：茶园扩种、道路硬化", satisfied=1,
        opinions="希望帮助联系外地务工岗位",
    )  # fmt: skip
    assert list(forum.attendees.all()) == [member]
    assert (forum.satisfied, forum.basically_satisfied, forum.dissatisfied) == (1, 0, 0)
    assert forum.report.startswith("村党支部") and forum.evaluation_label == "满意 1，基本满意 0，不满意 0"


def test_five_deliveries_one_build_is_its_own_record_for_a_needy_member(cast: Cast) -> None:
    from gongjian.members.models import MemberCare
    from gongjian.members.services_care import member_care_record

    needy = Person.objects.get(organization=cast.village, name="张秀英")
    care = member_care_record(
        actor=cast.village_user, member=needy, cared_on=datetime.date.today(), content="春节前送去慰问金和米面油"
    )
    assert MemberCare.objects.get() == care and care.organization == cast.village
    for user in (cast.sibling_admin, cast.outsider):
        with pytest.raises(REFUSED):
            member_care_record(actor=user, member=needy, cared_on=datetime.date.today(), content="x")
    assert MemberCare.objects.count() == 1

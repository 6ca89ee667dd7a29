"""The first link of the reporting chain (issue 16 point 9; seed 004 doc 5 三、3 "机关单位党员每季度
向所在党组织报告一次，机关单位党组织每季度向所在上级党委报告一次，各党委每半年对共建情况进行一次
检查通报").

By hand, under the town's profile (``member_reports.due_days`` 10, a local default): the unit
has two party members (李建国, 王芳) and one non-member (赵强). Last quarter 李建国 reported, 王芳
did not: 2 owe a report, 1 reported, 王芳 is overdue the day after the quarter's end + 10 days;
赵强 owes nothing. The unit's own quarterly report and its superior's list carry those counts.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.orgs.models import Person
from gongjian.orgs.services import person_create
from gongjian.records.errors import RecordActionRefused
from gongjian.records.selectors_reports import assemble_report_body, quarter_bounds
from gongjian.rounds.models import PairingStatus
from tests.conftest import Cast, fix_check
from tests.rounds.seed_rounds import client_for, pair, profile_round

pytestmark = pytest.mark.django_db


def last_quarter() -> tuple[int, int]:
    today = datetime.date.today()
    q = (today.month - 1) // 3 + 1
    return (today.year, q - 1) if q > 1 else (today.year - 1, 4)


def members(cast: Cast) -> tuple[Person, Person, Person]:
    li = Person.objects.get(organization=cast.unit, name="李建国")
    wang = person_create(actor=None, organization=cast.unit, name="王芳", id_number=fix_check("611023198203030020"))
    zhao = person_create(
        actor=None,
        organization=cast.unit,
        name="赵强",
        id_number=fix_check("611023199004040010"),
        is_party_member=False,
    )
    return li, wang, zhao


def test_each_member_reports_to_the_units_organization_every_quarter(cast: Cast) -> None:
    from gongjian.records.selectors_member_reports import member_report_rows, member_summary
    from gongjian.records.services_member_reports import member_report_record

    round_ = profile_round(cast, "town_quarterly")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    li, _wang, zhao = members(cast)
    year, quarter = last_quarter()
    _start, end = quarter_bounds(year, quarter)
    member_report_record(
        actor=cast.unit_user, person=li, year=year, quarter=quarter, content="走访花家村两次，协调资金", reported_on=end
    )

    due = end + datetime.timedelta(days=10)  # the quarter's end + member_reports.due_days
    rows = {r.person.name: r for r in member_report_rows(user=cast.unit_user, year=year, quarter=quarter, today=due)}
    assert set(rows) == {"李建国", "王芳"}  # 赵强 is not a party member
    assert rows["李建国"].report is not None and rows["王芳"].report is None
    assert rows["王芳"].due == due and not rows["王芳"].overdue  # due that day, not yet late
    later = {r.person.name: r for r in member_report_rows(
        user=cast.unit_user, year=year, quarter=quarter, today=due + datetime.timedelta(days=1)
    )}  # fmt: skip
    assert later["王芳"].overdue and not later["李建国"].overdue

    summary = member_summary(cast.unit, year, quarter)
    assert (summary.members, summary.reported, summary.missing) == (2, 1, ("王芳",))
    body = assemble_report_body(cast.unit, year, quarter)
    assert "应报 2 人，已报 1 人" in body and "未报：王芳" in body
    assert AuditEntry.objects.filter(action="member_report.record", success=True).count() == 1
    del zhao


def test_refusals(cast: Cast) -> None:
    from gongjian.records.services_member_reports import member_report_record

    round_ = profile_round(cast, "town_quarterly")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    li, _wang, zhao = members(cast)
    year, quarter = last_quarter()
    member_report_record(actor=cast.unit_user, person=li, year=year, quarter=quarter, content="已报告")
    with pytest.raises(RecordActionRefused) as again:
        member_report_record(actor=cast.unit_user, person=li, year=year, quarter=quarter, content="再报")
    assert again.value.code == "duplicate"
    with pytest.raises(RecordActionRefused) as not_member:
        member_report_record(actor=cast.unit_user, person=zhao, year=year, quarter=quarter, content="群众")
    assert not_member.value.code == "not_member"
    villager = Person.objects.get(organization=cast.village)
    with pytest.raises(RecordActionRefused):
        member_report_record(actor=cast.unit_user, person=villager, year=year, quarter=quarter, content="外单位")
    with pytest.raises(PermissionDenied):
        member_report_record(actor=cast.village_user, person=villager, year=year, quarter=quarter, content="村")
    with pytest.raises(ValidationError):
        member_report_record(
            actor=cast.unit_user, person=li, year=datetime.date.today().year + 1, quarter=1, content="x"
        )


def test_a_profile_without_the_rule_sets_no_due_day(cast: Cast) -> None:
    from gongjian.records.selectors_member_reports import member_report_rows

    round_ = profile_round(cast, "shanghai")  # seed 004 doc 1 has no members' reports
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    year, quarter = last_quarter()
    rows = member_report_rows(user=cast.unit_user, year=year, quarter=quarter, today=datetime.date.today())
    assert rows and all(r.due is None and not r.overdue for r in rows)


def test_pages_unit_records_superior_sees_counts_others_get_404(cast: Cast) -> None:
    round_ = profile_round(cast, "town_quarterly")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    li, _wang, _zhao = members(cast)
    year, quarter = last_quarter()
    url = reverse("records:member_reports") + f"?year={year}&quarter={quarter}"
    unit = client_for(cast.unit_user)
    page = unit.get(url).content.decode()
    assert "李建国" in page and "王芳" in page and "赵强" not in page and "应报 2 人，已报 0 人" in page
    done = unit.post(url, {"person": li.pk, "content": "本季度走访两次", "reported_on": ""})
    assert done.status_code == 302
    assert "应报 2 人，已报 1 人" in unit.get(url).content.decode()
    for user in (cast.outsider, cast.village_user, cast.committee_admin):
        assert client_for(user).get(url).status_code == 404
    superior = client_for(cast.committee_admin).get(reverse("records:reports") + f"?year={year}&quarter={quarter}")
    assert "1 / 2" in superior.content.decode()


def test_the_half_year_notice_states_the_members_reports(cast: Cast) -> None:
    from gongjian.records.notice_pdf import notice_figures
    from gongjian.records.services_member_reports import member_report_record

    round_ = profile_round(cast, "town_quarterly")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    li, _wang, _zhao = members(cast)
    year, quarter = last_quarter()
    member_report_record(actor=cast.unit_user, person=li, year=year, quarter=quarter, content="已报告")
    half = 1 if quarter <= 2 else 2
    today = datetime.date.today()
    # By hand: each quarter of the half whose due day (its end + 10 days) has passed owes 2
    # reports (李建国, 王芳); one was made, in the last quarter (if that quarter is due yet).
    due_quarters = [
        q for q in ((1, 2) if half == 1 else (3, 4)) if quarter_bounds(year, q)[1] + datetime.timedelta(days=10) < today
    ]
    figures = notice_figures(cast.county, year, half, today)
    assert figures.member_reports_due == 2 * len(due_quarters)
    assert figures.member_reports_made == (1 if quarter in due_quarters else 0)

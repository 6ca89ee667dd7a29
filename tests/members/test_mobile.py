"""Mobile members: registration and agreement, dual scope, moves with history, reports
with missing ones flagged, the host ↔ origin query, counts, the agreement PDF."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongjian.audit.models import AuditEntry
from gongjian.members import selectors_mobile as sel
from gongjian.members.errors import MembersActionRefused, MembersInputRefused
from gongjian.members.models import HostingPeriod, MemberStatus, ReportChannel
from gongjian.members.policy import half_of, halves_due, profile_key_for, rules_for
from gongjian.members.services_mobile import (
    agreement_generate,
    agreement_record_signed,
    member_move,
    member_register,
    member_return,
    station_create,
)
from gongjian.members.services_reports import query_answer, query_ask, report_file
from tests.conftest import make_user
from tests.members.conftest import make_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_registration_is_pending_until_the_agreement_is_signed(cast) -> None:
    person = make_person(cast.village, "郑强", "61102319900101005")
    member = member_register(
        actor=cast.village_user,
        person=person,
        location="西安市雁塔区",
        work="快递员",
        left_on=TODAY + datetime.timedelta(days=5),
    )
    assert member.status == MemberStatus.PENDING and member.phone == person.phone
    assert sel.flags_for([member])[member.pk] == ["未签订管理协议，登记未完成"]
    assert HostingPeriod.objects.get(member=member).ended_on is None
    with pytest.raises(MembersActionRefused):
        member_register(actor=cast.village_user, person=person, location="x", work="y", left_on=TODAY)
    with pytest.raises(PermissionDenied):
        agreement_record_signed(actor=cast.sibling_admin, member=member, signed_on=TODAY, branch_signer="x")
    agreement_record_signed(actor=cast.village_user, member=member, signed_on=TODAY, branch_signer="王书记")
    member.refresh_from_db()
    assert member.status == MemberStatus.OUT
    assert sel.flags_for([member])[member.pk] == []
    with pytest.raises(MembersActionRefused):
        agreement_record_signed(actor=cast.village_user, member=member, signed_on=TODAY, branch_signer="王书记")
    # Both refusals on record: the other county's, raised before the write (issue 12 item 9), and the repeat.
    assert AuditEntry.objects.filter(action="member_agreement.sign", success=False).count() == 2
    assert AuditEntry.objects.filter(action="mobile_member.register", success=True).count() == 1


def test_a_late_agreement_and_missing_reports_are_flagged(cast, needy_member) -> None:
    left = datetime.date(TODAY.year - 2, 3, 1)
    member = member_register(actor=cast.village_user, person=needy_member, location="深圳", work="电子厂", left_on=left)
    agreement_record_signed(
        actor=cast.village_user, member=member, signed_on=left + datetime.timedelta(days=9), branch_signer="王书记"
    )
    member.refresh_from_db()
    grace = rules_for(cast.village).report_grace_days
    assert grace == 20  # from the temporary profile's members block
    owed = halves_due(left, None, TODAY, grace)
    assert owed and owed[0][:2] == (left.year, 1)
    flags = sel.flags_for([member])[member.pk]
    assert flags[0] == "管理协议晚于外出日期签订"
    assert len(flags) == 1 + len(owed)
    report_file(
        actor=cast.village_user,
        member=member,
        year=left.year,
        half=1,
        channel=ReportChannel.PHONE,
        work="电子厂流水线组长",
        thoughts="按时交纳党费",
    )
    missing = sel.missing_reports(user=cast.committee_admin)
    assert (left.year, 1) not in {(m.year, m.half) for m in missing}
    assert len(missing) == len(owed) - 1
    assert sel.missing_reports(user=cast.outsider) == []


def test_halves_due_respects_grace_and_return() -> None:
    left = datetime.date(2025, 5, 10)
    assert halves_due(left, None, datetime.date(2025, 7, 15), 15) == []
    assert [h[:2] for h in halves_due(left, None, datetime.date(2025, 7, 16), 15)] == [(2025, 1)]
    assert [h[:2] for h in halves_due(left, datetime.date(2025, 12, 1), datetime.date(2027, 1, 1), 15)] == [(2025, 1)]


def test_dual_scope_origin_and_current_host_see_others_do_not(cast, member) -> None:
    assert sel.member_get(user=cast.village_user, pk=member.pk) == member  # origin
    assert sel.member_get(user=cast.city_admin, pk=member.pk) == member  # origin's superior
    assert sel.member_get(user=cast.sibling_admin, pk=member.pk) == member  # host's county
    for user in (cast.outsider, cast.unit_user, cast.auditor):
        with pytest.raises(Http404):
            sel.member_get(user=user, pk=member.pk)
    # moved to a host in the origin's own county: the sibling county no longer sees it
    period = member_move(
        actor=cast.village_user,
        member=member,
        moved_on=TODAY,
        location="商南县城关",
        work="餐馆厨师",
        host=cast.other_village,
    )
    with pytest.raises(Http404):
        sel.member_get(user=cast.sibling_admin, pk=member.pk)
    periods = list(sel.member_periods(member))
    assert [p.host for p in periods] == [cast.sibling_village, cast.other_village]
    assert periods[0].ended_on == TODAY and periods[1] == period and period.ended_on is None
    assert AuditEntry.objects.get(action="mobile_member.move").before["host_id"] == cast.sibling_village.pk


def test_the_member_account_files_its_own_report(cast, member) -> None:
    account = make_user("zhangxiuying", "village_user", cast.sibling_village)
    member.account = account
    member.save()
    year, half = half_of(TODAY)
    report = report_file(
        actor=account, member=member, year=year, half=half, channel=ReportChannel.ONLINE, work="木工", thoughts="好"
    )
    assert report.on_behalf is False
    with pytest.raises(MembersInputRefused) as exc:
        report_file(actor=account, member=member, year=year, half=half, channel="online", work="x", thoughts="y")
    assert "half" in exc.value.errors
    with pytest.raises(MembersActionRefused):
        nxt = (year, 2) if half == 1 else (year + 1, 1)
        report_file(
            actor=cast.village_user, member=member, year=nxt[0], half=nxt[1], channel="phone", work="x", thoughts="y"
        )
    with pytest.raises(PermissionDenied):
        report_file(actor=cast.outsider, member=member, year=year - 1, half=1, channel="phone", work="x", thoughts="y")


def test_host_asks_origin_answers(cast, member) -> None:
    with pytest.raises(PermissionDenied):
        query_ask(actor=cast.village_user, member=member, question="?")  # the origin does not ask itself
    query = query_ask(actor=cast.sibling_admin, member=member, question="请告知该党员组织关系所在及党费交纳情况")
    assert query.due_on == TODAY + datetime.timedelta(days=7) and query.origin == cast.village
    assert sel.query_status(query) == "open"
    assert sel.query_status(query, TODAY + datetime.timedelta(days=8)) == "overdue"
    assert list(sel.query_list(user=cast.village_user, direction="received")) == [query]
    assert list(sel.query_list(user=cast.sibling_admin, direction="sent")) == [query]
    with pytest.raises(Http404):
        sel.query_get(user=cast.outsider, pk=query.pk)
    with pytest.raises(PermissionDenied):
        query_answer(actor=cast.sibling_admin, query=query, answer="x")
    answered = query_answer(actor=cast.village_user, query=query, answer="组织关系在花家村党支部，党费按月交纳")
    assert sel.query_status(answered) == "answered"
    with pytest.raises(MembersActionRefused):
        query_answer(actor=cast.village_user, query=query, answer="again")
    assert AuditEntry.objects.filter(action__startswith="host_query.", success=True).count() == 2


def test_stations_and_counts(cast, member) -> None:
    station = station_create(actor=cast.sibling_admin, organization=cast.sibling_county, name="龙驹寨流动党员服务站")
    with pytest.raises(PermissionDenied):
        station_create(actor=cast.committee_admin, organization=cast.sibling_county, name="x")
    with pytest.raises(MembersActionRefused):
        member_move(
            actor=cast.village_user,
            member=member,
            moved_on=TODAY,
            location="丹凤",
            work="木工",
            host=cast.village,
            station=station,
        )
    member_move(actor=cast.village_user, member=member, moved_on=TODAY, location="丹凤", work="木工", station=station)
    member.refresh_from_db()
    assert member.host == cast.sibling_county
    counts = sel.counts(user=cast.city_admin)
    assert [(r.name, r.out) for r in counts["station"]] == [("龙驹寨流动党员服务站", 1)]
    assert [(r.name, r.out) for r in counts["origin"]] == [("花家村党支部", 1)]
    assert [(r.name, r.out) for r in counts["host"]] == [("丹凤县委", 1)]
    assert [s.members_out for s in sel.station_list(user=cast.sibling_admin)] == [1]
    assert sel.counts(user=cast.outsider) == {"origin": [], "host": [], "station": []}
    member_return(actor=cast.village_user, member=member, returned_on=TODAY)
    assert sel.counts(user=cast.city_admin)["origin"][0].returned == 1
    assert not HostingPeriod.objects.filter(member=member, ended_on__isnull=True).exists()


def test_profile_for_an_organization(cast, pairing) -> None:
    # the newest round covering the village is the 商南 one the pairing fixture made
    assert profile_key_for(cast.village) == "shangnan"
    assert profile_key_for(cast.other_city) == "shanghai"


def test_agreement_pdf_is_generated_once(cast, member) -> None:
    agreement = agreement_generate(actor=cast.village_user, member=member)
    path = Path(agreement.pdf.path)
    assert path.read_bytes().startswith(b"%PDF")
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Noto-Serif-SC" in row[0] and row[-5] == "yes" for row in rows), rows
    text = re.sub(
        r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    )
    for expected in ["流出党员管理协议书", "花家村党支部", "张秀英", "建筑工地木工", "20日内报送", "7日内答复"]:
        assert expected in text, expected
    assert "13700002222" not in text
    assert agreement_generate(actor=cast.village_user, member=member).sha256 == agreement.sha256
    assert AuditEntry.objects.filter(action="member_agreement.generate").count() == 1
    with pytest.raises(PermissionDenied):
        agreement_generate(actor=cast.sibling_admin, member=member)

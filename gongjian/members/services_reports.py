"""The member's half-year report (半年一汇报) and the host ↔ origin query (联系函)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.members.access import is_host_side, is_origin_side
from gongjian.members.errors import MembersActionRefused, MembersInputRefused
from gongjian.members.models import HalfYearReport, HostQuery, MemberStatus, MobileMember, ReportChannel
from gongjian.members.policy import half_end, half_label, half_of, rules_for
from gongjian.notifications.services import Event, notifications_settle, notify


@audits_refusals
def report_file(
    *,
    actor: Any,
    member: MobileMember,
    year: int,
    half: int,
    channel: str,
    work: str,
    thoughts: str,
    skills: str = "",
    submitted_on: datetime.date | None = None,
) -> HalfYearReport:
    """File one half-year's report: by the member from their own account, or by the origin
    or host organization on their behalf (by phone or letter). One per half-year."""
    own = member.account_id is not None and getattr(actor, "pk", None) == member.account_id
    if not (own or is_origin_side(actor, member.origin) or is_host_side(actor, member.host)):
        raise PermissionDenied(_("只有本人、流出地或流入地党组织可以报送思想汇报"))
    today = timezone.localdate()
    submitted_on = submitted_on or today
    errors: dict[str, str] = {}
    if half not in (1, 2):
        errors["half"] = _("请选择上半年或下半年")
    elif (year, half) > half_of(today):
        errors["half"] = _("不能报送尚未开始的半年")
    elif half_end(year, half) < member.left_on:
        errors["half"] = _("%(value)s该党员尚未外出") % {"value": half_label(year, half)}
    if channel not in ReportChannel.values:
        errors["channel"] = _("请选择报送方式")
    if not work.strip():
        errors["work"] = _("请填写在外工作情况")
    if not thoughts.strip():
        errors["thoughts"] = _("请填写思想状况")
    if submitted_on > today:
        errors["submitted_on"] = _("报送日期不能晚于今天")
    if not errors and HalfYearReport.objects.filter(member=member, year=year, half=half).exists():
        errors["half"] = _("%(value)s的思想汇报已报送") % {"value": half_label(year, half)}
    if errors:
        raise MembersInputRefused(errors)
    report = HalfYearReport(
        member=member,
        year=year,
        half=half,
        channel=channel,
        submitted_on=submitted_on,
        work=work.strip(),
        thoughts=thoughts.strip(),
        skills=skills.strip(),
        entered_by=actor,
        on_behalf=not own,
    )
    with audited("half_year_report.file", actor=actor, target=member, scope_path=member.origin.path) as record:
        report.save()
        record.after = snapshot(report, ["year", "half", "channel", "submitted_on", "on_behalf"]) | {
            "report": report.pk
        }
    return report


@audits_refusals
def query_ask(*, actor: Any, member: MobileMember, question: str) -> HostQuery:
    """联系函: the member's current host asks the origin; the origin owes an answer within
    the profile's ``query_answer_days``."""
    if not is_host_side(actor, member.host):
        raise PermissionDenied(_("只有流入地党组织可以向流出地发联系函"))
    if member.status == MemberStatus.RETURNED:
        raise MembersActionRefused(_("该党员已返回流出地"), code="returned")
    question = question.strip()
    if not question:
        raise MembersInputRefused({"question": _("请填写查询事项")})
    assert member.host is not None  # is_host_side holds only with a host
    due_on = timezone.localdate() + datetime.timedelta(days=rules_for(member.origin).query_answer_days)
    query = HostQuery(
        member=member, host=member.host, origin=member.origin, question=question, asked_by=actor, due_on=due_on
    )
    with audited("host_query.ask", actor=actor, target=member, scope_path=member.host.path) as record:
        query.save()
        record.after = {"query": query.pk, "question": question, "due_on": due_on}
        notify(event=Event.HOST_QUERY, object=query)
    return query


@audits_refusals
def query_answer(*, actor: Any, query: HostQuery, answer: str) -> HostQuery:
    """The origin organization answers the host's query (once)."""
    if not is_origin_side(actor, query.origin):
        raise PermissionDenied(_("只有被查询的流出地党组织可以答复"))
    answer = answer.strip()
    if not answer:
        raise MembersInputRefused({"answer": _("请填写答复内容")})
    with audited("host_query.answer", actor=actor, target=query, scope_path=query.origin.path) as record:
        locked = HostQuery.objects.select_for_update().get(pk=query.pk)
        if locked.answered_at is not None:
            raise MembersActionRefused(_("该联系函已答复"), code="answered")
        locked.answer, locked.answered_by, locked.answered_at = answer, actor, timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        record.after = {"answer": answer, "late": timezone.localdate() > locked.due_on}
        notifications_settle(object=locked)
    return locked

"""Recording a party member's quarterly report to the unit's organization (seed 004 doc 5 三、3
"机关单位党员每季度向所在党组织报告一次"): the unit's user enters what the member reported."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.orgs.models import Person
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import MemberReport
from gongjian.records.selectors_member_reports import unit_members
from gongjian.records.selectors_reports import quarter_bounds, reporting_unit


@audits_refusals
def member_report_record(
    *, actor: User, person: Person, year: int, quarter: int, content: str, reported_on: datetime.date | None = None
) -> MemberReport:
    """The unit records one party member's report of a quarter that has begun; one per quarter."""
    unit = reporting_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有结对单位可以登记党员季度报告"))
    today = timezone.localdate()
    reported_on = reported_on or today
    errors: dict[str, str] = {}
    if not 1 <= quarter <= 4:
        errors["quarter"] = _("季度应为 1 至 4")
    elif quarter_bounds(year, quarter)[0] > today:
        errors["quarter"] = _("该季度尚未开始")
    if not (content or "").strip():
        errors["content"] = _("请填写报告内容")
    if reported_on > today:
        errors["reported_on"] = _("报告日期不能晚于今天")
    if errors:
        raise ValidationError(errors)
    with audited("member_report.record", actor=actor, target=unit, scope_path=unit.path) as record:
        if not unit_members(unit).filter(pk=person.pk).exists():
            raise RecordActionRefused(_("%(name)s不是本单位的党员") % {"name": person.name}, code="not_member")
        if MemberReport.objects.filter(person=person, year=year, quarter=quarter).exists():
            raise RecordActionRefused(
                _("%(name)s %(year)s年第%(quarter)s季度的报告已登记")
                % {"name": person.name, "year": year, "quarter": quarter},
                code="duplicate",
            )
        report = MemberReport.objects.create(
            organization=unit,
            person=person,
            year=year,
            quarter=quarter,
            reported_on=reported_on,
            content=content.strip(),
            entered_by=actor,
        )
        record.target = report
        record.after = snapshot(report, ["year", "quarter", "reported_on"]) | {"person": person.pk}
    return report

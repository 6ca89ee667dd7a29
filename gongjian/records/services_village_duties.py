"""The village records what it did for its helping unit (seed 002; seed 004 doc 2 二、3)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.records.access import can_act_as_village
from gongjian.records.models_village_duties import VillageDuty, VillageDutyKind
from gongjian.rounds.models import Pairing


@audits_refusals
def village_duty_record(
    *, actor: User, pairing: Pairing, kind: str, date: datetime.date, content: str, people: str = ""
) -> VillageDuty:
    """The village side of a signed pair records a forum, an opinion report, a young member
    trained for the unit, delegates in the unit's 党员评议, joint organizational life or a
    secondment."""
    if not can_act_as_village(actor, pairing):
        raise PermissionDenied(_("只有结对村可以登记村对共建单位的工作"))
    errors: dict[str, str] = {}
    if kind not in VillageDutyKind.values:
        errors["kind"] = _("请选择类型")
    if date > timezone.localdate():
        errors["date"] = _("日期不能晚于今天")
    if not (content or "").strip():
        errors["content"] = _("请填写内容")
    if errors:
        raise ValidationError(errors)
    with audited("village_duty.record", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        duty = VillageDuty.objects.create(
            pairing=pairing, kind=kind, date=date, content=content.strip(), people=people.strip(), entered_by=actor
        )
        record.after = snapshot(duty, ["kind", "date"]) | {"duty": duty.pk}
    return duty

"""Writes of village secretaries' dual-hundred pay and departure subsidies (seed 004 doc 3):
entered by the administrators of the village's committee, computed by the place's profile
(``secretaries:``), audited. A place whose document has no such rule refuses them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.compliance.models import DepartureKind, SecretaryDeparture, SecretaryYearPay
from gongjian.compliance.secretaries import SecretaryYear, departure_subsidy, secretary_pay
from gongjian.core.errors import Refused
from gongjian.members.policy import profile_key_for
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import can_manage
from gongjian.policies import SecretaryRules, load_profile


class SecretaryActionRefused(Refused):
    """A secretary's pay or departure cannot be recorded (no rule for the place, bad figures)."""


def _rules(actor: Any, village: Organization) -> tuple[str, SecretaryRules]:
    if village.kind != OrgKind.VILLAGE:
        raise SecretaryActionRefused(_("只能为村党组织书记登记"), code="not_village", field="village")
    if not can_manage(actor, village):
        raise SecretaryActionRefused(_("只有该村所属党委的管理员可以登记村书记报酬"), code="not_admin")
    key = profile_key_for(village)
    rules = load_profile(key).secretaries
    if rules is None:
        raise SecretaryActionRefused(
            _("本地政策配置没有村党组织书记“双百分”绩效报酬的规定"), code="no_rule", field="village"
        )
    return key, rules


def _amount(value: Decimal, field: str) -> Decimal:
    if value < 0:
        raise SecretaryActionRefused(_("金额不能为负数"), code="negative", field=field)
    return value


@audits_refusals
def secretary_year_record(
    *,
    actor: Any,
    village: Organization,
    year: int,
    secretary: str,
    score: Decimal,
    base_yuan: Decimal,
    village_income: Decimal = Decimal(0),
    insurance_premiums: Decimal = Decimal(0),
) -> SecretaryYearPay:
    """Record (or correct) a village secretary's year: the dual-hundred score and the figures
    it is paid on; the pay follows the profile's ``secretaries`` rules."""
    # Refusals happen inside the audited block, so that they are on record too.
    with audited("secretary_pay.record", actor=actor, target=village, scope_path=village.path) as record:
        key, rules = _rules(actor, village)
        name = (secretary or "").strip()
        if not name:
            raise SecretaryActionRefused(_("请填写村党组织书记姓名"), code="required", field="secretary")
        if score < 0:
            raise SecretaryActionRefused(_("考核得分不能为负数"), code="negative", field="score")
        facts = SecretaryYear(
            score=score,
            base_yuan=_amount(base_yuan, "base_yuan"),
            village_income=_amount(village_income, "village_income"),
            insurance_premiums=_amount(insurance_premiums, "insurance_premiums"),
        )
        pay = secretary_pay(facts, rules)
        row, created = SecretaryYearPay.objects.select_for_update().get_or_create(
            village=village, year=year, defaults={"score": score, "secretary": name[:64]}
        )
        if not created:
            record.before = snapshot(row, ["secretary", "score", "total_yuan"])
        row.secretary, row.score, row.profile_key, row.recorded_by = name[:64], score, key, actor
        row.base_yuan, row.village_income, row.insurance_premiums = (
            facts.base_yuan, facts.village_income, facts.insurance_premiums
        )  # fmt: skip
        row.performance_yuan, row.contribution_yuan = pay.performance, pay.contribution
        row.insurance_subsidy_yuan, row.total_yuan = pay.insurance_subsidy, pay.total
        row.save()
        record.target = row
        record.after = snapshot(row, ["village_id", "year", "secretary", "score", "total_yuan", "profile_key"])
    return row


@audits_refusals
def secretary_departure_record(
    *,
    actor: Any,
    village: Organization,
    secretary: str,
    left_on: datetime.date,
    consecutive_years: int,
    total_years: int,
    current_base_yuan: Decimal,
    one_time_yuan: Decimal | None = None,
) -> SecretaryDeparture:
    """Record a secretary's normal departure: long service in a row gives the periodic living
    subsidy computed from the current secretary's base subsidy; otherwise the one-time grant
    of ``one_time_yuan`` (the seed fixes no amount, so it must be entered)."""
    with audited("secretary_departure.record", actor=actor, target=village, scope_path=village.path) as record:
        key, rules = _rules(actor, village)
        name = (secretary or "").strip()
        if not name:
            raise SecretaryActionRefused(_("请填写离任书记姓名"), code="required", field="secretary")
        if consecutive_years < 0 or total_years < consecutive_years:
            raise SecretaryActionRefused(_("连续任职年数不能超过累计任职年数"), code="years", field="consecutive_years")
        subsidy = departure_subsidy(
            consecutive_years=consecutive_years,
            total_years=total_years,
            current_base_yuan=_amount(current_base_yuan, "current_base_yuan"),
            rules=rules,
        )
        if subsidy.kind == DepartureKind.ONE_TIME and one_time_yuan is None:
            raise SecretaryActionRefused(
                _("连续任职不满规定年限，应填写一次性离任补助金额"), code="required", field="one_time_yuan"
            )
        one_time = None
        if subsidy.kind == DepartureKind.ONE_TIME and one_time_yuan is not None:
            one_time = _amount(one_time_yuan, "one_time_yuan")
        row = SecretaryDeparture.objects.create(
            village=village,
            secretary=name[:64],
            left_on=left_on,
            consecutive_years=consecutive_years,
            total_years=total_years,
            kind=subsidy.kind,
            yearly_yuan=subsidy.yearly_yuan,
            one_time_yuan=one_time,
            profile_key=key,
            recorded_by=actor,
        )
        record.target = row
        record.after = snapshot(row, ["village_id", "secretary", "kind", "yearly_yuan", "one_time_yuan"])
    return row

"""Writes of what the origin organization did (seed 004 doc 3: the 七一 letter and the 腊月
forum; seed 002: 五送一建 for needy party members): recorded by the organization's own users
and its superiors, audited, refusals too. Once a year's letter or forum is recorded, its
reminder is no longer sent (:mod:`gongjian.members.services_reminders`)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.members.errors import MembersActionRefused
from gongjian.members.models import MemberCare, MemberLetter, MemberStatus, MobileMember, WinterForum
from gongjian.members.policy import profile_key_for, rules_for_key, twelfth_month
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.scope import ADMIN_ROLES, UNIT_USER, VILLAGE_USER, in_scope

WRITERS = ADMIN_ROLES | {UNIT_USER, VILLAGE_USER}


def _check_writer(actor: Any, organization: Organization) -> None:
    if getattr(actor, "role", "") not in WRITERS or not in_scope(actor, organization):
        raise MembersActionRefused(_("只有该党组织及其上级可以登记"), code="out_of_scope")


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MembersActionRefused(_("请填写%(label)s") % {"label": label}, code="required", field=field)
    return value


@audits_refusals
def letter_record(
    *, actor: Any, organization: Organization, year: int, sent_on: datetime.date, summary: str
) -> MemberLetter:
    """The 七一 letter went out: the members it reached are those out at the time; it is on time
    if sent before the profile's ``letter_due`` (七一前夕)."""
    with audited("member_letter.record", actor=actor, target=organization, scope_path=organization.path) as record:
        _check_writer(actor, organization)
        if sent_on.year != year:
            raise MembersActionRefused(_("寄发日期应在该年度内"), code="year", field="sent_on")
        rules = rules_for_key(profile_key_for(organization))
        recipients = MobileMember.objects.filter(origin=organization, status=MemberStatus.OUT).count()
        try:
            letter = MemberLetter.objects.create(
                organization=organization, year=year, sent_on=sent_on,
                summary=_text(summary, "summary", _("通报内容")), recipients=recipients,
                on_time=sent_on < rules.letter_date(year), recorded_by=actor,
            )  # fmt: skip
        except IntegrityError:
            raise MembersActionRefused(_("该年度的七一慰问信已登记"), code="duplicate") from None
        record.target = letter
        record.after = snapshot(letter, ["year", "sent_on", "recipients", "on_time"])
    return letter


@audits_refusals
def forum_record(
    *,
    actor: Any,
    organization: Organization,
    lunar_year: int,
    held_on: datetime.date,
    attendees: Sequence[MobileMember],
    report: str,
    satisfied: int = 0,
    basically_satisfied: int = 0,
    dissatisfied: int = 0,
    opinions: str = "",
    difficulties: str = "",
) -> WinterForum:
    """The 腊月 forum was held: inside the twelfth lunar month of ``lunar_year``, with the
    organization's 述职 and the attending members' 评议 (no more votes than attendees)."""
    with audited("winter_forum.record", actor=actor, target=organization, scope_path=organization.path) as record:
        _check_writer(actor, organization)
        first, last = twelfth_month(lunar_year)
        if not first <= held_on <= last:
            raise MembersActionRefused(
                _("座谈会应在腊月（%(first)s至%(last)s）召开") % {"first": first, "last": last},
                code="not_twelfth_month",
                field="held_on",
            )
        people = list(attendees)
        if any(m.origin_id != organization.pk for m in people):
            raise MembersActionRefused(_("参加人员应为本党组织的流出党员"), code="attendee", field="attendees")
        if min(satisfied, basically_satisfied, dissatisfied) < 0 or (
            satisfied + basically_satisfied + dissatisfied > len(people)
        ):
            raise MembersActionRefused(_("评议票数不能多于参加人数"), code="votes", field="satisfied")
        try:
            forum = WinterForum.objects.create(
                organization=organization, lunar_year=lunar_year, held_on=held_on,
                report=_text(report, "report", _("党组织述职")), satisfied=satisfied,
                basically_satisfied=basically_satisfied, dissatisfied=dissatisfied, opinions=opinions.strip(),
                difficulties=difficulties.strip(), recorded_by=actor,
            )  # fmt: skip
        except IntegrityError:
            raise MembersActionRefused(_("该年度的腊月座谈会已登记"), code="duplicate") from None
        forum.attendees.set(people)
        record.target = forum
        record.after = {
            **snapshot(forum, ["lunar_year", "held_on", "satisfied", "basically_satisfied", "dissatisfied"]),
            "attendees": len(people),
        }
    return forum


@audits_refusals
def member_care_record(
    *, actor: Any, member: Person, cared_on: datetime.date, content: str, amount: Decimal | None = None
) -> MemberCare:
    """五送一建 (seed 002): the member's own organization (or a superior) records its care for a
    needy party member."""
    organization = member.organization
    with audited("member_care.record", actor=actor, target=organization, scope_path=organization.path) as record:
        _check_writer(actor, organization)
        if not member.is_party_member:
            raise MembersActionRefused(_("五送一建的对象是困难党员"), code="not_member", field="member")
        if amount is not None and amount < 0:
            raise MembersActionRefused(_("金额不能为负数"), code="negative", field="amount")
        care = MemberCare.objects.create(
            member=member, organization=organization, cared_on=cared_on,
            content=_text(content, "content", _("关怀帮扶内容")), amount=amount, recorded_by=actor,
        )  # fmt: skip
        record.target = care
        record.after = snapshot(care, ["member_id", "cared_on", "amount"])
    return care

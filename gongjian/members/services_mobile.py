"""Writes of mobile-member management: stations, registration, the management agreement,
moves between hosts (history kept), return. Each write is audited in one transaction.

Bad input raises ``MembersInputRefused`` keyed by field; an action impossible now raises
``MembersActionRefused`` (both :class:`gongjian.core.errors.Refused`: the API answers 422/409);
someone who may not act raises ``PermissionDenied`` (403).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.members.access import can_manage_member, is_host_side, is_origin_side
from gongjian.members.errors import MembersActionRefused, MembersInputRefused
from gongjian.members.models import HostingPeriod, MemberAgreement, MemberStatus, MobileMember, ServiceStation
from gongjian.orgs.models import Organization, Person, Region
from gongjian.orgs.scope import in_scope

PHONE = re.compile(r"^1\d{10}$")
MEMBER_FIELDS = ["person_id", "origin_id", "host_id", "station_id", "location", "work", "left_on", "status"]


@audits_refusals
def station_create(
    *, actor: Any, organization: Organization, name: str, region: Region | None = None, address: str = ""
) -> ServiceStation:
    """A service station run by ``organization`` (the members reporting there are hosted by it)."""
    if not in_scope(actor, organization):
        raise PermissionDenied(_("只能为本组织及下级组织设立服务站"))
    name = name.strip()
    if not name:
        raise MembersInputRefused({"name": _("请填写服务站名称")})
    if ServiceStation.objects.filter(organization=organization, name=name).exists():
        raise MembersInputRefused({"name": _("该组织已有同名服务站")})
    station = ServiceStation(organization=organization, name=name[:128], region=region, address=address.strip())
    with audited("station.create", actor=actor, scope_path=organization.path) as record:
        station.save()
        record.target = station
        record.after = snapshot(station, ["name", "organization_id", "region_id", "address"])
    return station


def _host_of(host: Organization | None, station: ServiceStation | None) -> Organization | None:
    """A station's members are hosted by the station's organization."""
    if station is not None:
        if host is not None and host.pk != station.organization_id:
            raise MembersInputRefused(
                {
                    "station": _("服务站“%(name)s”属于%(name2)s")
                    % {"name": station.name, "name2": station.organization.name}
                }
            )
        return station.organization
    return host


def _check_place(location: str, work: str, phone: str) -> dict[str, str]:
    errors = {}
    if not location.strip():
        errors["location"] = _("请填写外出地点")
    if not work.strip():
        errors["work"] = _("请填写从事工作")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("手机号码应为 11 位数字，以 1 开头")
    return errors


@audits_refusals
def member_register(
    *,
    actor: Any,
    person: Person,
    location: str,
    work: str,
    left_on: datetime.date,
    phone: str = "",
    host: Organization | None = None,
    station: ServiceStation | None = None,
    account: Any = None,
) -> MobileMember:
    """登记: a party member of the origin organization is about to leave (or has left).

    The registration is pending until the management agreement is signed
    (:func:`agreement_record_signed`); the first hosting period opens on ``left_on``.
    """
    origin = person.organization
    if not can_manage_member(actor, origin):
        raise PermissionDenied(_("只有流出地党组织及其上级可以登记流动党员"))
    phone = phone.strip()
    errors = _check_place(location, work, phone)
    if not person.is_party_member:
        errors["person"] = _("只能登记党员")
    elif MobileMember.objects.filter(person=person).exclude(status=MemberStatus.RETURNED).exists():
        errors["person"] = _("%(name)s已登记为流动党员") % {"name": person.name}
    if errors:
        raise MembersInputRefused(errors)
    host = _host_of(host, station)
    if host is not None and host.pk == origin.pk:
        raise MembersInputRefused({"host": _("流入地党组织不能是流出地党组织本身")})
    member = MobileMember(
        person=person,
        origin=origin,
        host=host,
        station=station,
        location=location.strip()[:128],
        work=work.strip()[:128],
        phone=phone or person.phone,
        left_on=left_on,
        account=account,
        created_by=actor,
    )
    with audited("mobile_member.register", actor=actor, scope_path=origin.path) as record:
        member.save()
        HostingPeriod.objects.create(
            member=member,
            host=host,
            station=station,
            location=member.location,
            work=member.work,
            started_on=left_on,
            recorded_by=actor,
        )
        record.target = member
        record.after = snapshot(member, MEMBER_FIELDS)
    return member


@audits_refusals
def agreement_generate(*, actor: Any, member: MobileMember) -> MemberAgreement:
    """The 流出党员管理协议书 as a PDF, generated once and kept with its SHA-256 (the text both
    sides read is the text they sign)."""
    from gongjian.members.agreement_pdf import render_member_agreement_pdf  # WeasyPrint is heavy

    if not can_manage_member(actor, member.origin):
        raise PermissionDenied(_("只有流出地党组织可以生成管理协议书"))
    existing = MemberAgreement.objects.filter(member=member).first()
    if existing is not None and existing.pdf:
        return existing
    with audited("member_agreement.generate", actor=actor, target=member, scope_path=member.origin.path) as record:
        pdf = render_member_agreement_pdf(member)
        agreement = existing or MemberAgreement(member=member)
        agreement.sha256 = hashlib.sha256(pdf).hexdigest()
        agreement.pdf.save(f"member-agreement-{member.pk}.pdf", ContentFile(pdf), save=False)
        agreement.save()
        record.after = {"file": agreement.pdf.name, "sha256": agreement.sha256, "bytes": len(pdf)}
    return agreement


@audits_refusals
def agreement_record_signed(
    *, actor: Any, member: MobileMember, signed_on: datetime.date, branch_signer: str
) -> MemberAgreement:
    """Record that the member and the branch signed the agreement; this completes the
    registration (pending → out). Signing after leaving is recorded and flagged."""
    if not can_manage_member(actor, member.origin):
        raise PermissionDenied(_("只有流出地党组织可以登记协议签订"))
    branch_signer = branch_signer.strip()
    errors = {}
    if not branch_signer:
        errors["branch_signer"] = _("请填写党支部签订人")
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("签订日期不能晚于今天")
    if errors:
        raise MembersInputRefused(errors)
    with audited("member_agreement.sign", actor=actor, target=member, scope_path=member.origin.path) as record:
        agreement, _created = MemberAgreement.objects.select_for_update().get_or_create(member=member)
        if agreement.signed_on is not None:
            raise MembersActionRefused(
                _("协议书已于%(signed_on)s签订") % {"signed_on": date_format(agreement.signed_on)},
                code="already_signed",
            )
        agreement.signed_on, agreement.branch_signer, agreement.recorded_by = signed_on, branch_signer[:64], actor
        agreement.save()
        record.before = {"status": member.status}
        if member.status == MemberStatus.PENDING:
            member.status = MemberStatus.OUT
            member.save(update_fields=["status"])
        record.after = {"signed_on": signed_on, "branch_signer": agreement.branch_signer, "status": member.status}
    return agreement


@audits_refusals
def member_move(
    *,
    actor: Any,
    member: MobileMember,
    moved_on: datetime.date,
    location: str,
    work: str,
    host: Organization | None = None,
    station: ServiceStation | None = None,
) -> HostingPeriod:
    """The member moves to another host (or place): the open period closes on ``moved_on``
    and the next opens that day. Nothing of the old periods is changed or lost."""
    if not (is_origin_side(actor, member.origin) or is_host_side(actor, member.host)):
        raise PermissionDenied(_("只有流出地或当前流入地党组织可以登记流动"))
    errors = _check_place(location, work, "")
    if errors:
        raise MembersInputRefused(errors)
    if member.status == MemberStatus.RETURNED:
        raise MembersActionRefused(_("该党员已返回，不能再登记流动"), code="returned")
    host = _host_of(host, station)
    if host is not None and host.pk == member.origin_id:
        raise MembersInputRefused({"host": _("流入地党组织不能是流出地党组织本身")})
    with audited("mobile_member.move", actor=actor, target=member, scope_path=member.origin.path) as record:
        current = HostingPeriod.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
        if current is not None:
            if moved_on < current.started_on:
                raise MembersInputRefused(
                    {
                        "moved_on": _("流动日期不能早于上一段的开始日期（%(started_on)s）")
                        % {"started_on": current.started_on}
                    }
                )
            current.ended_on = moved_on
            current.save(update_fields=["ended_on"])
        period = HostingPeriod.objects.create(
            member=member,
            host=host,
            station=station,
            location=location.strip()[:128],
            work=work.strip()[:128],
            started_on=moved_on,
            recorded_by=actor,
        )
        record.before = snapshot(member, ["host_id", "station_id", "location", "work"])
        member.host, member.station, member.location, member.work = host, station, period.location, period.work
        member.save(update_fields=["host", "station", "location", "work"])
        record.after = snapshot(member, ["host_id", "station_id", "location", "work"]) | {"moved_on": moved_on}
    return period


@audits_refusals
def member_return(*, actor: Any, member: MobileMember, returned_on: datetime.date) -> MobileMember:
    """The member is back home: the open period closes, the record is kept."""
    if not can_manage_member(actor, member.origin):
        raise PermissionDenied(_("只有流出地党组织可以登记返回"))
    if member.status == MemberStatus.RETURNED:
        raise MembersActionRefused(_("该党员已登记返回"), code="returned")
    if returned_on < member.left_on or returned_on > timezone.localdate():
        raise MembersInputRefused({"returned_on": _("返回日期应在外出日期与今天之间")})
    with audited("mobile_member.return", actor=actor, target=member, scope_path=member.origin.path) as record:
        HostingPeriod.objects.filter(member=member, ended_on__isnull=True).update(ended_on=returned_on)
        record.before = {"status": member.status}
        member.status, member.returned_on = MemberStatus.RETURNED, returned_on
        member.save(update_fields=["status", "returned_on"])
        record.after = {"status": member.status, "returned_on": returned_on}
    return member

"""Writing the archive of a pairing (帮扶工作档案): visits with photos, 六个一, 五送, projects
with milestones and evidence, and the contact card. Only the unit side records (the
contact card: each side its own people). Every write is one transaction with its audit row.

Services raise ``PermissionDenied`` for someone who may see the pairing but not write this,
``ValidationError`` (field → message) for bad input, and ``RecordActionRefused`` when the
state forbids it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.orgs.models import Person
from gongjian.records.access import can_record, side_of
from gongjian.records.choices import ContactSide, FiveDelivery, ProjectStatus, SixMust, VisitorLevel
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import (
    Contact,
    Delivery,
    Milestone,
    Project,
    ProjectEvidence,
    SixMustRecord,
    Visit,
    VisitPhoto,
)
from gongjian.records.validators import validate_evidence, validate_photo
from gongjian.rounds.models import Agreement, Pairing, PairingStatus

MAX_PHOTOS = 9  # what a phone's picker sends at once; more belongs in a project's evidence


def _require_unit(actor: User, pairing: Pairing) -> None:
    if not can_record(actor, pairing):
        if pairing.status != PairingStatus.SIGNED:
            raise RecordActionRefused(_("该结对未处于已签约状态，不能登记"), code="not_signed")
        raise PermissionDenied(_("只有结对单位可以登记帮扶工作档案"))


def _not_in_future(day: datetime.date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天")})


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    return value


def check_photo_count(added: int, *, kept: int = 0) -> None:
    """At most MAX_PHOTOS on a visit in all: ``kept`` already on it and ``added`` now."""
    if kept + added > MAX_PHOTOS:
        if kept:
            raise ValidationError(
                {
                    "photos": _("每次走访最多 %(MAX_PHOTOS)s 张照片，已有 %(kept)s 张")
                    % {"MAX_PHOTOS": MAX_PHOTOS, "kept": kept}
                }
            )
        raise ValidationError({"photos": _("一次最多上传 %(MAX_PHOTOS)s 张照片") % {"MAX_PHOTOS": MAX_PHOTOS}})


def check_photos(photos: Sequence[UploadedFile], *, kept: int = 0) -> None:
    """At most MAX_PHOTOS on a visit in all (``kept`` already on it), each a real photo."""
    check_photo_count(len(photos), kept=kept)
    for photo in photos:
        try:
            validate_photo(photo)
        except ValidationError as exc:
            raise ValidationError({"photos": f"{photo.name}：{'；'.join(exc.messages)}"}) from exc


def visit_values(*, date: datetime.date, visitor_level: str, visitors: str, content: str) -> dict[str, Any]:
    """A visit's fields checked and cleaned, the same for a new visit and a corrected one."""
    _not_in_future(date)
    if visitor_level not in VisitorLevel.values:
        raise ValidationError({"visitor_level": _("请选择走访人员层级")})
    return {
        "date": date,
        "visitor_level": visitor_level,
        "visitors": _text(visitors, "visitors", "走访人员")[:255],
        "content": _text(content, "content", "走访内容"),
    }


@audits_refusals
def visit_create(
    *,
    actor: User,
    pairing: Pairing,
    date: datetime.date,
    visitor_level: str,
    visitors: str,
    content: str,
    photos: Sequence[UploadedFile] = (),
) -> Visit:
    """The unit records a visit (走访) with up to nine photos."""
    _require_unit(actor, pairing)
    values = visit_values(date=date, visitor_level=visitor_level, visitors=visitors, content=content)
    check_photos(photos)
    with audited("visit.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        visit = Visit.objects.create(pairing=pairing, recorded_by=actor, **values)
        for photo in photos:
            VisitPhoto.objects.create(visit=visit, image=photo)
        record.target = visit
        record.after = snapshot(visit, ["pairing_id", "date", "visitor_level", "visitors"]) | {"photos": len(photos)}
    return visit


def six_must_values(
    *, date: datetime.date, kind: str, content: str, evidence: UploadedFile | None = None
) -> dict[str, Any]:
    """A 六个一 record's fields checked and cleaned (the evidence file only checked)."""
    _not_in_future(date)
    if kind not in SixMust.values:
        raise ValidationError({"kind": _("请选择六个一中的项目")})
    if evidence is not None:
        validate_evidence(evidence)
    return {"date": date, "kind": kind, "content": _text(content, "content", "内容")}


@audits_refusals
def six_must_create(
    *,
    actor: User,
    pairing: Pairing,
    date: datetime.date,
    kind: str,
    content: str,
    evidence: UploadedFile | None = None,
) -> SixMustRecord:
    """The unit records one of the 六个一, with an optional evidence file."""
    _require_unit(actor, pairing)
    values = six_must_values(date=date, kind=kind, content=content, evidence=evidence)
    with audited("six_must.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        item = SixMustRecord(pairing=pairing, recorded_by=actor, **values)
        if evidence is not None:
            item.evidence = evidence  # type: ignore[assignment]
        item.save()
        record.target = item
        record.after = snapshot(item, ["pairing_id", "date", "kind"]) | {"evidence": bool(evidence)}
    return item


def delivery_values(*, date: datetime.date, kind: str, content: str, amount: Decimal | None) -> dict[str, Any]:
    """A 五送 record's fields checked and cleaned."""
    _not_in_future(date)
    if kind not in FiveDelivery.values:
        raise ValidationError({"kind": _("请选择五送类别")})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("金额不能为负数")})
    return {"date": date, "kind": kind, "content": _text(content, "content", "内容"), "amount": amount}


@audits_refusals
def delivery_create(
    *,
    actor: User,
    pairing: Pairing,
    date: datetime.date,
    kind: str,
    content: str,
    amount: Decimal | None = None,
) -> Delivery:
    """The unit records one of the 五送 (policy, information, funds, technology, warmth)."""
    _require_unit(actor, pairing)
    values = delivery_values(date=date, kind=kind, content=content, amount=amount)
    with audited("delivery.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        item = Delivery.objects.create(pairing=pairing, recorded_by=actor, **values)
        record.target = item
        record.after = snapshot(item, ["pairing_id", "date", "kind", "amount"])
    return item


@audits_refusals
def project_create(
    *,
    actor: User,
    pairing: Pairing,
    name: str,
    goal: str,
    budget: Decimal,
    start: datetime.date,
    end: datetime.date,
) -> Project:
    """The unit registers a co-building project (planned, 0 %)."""
    _require_unit(actor, pairing)
    if end < start:
        raise ValidationError({"end": _("计划完成日期不能早于开始日期")})
    if budget < 0:
        raise ValidationError({"budget": _("预算不能为负数")})
    with audited("project.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        project = Project.objects.create(
            pairing=pairing,
            name=_text(name, "name", "项目名称")[:128],
            goal=_text(goal, "goal", "项目目标"),
            budget=budget,
            start=start,
            end=end,
            recorded_by=actor,
        )
        record.target = project
        record.after = snapshot(project, ["pairing_id", "name", "budget", "start", "end"])
    return project


@audits_refusals
def project_update_progress(*, actor: User, project: Project, status: str, progress: int) -> Project:
    """The unit moves a project on: status and percentage (done means 100 %)."""
    _require_unit(actor, project.pairing)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("请选择项目状态")})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度应在 0 到 100 之间")})
    if status == ProjectStatus.DONE and progress != 100:
        raise ValidationError({"progress": _("已完成的项目进度应为 100%")})
    fields = ["status", "progress"]
    with audited("project.progress", actor=actor, target=project, scope_path=project.pairing.village.path) as record:
        locked = Project.objects.select_for_update().get(pk=project.pk)
        record.before = snapshot(locked, fields)
        locked.status, locked.progress = status, progress
        locked.save(update_fields=[*fields, "updated_at"])
        record.after = snapshot(locked, fields)
    return locked


@audits_refusals
def milestone_create(*, actor: User, project: Project, title: str, due: datetime.date) -> Milestone:
    """Add a milestone to a project."""
    _require_unit(actor, project.pairing)
    with audited("milestone.create", actor=actor, target=project, scope_path=project.pairing.village.path) as record:
        milestone = Milestone.objects.create(project=project, title=_text(title, "title", "节点名称")[:128], due=due)
        record.after = snapshot(milestone, ["title", "due"]) | {"milestone": milestone.pk}
    return milestone


@audits_refusals
def milestone_complete(*, actor: User, milestone: Milestone, done_on: datetime.date) -> Milestone:
    """Mark a milestone reached on ``done_on`` (not in the future)."""
    _require_unit(actor, milestone.project.pairing)
    _not_in_future(done_on, "done_on")
    scope = milestone.project.pairing.village.path
    with audited("milestone.complete", actor=actor, target=milestone, scope_path=scope) as record:
        if milestone.done_on is not None:
            raise RecordActionRefused(_("该节点已完成"), code="already_done")
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        record.after = {"done_on": done_on}
    return milestone


@audits_refusals
def project_evidence_add(*, actor: User, project: Project, file: UploadedFile, note: str = "") -> ProjectEvidence:
    """Attach an evidence file (photo, acceptance report, invoice) to a project."""
    _require_unit(actor, project.pairing)
    validate_evidence(file)
    with audited("project.evidence", actor=actor, target=project, scope_path=project.pairing.village.path) as record:
        item = ProjectEvidence(project=project, note=(note or "").strip()[:255], uploaded_by=actor)
        item.file = file  # type: ignore[assignment]
        item.save()
        record.after = {"file": item.file.name, "note": item.note}
    return item


# ---------------------------------------------------------------- contact card (活动联系卡)


def _require_side(actor: User, pairing: Pairing, side: str) -> None:
    if side not in ContactSide.values:
        raise ValidationError({"side": _("请选择所属方")})
    mine = side_of(actor, pairing)
    if mine is None:
        raise PermissionDenied(_("只有结对双方可以维护联系卡"))
    if mine != side:
        raise PermissionDenied(_("只能维护本方的联系人"))


@audits_refusals
def contact_create(*, actor: User, pairing: Pairing, side: str, name: str, post: str, phone: str) -> Contact:
    """A side adds one of its own people to the contact card."""
    _require_side(actor, pairing, side)
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not phone.isdigit():
        raise ValidationError({"phone": _("电话号码只能包含数字")})
    with audited("contact.create", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        position = Contact.objects.filter(pairing=pairing, side=side).count()
        contact = Contact.objects.create(
            pairing=pairing,
            side=side,
            name=_text(name, "name", "姓名")[:64],
            post=(post or "").strip()[:64],
            phone=phone[:20],
            position=position,
        )
        record.target = contact
        record.after = snapshot(contact, ["side", "name", "post"])  # the phone stays out of the log
    return contact


@audits_refusals
def contact_delete(*, actor: User, contact: Contact) -> None:
    """A side removes one of its own contacts."""
    _require_side(actor, contact.pairing, contact.side)
    with audited("contact.delete", actor=actor, target=contact, scope_path=contact.pairing.village.path) as record:
        record.before = snapshot(contact, ["side", "name", "post"])
        contact.delete()


@audits_refusals
def contacts_prefill(*, actor: User, pairing: Pairing) -> int:
    """Fill an empty contact card from the agreement's signatories and the registry's people
    (the first three of each side's organization); returns how many were added. Phones come
    from the registry only: the agreement holds names and posts."""
    if side_of(actor, pairing) is None:
        raise PermissionDenied(_("只有结对双方可以维护联系卡"))
    with audited("contact.prefill", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        if Contact.objects.filter(pairing=pairing).exists():
            raise RecordActionRefused(_("联系卡已有联系人，无需预填"), code="not_empty")
        agreement = Agreement.objects.filter(pairing=pairing).first()
        rows: list[Contact] = []
        for side, organization_id in ((ContactSide.UNIT, pairing.unit_id), (ContactSide.VILLAGE, pairing.village_id)):
            people = list(Person.objects.filter(organization_id=organization_id).order_by("pk")[:3])
            phones = {p.name: p.phone for p in people}
            seen: set[str] = set()
            if agreement is not None:
                name = getattr(agreement, f"{side}_signer_name")
                if name:
                    post = getattr(agreement, f"{side}_signer_post")
                    rows.append(Contact(pairing=pairing, side=side, name=name, post=post, phone=phones.get(name, "")))
                    seen.add(name)
            for person in people:
                if person.name not in seen:
                    rows.append(
                        Contact(pairing=pairing, side=side, name=person.name, post=person.post, phone=person.phone)
                    )
                    seen.add(person.name)
        for position, contact in enumerate(rows):
            contact.position = position
        Contact.objects.bulk_create(rows)
        record.after = {"contacts": len(rows)}
    return len(rows)

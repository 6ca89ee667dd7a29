"""Writing two practices of a pair: the 五个一 targets (seed 000) and the unit's yearly public
commitments, its year-end report against each and the village's 评议 (seed 002 双承诺/双述职、
四级承诺一评议; seed 004 doc 2 二、4 作出公开承诺、考评一体进行).

The unit plans, proves and reports; the village records the 评议. Every write is one
transaction with its audit row. The days compliance judges by (the plan's, the first
evidence's) are set here from today and never moved back, so a late plan stays late.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.records.access import can_act_as_village, can_record
from gongjian.records.choices_practices import CommitmentOutcome, FiveOne, FiveOneStatus, ReviewResult
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_five_ones import FiveOneEvidence, FiveOneTarget
from gongjian.records.validators import validate_evidence
from gongjian.rounds.models import Pairing, PairingStatus

MAX_COMMITMENTS = 20  # a year's public commitments are a short list, not a work log


def _require_unit(actor: User, pairing: Pairing) -> None:
    if not can_record(actor, pairing):
        if pairing.status != PairingStatus.SIGNED:
            raise RecordActionRefused(_("该结对未处于已签约状态，不能登记"), code="not_signed")
        raise PermissionDenied(_("只有结对单位可以登记"))


def _require_village(actor: User, pairing: Pairing) -> None:
    if not can_act_as_village(actor, pairing):
        if pairing.status != PairingStatus.SIGNED:
            raise RecordActionRefused(_("该结对未处于已签约状态，不能登记"), code="not_signed")
        raise PermissionDenied(_("只有结对村党组织可以登记评议结果"))


def check_year(pairing: Pairing, year: int) -> None:
    """A year of the pair's term, not one still to come."""
    first, last = pairing.round.term_start.year, pairing.round.term_end.year
    if not first <= year <= min(last, timezone.localdate().year):
        raise ValidationError({"year": _("年度应在协议期内且不晚于今年")})


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    return value


# ---------------------------------------------------------------- 五个一


@audits_refusals
def five_one_save(
    *, actor: User, pairing: Pairing, year: int, kind: str, plan: str, status: str, evidence_text: str = ""
) -> FiveOneTarget:
    """The unit sets a target's plan, status and what was done (created on the first save)."""
    _require_unit(actor, pairing)
    check_year(pairing, year)
    if kind not in FiveOne.values:
        raise ValidationError({"kind": _("请选择五个一中的目标")})
    if status not in FiveOneStatus.values:
        raise ValidationError({"status": _("请选择状态")})
    plan = _text(plan, "plan", _("计划措施"))
    evidence_text = (evidence_text or "").strip()
    today = timezone.localdate()
    fields = ["plan", "status", "evidence_text"]
    with audited("five_one.save", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        target = FiveOneTarget.objects.select_for_update().filter(pairing=pairing, year=year, kind=kind).first()
        if target is None:
            target = FiveOneTarget(pairing=pairing, year=year, kind=kind, plan_recorded_on=today)
        else:
            record.before = snapshot(target, fields)
        has_files = target.pk is not None and target.files.exists()
        if status == FiveOneStatus.DONE and not (evidence_text or has_files):
            raise ValidationError({"evidence_text": _("标为已完成前，请填写完成情况或上传佐证材料")})
        target.plan, target.status, target.evidence_text = plan, status, evidence_text
        if evidence_text and target.evidence_on is None:
            target.evidence_on = today
        target.recorded_by = actor
        target.save()
        record.target = target
        record.after = snapshot(target, ["pairing_id", "year", "kind", *fields, "plan_recorded_on", "evidence_on"])
    return target


@audits_refusals
def five_one_evidence_add(*, actor: User, target: FiveOneTarget, file: UploadedFile, note: str = "") -> FiveOneEvidence:
    """Attach an evidence file to a target; its first evidence dates the target's proof."""
    _require_unit(actor, target.pairing)
    validate_evidence(file)
    scope = target.pairing.village.path
    with audited("five_one.evidence", actor=actor, target=target, scope_path=scope) as record:
        item = FiveOneEvidence(target=target, note=(note or "").strip()[:255], uploaded_by=actor)
        item.file = file  # type: ignore[assignment]
        item.save()
        if target.evidence_on is None:
            target.evidence_on = timezone.localdate()
            target.save(update_fields=["evidence_on", "updated_at"])
        record.after = {"file": item.file.name, "note": item.note}
    return item


# ---------------------------------------------------------------- commitments (双承诺、双述职、评议)


def _reviewed(pairing: Pairing, year: int) -> bool:
    return CommitmentReview.objects.filter(pairing=pairing, year=year).exists()


@audits_refusals
def commitment_add(*, actor: User, pairing: Pairing, year: int, content: str) -> Commitment:
    """The unit makes one public commitment for ``year`` (before the year is reviewed)."""
    _require_unit(actor, pairing)
    check_year(pairing, year)
    content = _text(content, "content", _("承诺事项"))
    with audited("commitment.add", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        if _reviewed(pairing, year):
            raise RecordActionRefused(_("该年度承诺已评议，不能再增加"), code="reviewed")
        count = Commitment.objects.filter(pairing=pairing, year=year).count()
        if count >= MAX_COMMITMENTS:
            raise RecordActionRefused(_("每年最多 %(n)d 项承诺") % {"n": MAX_COMMITMENTS}, code="too_many")
        item = Commitment.objects.create(
            pairing=pairing, year=year, content=content, position=count + 1, recorded_by=actor
        )
        record.target = item
        record.after = snapshot(item, ["pairing_id", "year", "content", "position"])
    return item


@audits_refusals
def commitment_report(*, actor: User, commitment: Commitment, outcome: str, report: str) -> Commitment:
    """The unit's year-end report (述职) against one commitment: kept, partly, or not."""
    pairing = commitment.pairing
    _require_unit(actor, pairing)
    if outcome not in CommitmentOutcome.values:
        raise ValidationError({"outcome": _("请选择兑现情况")})
    report = _text(report, "report", _("述职说明"))
    fields = ["outcome", "report"]
    with audited("commitment.report", actor=actor, target=commitment, scope_path=pairing.village.path) as record:
        if _reviewed(pairing, commitment.year):
            raise RecordActionRefused(_("该年度承诺已评议，述职不能再修改"), code="reviewed")
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        record.before = snapshot(locked, fields)
        locked.outcome, locked.report = outcome, report
        locked.reported_by, locked.reported_at = actor, timezone.now()
        locked.save(update_fields=[*fields, "reported_by", "reported_at"])
        record.after = snapshot(locked, fields)
    return locked


@audits_refusals
def commitment_review_record(
    *, actor: User, pairing: Pairing, year: int, result: str, participants: int, comment: str = ""
) -> CommitmentReview:
    """The village records the 评议 of the unit's commitments for ``year``, once every
    commitment has been reported on (评议 follows 述职)."""
    _require_village(actor, pairing)
    check_year(pairing, year)
    if result not in ReviewResult.values:
        raise ValidationError({"result": _("请选择评议结果")})
    if participants < 1:
        raise ValidationError({"participants": _("参加评议人数至少为 1")})
    with audited("commitment.review", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        items = Commitment.objects.filter(pairing=pairing, year=year)
        if not items.exists():
            raise RecordActionRefused(_("结对单位本年度尚未作出承诺"), code="no_commitments")
        if items.filter(outcome="").exists():
            raise RecordActionRefused(_("结对单位尚未对全部承诺述职，评议应在述职之后"), code="not_reported")
        if _reviewed(pairing, year):
            raise RecordActionRefused(_("该年度承诺已评议"), code="reviewed")
        review = CommitmentReview.objects.create(
            pairing=pairing,
            year=year,
            result=result,
            participants=participants,
            comment=(comment or "").strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        record.target = review
        record.after = snapshot(review, ["pairing_id", "year", "result", "participants"])
    return review

"""正式签约: the 共建协议书 is generated as a PDF once both sides have confirmed, then each
side signs it in the app; when both have, the signed PDF is archived with its SHA-256 and
the pairing is signed.

Views call :func:`agreement_generate` to show the PDF (it is idempotent) and
:func:`agreement_sign` from each side's signing form. Both raise ``PermissionDenied`` for
someone who may not act on the pairing and ``RoundActionRefused`` (with a Chinese message
and a ``code``) when the action is not possible now.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.notifications.services import notifications_settle
from gongjian.rounds.access import can_administer
from gongjian.rounds.agreement_pdf import chinese_datetime, render_agreement_pdf
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import Agreement, Pairing, PairingStatus
from gongjian.rounds.services_pairing import require_pair_open, side_of
from gongjian.rounds.stage import refresh_stage

SIGNER_FIELD_MAX = 64  # Agreement.*_signer_name / *_signer_post


def _file_name(pairing: Pairing, *, signed: bool) -> str:
    # ASCII names: storages and download tools mangle CJK file names; the PDF says the rest.
    return f"agreement-r{pairing.round_id}-p{pairing.pk}{'-signed' if signed else ''}.pdf"


@audits_refusals
def agreement_generate(*, actor: User, pairing: Pairing) -> Agreement:
    """The pairing's unsigned 共建协议书, generated on first call and stored with its SHA-256.

    Either side of the pairing or an admin of the round may call it, for a pairing both sides
    have confirmed. Idempotent: once generated, the stored agreement is returned unchanged
    (also after signing), so the text both sides read is the text they sign.
    """
    if side_of(actor, pairing) is None and not can_administer(actor, pairing.round):
        raise PermissionDenied(_("只有结对双方或本轮次的组织部门管理员可以生成协议书"))
    existing = Agreement.objects.filter(pairing=pairing).first()
    if existing is not None:
        return existing
    with audited("agreement.generate", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        # The row lock makes a second, concurrent request wait and then find the agreement.
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        existing = Agreement.objects.filter(pairing=locked).first()
        if existing is not None:
            record.after = {"sha256": existing.sha256, "existing": True}
            return existing
        if locked.status != PairingStatus.CONFIRMED:
            raise RoundActionRefused(
                _("该结对当前状态为“%(status)s”，双方确认后才能生成协议书") % {"status": locked.get_status_display()},
                code="not_confirmed",
            )
        pdf = render_agreement_pdf(locked, signed=False)
        agreement = Agreement(pairing=locked, sha256=hashlib.sha256(pdf).hexdigest())
        agreement.pdf.save(_file_name(locked, signed=False), ContentFile(pdf), save=False)
        agreement.save()
        record.after = {"file": agreement.pdf.name, "sha256": agreement.sha256, "bytes": len(pdf)}
    return agreement


@audits_refusals
def agreement_sign(*, actor: User, pairing: Pairing, signer_name: str, signer_post: str) -> Agreement:
    """The acting side signs the generated agreement: signer's name and post, and the time.

    Refused (``RoundActionRefused``) when the pairing is not confirmed (``not_confirmed``),
    no agreement has been generated yet (``no_agreement``), this side has already signed
    (``already_signed``), the name or post is missing (``invalid``), or signing is closed
    (``deadline`` / ``not_open``). When the second side signs, the signed PDF (both
    signature blocks filled) is stored with its SHA-256, the pairing becomes signed and the
    village's stage moves on. The returned agreement's ``pairing`` is the updated one.
    """
    side = side_of(actor, pairing)
    if side is None:
        raise PermissionDenied(_("只有结对双方可以签署协议书"))
    signer_name, signer_post = signer_name.strip(), signer_post.strip()
    with audited("agreement.sign", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        if not signer_name or not signer_post:
            raise RoundActionRefused(_("请填写签署人姓名和职务"), code="invalid")
        if len(signer_name) > SIGNER_FIELD_MAX or len(signer_post) > SIGNER_FIELD_MAX:
            raise RoundActionRefused(
                _("签署人姓名和职务均不能超过 %(SIGNER_FIELD_MAX)s 个字") % {"SIGNER_FIELD_MAX": SIGNER_FIELD_MAX},
                code="invalid",
            )
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.status != PairingStatus.CONFIRMED:
            raise RoundActionRefused(
                _("该结对当前状态为“%(status)s”，不能签署协议书") % {"status": locked.get_status_display()},
                code="not_confirmed",
            )
        require_pair_open(locked, confirming=False)
        agreement = Agreement.objects.select_for_update().filter(pairing=locked).first()
        if agreement is None:
            raise RoundActionRefused(_("请先生成并阅读协议书，再签署"), code="no_agreement")
        signed_at = agreement.unit_signed_at if side == "unit" else agreement.village_signed_at
        if signed_at is not None:
            who = "本单位" if side == "unit" else "本村"
            raise RoundActionRefused(
                _("%(who)s已于%(value)s签署协议书") % {"who": who, "value": chinese_datetime(signed_at)},
                code="already_signed",
            )

        now = timezone.now()
        if side == "unit":
            agreement.unit_signer_name, agreement.unit_signer_post, agreement.unit_signed_at = (
                signer_name,
                signer_post,
                now,
            )
        else:
            agreement.village_signer_name, agreement.village_signer_post, agreement.village_signed_at = (
                signer_name,
                signer_post,
                now,
            )
        agreement.pairing = locked
        both_signed = agreement.unit_signed_at is not None and agreement.village_signed_at is not None
        if both_signed:
            pdf = render_agreement_pdf(locked, agreement, signed=True)
            agreement.signed_sha256 = hashlib.sha256(pdf).hexdigest()
            agreement.signed_pdf.save(_file_name(locked, signed=True), ContentFile(pdf), save=False)
            locked.status = PairingStatus.SIGNED
            locked.save(update_fields=["status"])
            refresh_stage(locked.entry)
        agreement.save()
        notifications_settle(object=locked)
        record.before = {"status": PairingStatus.CONFIRMED}
        record.after = {
            "side": side,
            "signer_name": signer_name,
            "signer_post": signer_post,
            "signed_at": now,
            "sha256": agreement.sha256,
            "signed_sha256": agreement.signed_sha256,
            "status": locked.status,
        }
    return agreement

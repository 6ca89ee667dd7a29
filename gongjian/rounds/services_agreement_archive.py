"""Agreements signed outside the in-app signing flow — a round written in bulk (the demo, or
an earlier round's signed pairs brought onto the platform) — and their PDFs, rendered the
first time someone asks for them.

:func:`agreements_record_signed` writes one ``Agreement`` per signed pair with both sides'
signer (the first person the organization lists: its secretary), post and time, but no PDF:
rendering a 共建协议书 takes about a second, so a city's 1,600 pairs would take half an hour
up front. :func:`agreement_documents` renders the unsigned and the signed PDF of such an
agreement on first download, stores both with their SHA-256 exactly as
``services_agreement.agreement_sign`` does for a pair signed in the app, and returns it;
from then on the stored files are what is served.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audit_event, audited
from gongjian.orgs.models import Person
from gongjian.rounds.agreement_pdf import render_agreement_pdf
from gongjian.rounds.models import Agreement, Pairing, PairingStatus

BATCH = 5000
# When an organization lists nobody, the agreement names the post alone (the PDF's signature
# block then reads like a form filled in by the office).
UNIT_POST = "党组织书记"
VILLAGE_POST = "村党组织书记"


def _file_name(pairing: Pairing, *, signed: bool) -> str:
    return f"agreement-r{pairing.round_id}-p{pairing.pk}{'-signed' if signed else ''}.pdf"


def _signers(organization_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """organization → (name, post) of the first person it lists (its secretary in the demo)."""
    signers: dict[int, tuple[str, str]] = {}
    rows = Person.objects.filter(organization_id__in=set(organization_ids)).order_by("organization_id", "id")
    for org_id, name, post in rows.values_list("organization_id", "name", "post").iterator(chunk_size=BATCH):
        signers.setdefault(org_id, (name, post))
    return signers


def agreements_record_signed(
    *, actor: Any, pairings: Iterable[Pairing], signed_at: datetime.datetime, scope_path: str
) -> int:
    """One signed ``Agreement`` (signers and times, PDFs rendered on first download) for each
    signed pairing of ``pairings`` that has none; returns how many were written. One audit
    row records the batch."""
    signed = [p for p in pairings if p.status == PairingStatus.SIGNED]
    have = set(Agreement.objects.filter(pairing__in=[p.pk for p in signed]).values_list("pairing_id", flat=True))
    todo = [p for p in signed if p.pk not in have]
    if not todo:
        return 0
    signers = _signers([p.unit_id for p in todo] + [p.village_id for p in todo])
    rows = []
    for p in todo:
        unit_name, unit_post = signers.get(p.unit_id, ("", ""))
        village_name, village_post = signers.get(p.village_id, ("", ""))
        rows.append(
            Agreement(
                pairing=p,
                sha256="",
                unit_signer_name=unit_name or unit_post or UNIT_POST,
                unit_signer_post=unit_post or UNIT_POST,
                unit_signed_at=signed_at,
                village_signer_name=village_name or village_post or VILLAGE_POST,
                village_signer_post=village_post or VILLAGE_POST,
                village_signed_at=signed_at,
            )
        )
    with transaction.atomic():
        Agreement.objects.bulk_create(rows, batch_size=BATCH)
        audit_event(
            "agreement.record_signed",
            actor=actor,
            target=todo[0].round,
            scope_path=scope_path,
            after={"agreements": len(rows), "signed_at": signed_at},
        )
    return len(rows)


@audits_refusals
def agreement_documents(*, actor: Any, agreement: Agreement) -> Agreement:
    """The agreement with its PDFs: an agreement recorded by :func:`agreements_record_signed`
    gets its unsigned and signed PDF rendered and stored (with their SHA-256) now; any other
    agreement is returned as it is. ``actor`` is whoever asked (the audit row names them)."""
    if agreement.pdf or agreement.unit_signed_at is None or agreement.village_signed_at is None:
        return agreement
    pairing = agreement.pairing
    with audited("agreement.render", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        locked = Agreement.objects.select_for_update().select_related("pairing").get(pk=agreement.pk)
        if locked.pdf:  # a concurrent request rendered it first
            return locked
        unsigned = render_agreement_pdf(locked.pairing, signed=False)
        locked.sha256 = hashlib.sha256(unsigned).hexdigest()
        locked.pdf.save(_file_name(locked.pairing, signed=False), ContentFile(unsigned), save=False)
        signed = render_agreement_pdf(locked.pairing, locked, signed=True)
        locked.signed_sha256 = hashlib.sha256(signed).hexdigest()
        locked.signed_pdf.save(_file_name(locked.pairing, signed=True), ContentFile(signed), save=False)
        locked.save(update_fields=["pdf", "sha256", "signed_pdf", "signed_sha256"])
        record.after = {"file": locked.signed_pdf.name, "sha256": locked.sha256, "signed_sha256": locked.signed_sha256}
    return locked

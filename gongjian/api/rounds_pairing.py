"""A pair's life after the allocation over the API (结对轮次, #13 point 8): the 共建协议书
(generate, read, sign, download), declining a renewal, and the department's adjustments —
ending a pair early, or putting another unit in its place (动态调整) — with the round's
list of adjustments.

Operations of the rounds router (``gongjian.api.rounds.router``); ``gongjian/api/urls.py``
imports this module. As the pages (``rounds/views_pairing.py``, ``views_adjustment.py``): a
round or pairing outside the user's scope is a 404, acting for the wrong side or without
administering the round a 403, a refusal 409/422.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, ErrorOut
from gongjian.api.jobs import JobOut
from gongjian.api.pagination import BoundedPageNumberPagination as Page
from gongjian.api.rounds import PairingOut, _found, _round, router
from gongjian.jobs import selectors as job_selectors
from gongjian.orgs.scope import subtree_path
from gongjian.rounds import selectors, views_pairing
from gongjian.rounds.access import can_administer
from gongjian.rounds.coverage import round_adjustments
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.jobs import agreement_pdfs_start
from gongjian.rounds.services_adjustment import adjustment_candidates, pairing_replace
from gongjian.rounds.services_agreement import agreement_generate, agreement_sign
from gongjian.rounds.services_pairing import pairing_decline_renewal, pairing_end

PAIRING = "/{int:round_id}/pairings/{int:pairing_id}"


def _pairing(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    round_ = _round(request, round_id)
    return _found(selectors.pairing_get, user=request.user, pk=pairing_id, round_=round_)


def _administer(request: HttpRequest, pairing: Any) -> None:
    if not can_administer(request.user, pairing.round):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以调整结对"))


def _fresh(request: HttpRequest, pairing: Any) -> Any:
    return selectors.pairing_get(user=request.user, pk=pairing.pk, round_=pairing.round)


# ---------------------------------------------------------------- agreement (共建协议书)


class AgreementOut(Schema):
    pairing_id: int
    sha256: str
    unit_signer_name: str
    unit_signer_post: str
    unit_signed_at: datetime.datetime | None
    village_signer_name: str
    village_signer_post: str
    village_signed_at: datetime.datetime | None
    signed: bool = Field(..., description="双方均已签署（已签署的协议书已归档）")

    @staticmethod
    def resolve_signed(obj: Any) -> bool:
        return bool(obj.signed_pdf)


class SignIn(Schema):
    signer_name: str = Field(..., max_length=64, description="签署人姓名")
    signer_post: str = Field(..., max_length=64, description="签署人职务")


@router.get(PAIRING + "/agreement", response={200: AgreementOut, **READ_ERRORS}, summary="共建协议书的签署情况")
def agreement(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    return _found(selectors.pairing_agreement, user=request.user, pairing=pairing)


@router.post(
    PAIRING + "/agreement",
    response={200: AgreementOut, **WRITE_ERRORS},
    summary="生成共建协议书",
    description="双方确认结对后，任一方或本轮次管理员生成协议书（只生成一次并保存其 SHA-256），阅读后签署。",
)
def agreement_create(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    return agreement_generate(actor=request.user, pairing=pairing)  # type: ignore[arg-type]


@router.post(
    PAIRING + "/agreement/sign",
    response={200: AgreementOut, **WRITE_ERRORS},
    summary="签署共建协议书",
    description="本方签署（签署人姓名、职务）；双方都签署后协议书归档、结对生效。未生成、已签署或已截止的返回 409。",
)
def agreement_sign_op(request: HttpRequest, round_id: int, pairing_id: int, payload: SignIn) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    return agreement_sign(actor=request.user, pairing=pairing, **payload.dict())  # type: ignore[arg-type]


@router.get(
    PAIRING + "/agreement/pdf",
    response={200: None, **READ_ERRORS},
    summary="下载共建协议书（PDF）",
    description="双方签署后为已签署的协议书，否则为待签署的；按保存时的 SHA-256 校验，下载留有审计记录。",
)
def agreement_pdf(request: HttpRequest, round_id: int, pairing_id: int) -> HttpResponseBase:
    pairing = _pairing(request, round_id, pairing_id)
    # The page's own download (name, checksum, audit row), so the two cannot drift apart.
    return views_pairing.agreement_download_view(request, pairing.pk)


@router.post(
    "/{int:round_id}/agreement-pdfs",
    response={202: JobOut, **WRITE_ERRORS},
    summary="生成本轮次的协议书 PDF",
    description=(
        "本轮次管理员为线下签约的结对生成协议书 PDF（后台任务，每个结对只生成一次）；"
        "返回任务，进度见 /api/jobs/{id}。执行中重复提交返回同一任务。"
    ),
)
def agreement_pdfs(request: HttpRequest, round_id: int) -> Any:
    job = agreement_pdfs_start(actor=request.user, round_=_round(request, round_id))
    return Status(202, job_selectors.job_status(job))


# ---------------------------------------------------------------- renewal and adjustments


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000, description="调整原因")


class ReplaceIn(ReasonIn):
    new_unit_id: int = Field(..., description="接替的单位（本轮次有空余名额的单位）")


class CandidateOut(Schema):
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    district: str
    capacity: int


class AdjustmentOut(Schema):
    village: str
    old_unit: str
    new_unit: str
    created_at: datetime.datetime
    deadline: datetime.datetime | None
    status: str
    status_label: str
    reason: str


@router.post(
    PAIRING + "/decline",
    response={200: PairingOut, **WRITE_ERRORS},
    summary="不续签",
    description="续签结对的任一方在确认期内选择不续签，该村重新选择结对单位。",
)
def decline(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    pairing_decline_renewal(actor=request.user, pairing=pairing)  # type: ignore[arg-type]
    return _fresh(request, pairing)


@router.post(
    PAIRING + "/end",
    response={200: PairingOut, **WRITE_ERRORS},
    summary="终止结对（调整）",
    description="本轮次管理员写明原因提前终止结对，双方收到通知，该村可重新匹配。已终止的返回 409。",
)
def end(request: HttpRequest, round_id: int, pairing_id: int, payload: ReasonIn) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    _administer(request, pairing)
    pairing_end(actor=request.user, pairing=pairing, reason=payload.reason)  # type: ignore[arg-type]
    return _fresh(request, pairing)


@router.get(
    PAIRING + "/replace-candidates",
    response={200: list[CandidateOut], 403: ErrorOut, 404: ErrorOut},
    summary="可接替的单位",
    description="本轮次中尚有空余名额、且未与该村结对的单位（动态调整时选择；分页）。",
)
@paginate(Page, page_size=50)
def replace_candidates(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    _administer(request, pairing)
    return adjustment_candidates(pairing.round, pairing)


@router.post(
    PAIRING + "/replace",
    response={201: AdjustmentOut, **WRITE_ERRORS},
    summary="调整结对单位（动态调整）",
    description="本轮次管理员以另一单位接替该结对的单位：原结对终止，新结对交双方确认；三方收到通知并记入审计日志。",
)
def replace(request: HttpRequest, round_id: int, pairing_id: int, payload: ReplaceIn) -> Any:
    pairing = _pairing(request, round_id, pairing_id)
    _administer(request, pairing)
    candidate = adjustment_candidates(pairing.round, pairing).filter(unit_id=payload.new_unit_id).first()
    if candidate is None:
        message = _("该单位不能接替：不在本轮次或名额已满")
        raise RoundActionRefused(message, code="not_candidate", field="new_unit_id")
    adjustment = pairing_replace(
        actor=request.user,  # type: ignore[arg-type]
        pairing=pairing,
        new_unit=candidate.unit,
        reason=payload.reason,
    )
    replacement = adjustment.new_pairing
    return Status(
        201,
        {
            "village": adjustment.village.name,
            "old_unit": adjustment.old_unit.name,
            "new_unit": adjustment.new_unit.name,
            "created_at": adjustment.created_at,
            "deadline": adjustment.deadline,
            "status": replacement.status,
            "status_label": replacement.get_status_display(),
            "reason": adjustment.reason,
        },
    )


@router.get(
    "/{int:round_id}/adjustments",
    response={200: list[AdjustmentOut], **READ_ERRORS},
    summary="动态调整记录",
    description="本轮次的结对调整（新的在前）：管理员见全部，单位和村见与本方有关的。",
)
def adjustments(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request, round_id)
    scope_path = None if can_administer(request.user, round_) else subtree_path(request.user)
    return round_adjustments(round_=round_, scope_path=scope_path, public=False)

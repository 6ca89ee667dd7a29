"""Aid-funds endpoints (帮扶资金): pledges, transfers, receipts, uses, disclosures, feedback
to donors, and the ledgers of a pairing and of a village.

Through the funds selectors and services: a pairing or village outside the user's scope is
a 404; the wrong side is a 403; a refusal (overdrawn, duplicate, period not over…) is a 409
or 422. A use needs its voucher, so it is sent as a multipart form with the file.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.funds_schemas import (
    DisclosureIn,
    DisclosureOut,
    DonorFeedbackOut,
    FeedbackIn,
    FundsPairingDetailOut,
    FundsPairingOut,
    PledgeIn,
    PledgeOut,
    ReceiptIn,
    ReceiptOut,
    TransferIn,
    TransferOut,
    UseIn,
    UseOut,
    VillageLedgerOut,
    VillageOut,
)
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.funds import selectors, services, services_disclosure
from gongjian.funds.ledger import pairing_ledger, village_ledger

router = Router(tags=["帮扶资金"])
Page = BoundedPageNumberPagination
PAIRING = "/pairings/{int:pairing_id}"
VILLAGE = "/villages/{int:village_id}"


# ---------------------------------------------------------------- pairings (the donor's side)


@router.get(
    "/pairings/", response=list[FundsPairingOut], summary="可查看资金的结对", description="已签约及已结束的结对。"
)
@paginate(Page, page_size=50)
def list_pairings(request: HttpRequest, q: str = "") -> Any:
    return selectors.funds_pairings(user=request.user, query=q)


@router.get(PAIRING, response={200: FundsPairingDetailOut, **READ_ERRORS}, summary="结对资金台账")
def get_pairing(request: HttpRequest, pairing_id: int) -> Any:
    pairing: Any = selectors.pairing_get(user=request.user, pk=pairing_id)
    pairing.ledger = pairing_ledger(pairing)
    return pairing


@router.get(PAIRING + "/pledges/", response=list[PledgeOut], summary="认捐记录")
@paginate(Page, page_size=50)
def list_pledges(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.pairing_pledges(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(
    PAIRING + "/pledges/",
    response={201: PledgeOut, **WRITE_ERRORS},
    summary="登记认捐",
    description="结对单位登记某年度的认捐金额与用途。",
)
def create_pledge(request: HttpRequest, pairing_id: int, payload: PledgeIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, services.pledge_create(actor=request.user, pairing=pairing, **payload.dict()))


@router.get(PAIRING + "/transfers/", response=list[TransferOut], summary="拨付记录")
@paginate(Page, page_size=50)
def list_transfers(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.pairing_transfers(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(
    PAIRING + "/transfers/",
    response={201: TransferOut, **WRITE_ERRORS},
    summary="登记拨付",
    description="结对单位登记一笔拨付（凭证文件请在网页上传）；同一凭证号不能重复登记。",
)
def create_transfer(request: HttpRequest, pairing_id: int, payload: TransferIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, services.transfer_create(actor=request.user, pairing=pairing, **payload.dict()))


@router.get("/transfers/{int:transfer_id}", response={200: TransferOut, **READ_ERRORS}, summary="拨付详情")
def get_transfer(request: HttpRequest, transfer_id: int) -> Any:
    return selectors.transfer_get(user=request.user, pk=transfer_id)


@router.delete(
    "/transfers/{int:transfer_id}",
    response={204: None, **WRITE_ERRORS},
    summary="撤回误登的拨付",
    description="村里确认到账之前可以撤回。",
)
def delete_transfer(request: HttpRequest, transfer_id: int) -> Any:
    services.transfer_delete(actor=request.user, transfer=selectors.transfer_get(user=request.user, pk=transfer_id))
    return Status(204, None)


@router.post(
    "/transfers/{int:transfer_id}/receipt",
    response={201: ReceiptOut, **WRITE_ERRORS},
    summary="确认到账",
    description="受帮扶村确认拨付到账；到账少于拨付须说明原因，多于拨付不予登记。",
)
def confirm_receipt(request: HttpRequest, transfer_id: int, payload: ReceiptIn) -> Any:
    transfer = selectors.transfer_get(user=request.user, pk=transfer_id)
    return Status(201, services.receipt_confirm(actor=request.user, transfer=transfer, **payload.dict()))


@router.get(PAIRING + "/uses/", response=list[UseOut], summary="记到该结对的资金使用")
@paginate(Page, page_size=50)
def list_pairing_uses(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.pairing_uses(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.get(PAIRING + "/feedback/", response=list[DonorFeedbackOut], summary="向援助单位的反馈")
@paginate(Page, page_size=50)
def list_feedback(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.pairing_feedback(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(
    PAIRING + "/feedback/",
    response={201: DonorFeedbackOut, **WRITE_ERRORS},
    summary="向援助单位反馈资金使用",
    description="受帮扶村反馈资金使用情况，期间的到账与使用金额随附。",
)
def send_feedback(request: HttpRequest, pairing_id: int, payload: FeedbackIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, services_disclosure.feedback_send(actor=request.user, pairing=pairing, **payload.dict()))


@router.post(
    "/feedback/{int:feedback_id}/read", response={200: DonorFeedbackOut, **WRITE_ERRORS}, summary="援助单位阅知反馈"
)
def read_feedback(request: HttpRequest, feedback_id: int) -> Any:
    feedback = selectors.feedback_get(user=request.user, pk=feedback_id)
    return services_disclosure.feedback_mark_read(actor=request.user, feedback=feedback)


@router.get("/feedback/unread/", response=list[DonorFeedbackOut], summary="本单位未阅知的反馈")
@paginate(Page, page_size=50)
def list_unread_feedback(request: HttpRequest) -> Any:
    return selectors.unread_feedback(user=request.user)


# ---------------------------------------------------------------- villages (the receiving side)


@router.get("/villages/", response=list[VillageOut], summary="有结对资金的村")
@paginate(Page, page_size=50)
def list_villages(request: HttpRequest, q: str = "") -> Any:
    return selectors.funds_villages(user=request.user, query=q)


@router.get(
    VILLAGE,
    response={200: VillageLedgerOut, **READ_ERRORS},
    summary="村资金台账",
    description="按援助单位分列，另列统筹使用与合计。",
)
def get_village(request: HttpRequest, village_id: int) -> Any:
    village: Any = selectors.village_get(user=request.user, pk=village_id)
    ledger = village_ledger(village.pk)
    village.total, village.pooled_used = ledger.total, ledger.pooled_used
    village.lines = [{"pairing_id": p.pk, "unit": p.unit.name, "ledger": line} for p, line in ledger.lines]
    return village


@router.get(VILLAGE + "/awaiting/", response=list[TransferOut], summary="待确认到账的拨付（在途）")
@paginate(Page, page_size=50)
def list_awaiting(request: HttpRequest, village_id: int) -> Any:
    return selectors.village_transfers_awaiting_receipt(selectors.village_get(user=request.user, pk=village_id))


@router.get(VILLAGE + "/receipts/", response=list[ReceiptOut], summary="到账记录")
@paginate(Page, page_size=50)
def list_receipts(request: HttpRequest, village_id: int) -> Any:
    return selectors.village_receipts(selectors.village_get(user=request.user, pk=village_id))


@router.get(VILLAGE + "/uses/", response=list[UseOut], summary="资金使用记录")
@paginate(Page, page_size=50)
def list_uses(request: HttpRequest, village_id: int) -> Any:
    return selectors.village_uses(selectors.village_get(user=request.user, pk=village_id))


@router.post(
    VILLAGE + "/uses/",
    response={201: UseOut, **WRITE_ERRORS},
    summary="登记资金使用",
    description="本村登记一笔资金使用（multipart 表单，须附支出凭证 voucher）；超过结余的不予登记。",
)
def create_use(request: HttpRequest, village_id: int, payload: Form[UseIn], voucher: File[UploadedFile]) -> Any:
    village = selectors.village_get(user=request.user, pk=village_id)
    pairing = None
    if payload.pairing_id is not None:
        pairing = selectors.pairing_get(user=request.user, pk=payload.pairing_id)
    values = payload.dict(exclude={"pairing_id"})
    return Status(
        201, services.use_create(actor=request.user, village=village, voucher=voucher, pairing=pairing, **values)
    )


@router.get("/uses/{int:use_id}", response={200: UseOut, **READ_ERRORS}, summary="资金使用详情")
def get_use(request: HttpRequest, use_id: int) -> Any:
    return selectors.use_get(user=request.user, pk=use_id)


@router.get(VILLAGE + "/disclosures/", response=list[DisclosureOut], summary="村务公开（帮扶资金）")
@paginate(Page, page_size=50)
def list_disclosures(request: HttpRequest, village_id: int) -> Any:
    return selectors.village_disclosures(selectors.village_get(user=request.user, pk=village_id))


@router.post(
    VILLAGE + "/disclosures/",
    response={201: DisclosureOut, **WRITE_ERRORS},
    summary="公开一期帮扶资金",
    description="本村公开已结束的半年或季度的到账与使用；每期一次。",
)
def publish_disclosure(request: HttpRequest, village_id: int, payload: DisclosureIn) -> Any:
    village = selectors.village_get(user=request.user, pk=village_id)
    return Status(201, services_disclosure.disclosure_publish(actor=request.user, village=village, **payload.dict()))

"""Archive endpoints (共建档案): visits, 六个一, 五送, projects and the three cards (contact,
feedback, monthly performance card with submit, countersign, return, acknowledge).

Through the same selectors and services as the pages: a pairing outside the user's scope
is a 404; acting for the wrong side is a 403; a refusal of the workflow is a 409 or 422.
Photos and evidence files (multipart) are in ``api/records_files.py``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.api.records_schemas import (
    AnswerIn,
    CardIn,
    CardOut,
    CommentIn,
    ContactIn,
    ContactOut,
    DeliveryIn,
    DeliveryOut,
    FeedbackIn,
    FeedbackOut,
    PairingDetailOut,
    PairingOut,
    ProgressIn,
    ProjectIn,
    ProjectOut,
    ReportIn,
    ReportOut,
    SixMustIn,
    SixMustOut,
    VisitIn,
    VisitOut,
)
from gongjian.records import (
    selectors,
    selectors_cards,
    selectors_reports,
    services_archive,
    services_cards,
    services_reports,
)

router = Router(tags=["共建档案"])
Page = BoundedPageNumberPagination
PAIRING = "/pairings/{int:pairing_id}"


def _created(obj: Any) -> Any:
    return Status(201, obj)


# ---------------------------------------------------------------- pairings


@router.get(
    "/pairings/", response=list[PairingOut], summary="可查看档案的结对", description="按单位或村名（含拼音）检索。"
)
@paginate(Page, page_size=50)
def list_pairings(request: HttpRequest, q: str = "", status: str = "") -> Any:
    return selectors.pairing_list(user=request.user, query=q, status=status)


@router.get(PAIRING, response={200: PairingDetailOut, **READ_ERRORS}, summary="结对档案概况")
def get_pairing(request: HttpRequest, pairing_id: int) -> Any:
    pairing: Any = selectors.pairing_get(user=request.user, pk=pairing_id)
    pairing.summary = selectors.archive_summary(pairing)
    pairing.my_side = selectors.user_side(request.user, pairing)
    return pairing


# ---------------------------------------------------------------- visits, 六个一, 五送


@router.get(PAIRING + "/visits/", response=list[VisitOut], summary="走访记录", description="新的在前。")
@paginate(Page, page_size=50)
def list_visits(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.visits_of(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(
    PAIRING + "/visits/",
    response={201: VisitOut, **WRITE_ERRORS},
    summary="登记走访",
    description="结对单位登记一次走访（照片另行上传：POST /visits/{id}/photos/）。日期不得晚于今天。",
)
def create_visit(request: HttpRequest, pairing_id: int, payload: VisitIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return _created(services_archive.visit_create(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.get("/visits/{int:visit_id}", response={200: VisitOut, **READ_ERRORS}, summary="走访详情")
def get_visit(request: HttpRequest, visit_id: int) -> Any:
    return selectors.visit_get(user=request.user, pk=visit_id)


@router.get(PAIRING + "/six-musts/", response=list[SixMustOut], summary="六个一记录")
@paginate(Page, page_size=50)
def list_six_musts(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.six_musts_of(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(
    PAIRING + "/six-musts/",
    response={201: SixMustOut, **WRITE_ERRORS},
    summary="登记六个一",
    description="结对单位登记六个一中的一项（佐证材料请在网页上传）。",
)
def create_six_must(request: HttpRequest, pairing_id: int, payload: SixMustIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return _created(services_archive.six_must_create(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.get("/six-musts/{int:item_id}", response={200: SixMustOut, **READ_ERRORS}, summary="六个一记录详情")
def get_six_must(request: HttpRequest, item_id: int) -> Any:
    return selectors.six_must_get(user=request.user, pk=item_id)


@router.get(PAIRING + "/deliveries/", response=list[DeliveryOut], summary="五送记录")
@paginate(Page, page_size=50)
def list_deliveries(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.deliveries_of(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(
    PAIRING + "/deliveries/",
    response={201: DeliveryOut, **WRITE_ERRORS},
    summary="登记五送",
    description="结对单位登记送政策、送信息、送资金、送技术、送温暖之一，可填金额。",
)
def create_delivery(request: HttpRequest, pairing_id: int, payload: DeliveryIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return _created(services_archive.delivery_create(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.get("/deliveries/{int:item_id}", response={200: DeliveryOut, **READ_ERRORS}, summary="五送记录详情")
def get_delivery(request: HttpRequest, item_id: int) -> Any:
    return selectors.delivery_get(user=request.user, pk=item_id)


# ---------------------------------------------------------------- projects


@router.get(PAIRING + "/projects/", response=list[ProjectOut], summary="共建项目")
@paginate(Page, page_size=50)
def list_projects(request: HttpRequest, pairing_id: int) -> Any:
    return selectors.projects_of(selectors.pairing_get(user=request.user, pk=pairing_id))


@router.post(PAIRING + "/projects/", response={201: ProjectOut, **WRITE_ERRORS}, summary="登记共建项目")
def create_project(request: HttpRequest, pairing_id: int, payload: ProjectIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return _created(services_archive.project_create(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **READ_ERRORS}, summary="共建项目详情")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return selectors.project_get(user=request.user, pk=project_id)


@router.post(
    "/projects/{int:project_id}/progress",
    response={200: ProjectOut, **WRITE_ERRORS},
    summary="更新项目进度",
    description="已完成的项目进度应为 100%。",
)
def update_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> Any:
    project = selectors.project_get(user=request.user, pk=project_id)
    return services_archive.project_update_progress(actor=request.user, project=project, **payload.dict())  # type: ignore[arg-type]


# ---------------------------------------------------------------- contact card (活动联系卡)


@router.get(PAIRING + "/contacts/", response={200: list[ContactOut], **READ_ERRORS}, summary="活动联系卡")
def list_contacts(request: HttpRequest, pairing_id: int) -> Any:
    sides = selectors.contacts_of(selectors.pairing_get(user=request.user, pk=pairing_id))
    return [contact for people in sides.values() for contact in people]


@router.post(
    PAIRING + "/contacts/",
    response={201: ContactOut, **WRITE_ERRORS},
    summary="添加联系人",
    description="结对双方各自维护本方联系人。",
)
def create_contact(request: HttpRequest, pairing_id: int, payload: ContactIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return _created(services_archive.contact_create(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.delete("/contacts/{int:contact_id}", response={204: None, **WRITE_ERRORS}, summary="删除本方联系人")
def delete_contact(request: HttpRequest, contact_id: int) -> Any:
    contact = selectors.contact_get(user=request.user, pk=contact_id)
    services_archive.contact_delete(actor=request.user, contact=contact)  # type: ignore[arg-type]
    return Status(204, None)


# ---------------------------------------------------------------- feedback card (意见反馈卡)


@router.get(
    "/feedback/", response=list[FeedbackOut], summary="意见反馈卡", description="overdue=true 只列逾期未答复的。"
)
@paginate(Page, page_size=50)
def list_feedback(request: HttpRequest, status: str = "", overdue: bool = False) -> Any:
    return selectors_cards.feedback_list(user=request.user, status=status, overdue=overdue)


@router.get(PAIRING + "/feedback/", response=list[FeedbackOut], summary="某结对的意见反馈卡")
@paginate(Page, page_size=50)
def list_pairing_feedback(request: HttpRequest, pairing_id: int) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return selectors_cards.feedback_list(user=request.user, pairing=pairing)


@router.post(
    PAIRING + "/feedback/",
    response={201: FeedbackOut, **WRITE_ERRORS},
    summary="登记群众意见",
    description="结对村党组织登记群众意见，答复期限按轮次政策计算。",
)
def create_feedback(request: HttpRequest, pairing_id: int, payload: FeedbackIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return _created(services_cards.feedback_enter(actor=request.user, pairing=pairing, **payload.dict()))  # type: ignore[arg-type]


@router.get("/feedback/{int:card_id}", response={200: FeedbackOut, **READ_ERRORS}, summary="意见反馈卡详情")
def get_feedback(request: HttpRequest, card_id: int) -> Any:
    return selectors_cards.feedback_get(user=request.user, pk=card_id)


@router.post("/feedback/{int:card_id}/answer", response={200: FeedbackOut, **WRITE_ERRORS}, summary="单位答复意见")
def answer_feedback(request: HttpRequest, card_id: int, payload: AnswerIn) -> Any:
    card = selectors_cards.feedback_get(user=request.user, pk=card_id)
    return services_cards.feedback_answer(actor=request.user, card=card, answer=payload.answer)  # type: ignore[arg-type]


@router.post("/feedback/{int:card_id}/close", response={200: FeedbackOut, **WRITE_ERRORS}, summary="村党组织办结意见")
def close_feedback(request: HttpRequest, card_id: int) -> Any:
    card = selectors_cards.feedback_get(user=request.user, pk=card_id)
    return services_cards.feedback_close(actor=request.user, card=card)  # type: ignore[arg-type]


# ---------------------------------------------------------------- performance card (工作实绩卡)


@router.get("/cards/", response=list[CardOut], summary="工作实绩卡", description="可按状态筛选。")
@paginate(Page, page_size=50)
def list_cards(request: HttpRequest, status: str = "") -> Any:
    return selectors_cards.card_list(user=request.user, status=status)


@router.get(PAIRING + "/cards/", response=list[CardOut], summary="某结对的工作实绩卡")
@paginate(Page, page_size=50)
def list_pairing_cards(request: HttpRequest, pairing_id: int) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return selectors_cards.card_list(user=request.user, pairing=pairing)


@router.post(
    PAIRING + "/cards/",
    response={200: CardOut, **WRITE_ERRORS},
    summary="填写或报送工作实绩卡",
    description="结对单位保存某月的工作实绩卡草稿（submit=false）或报送（submit=true）；被退回的卡修改后重新报送。",
)
def save_card(request: HttpRequest, pairing_id: int, payload: CardIn) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return services_cards.performance_card_save(actor=request.user, pairing=pairing, **payload.dict())  # type: ignore[arg-type]


@router.get("/cards/{int:card_id}", response={200: CardOut, **READ_ERRORS}, summary="工作实绩卡详情")
def get_card(request: HttpRequest, card_id: int) -> Any:
    return selectors_cards.card_get(user=request.user, pk=card_id)


@router.post(
    "/cards/{int:card_id}/countersign",
    response={200: CardOut, **WRITE_ERRORS},
    summary="村党组织会签（签注意见）",
    description="会签须填写签注意见；只有已报送的卡可以会签。",
)
def countersign_card(request: HttpRequest, card_id: int, payload: CommentIn) -> Any:
    card = selectors_cards.card_get(user=request.user, pk=card_id)
    return services_cards.performance_card_countersign(actor=request.user, card=card, comment=payload.comment)  # type: ignore[arg-type]


@router.post(
    "/cards/{int:card_id}/return",
    response={200: CardOut, **WRITE_ERRORS},
    summary="村党组织退回",
    description="退回须填写退回意见；单位修改后重新报送。",
)
def return_card(request: HttpRequest, card_id: int, payload: CommentIn) -> Any:
    card = selectors_cards.card_get(user=request.user, pk=card_id)
    return services_cards.performance_card_return(actor=request.user, card=card, comment=payload.comment)  # type: ignore[arg-type]


@router.post(
    "/cards/{int:card_id}/acknowledge",
    response={200: CardOut, **WRITE_ERRORS},
    summary="上级党委收阅",
    description="结对单位的上级党委收阅已会签的卡，每张一次。",
)
def acknowledge_card(request: HttpRequest, card_id: int) -> Any:
    card = selectors_cards.card_get(user=request.user, pk=card_id)
    return services_cards.performance_card_acknowledge(actor=request.user, card=card)  # type: ignore[arg-type]


# ---------------------------------------------------------------- quarterly reports (季度报告)


@router.get(
    "/reports/", response=list[ReportOut], summary="季度报告", description="单位见本单位的，管理员见本范围各单位的。"
)
@paginate(Page, page_size=50)
def list_reports(request: HttpRequest) -> Any:
    return selectors_reports.report_list(user=request.user)


@router.get(
    "/reports/draft",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="本单位某季度报告的草稿",
    description="已保存的报告，或由本季度的走访、六个一、五送、项目、实绩卡与群众意见汇总的新草稿（未保存）。",
)
def report_draft(
    request: HttpRequest, year: int = Query(..., ge=2000, le=2100), quarter: int = Query(..., ge=1, le=4)
) -> Any:
    return services_reports.quarterly_report_draft(actor=request.user, year=year, quarter=quarter)  # type: ignore[arg-type]


@router.get("/reports/{int:report_id}", response={200: ReportOut, **READ_ERRORS}, summary="季度报告详情")
def get_report(request: HttpRequest, report_id: int) -> Any:
    return selectors_reports.report_get(user=request.user, pk=report_id)


@router.post(
    "/reports/",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="保存或报送季度报告",
    description="结对单位保存（submit=false）或报送（submit=true）已开始季度的报告；已报送的不能修改。",
)
def save_report(request: HttpRequest, payload: ReportIn) -> Any:
    return services_reports.quarterly_report_save(actor=request.user, **payload.dict())  # type: ignore[arg-type]

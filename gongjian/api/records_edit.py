"""Correcting the archive over the API (共建档案, #13 point 8): a visit, a 六个一 or a 五送 entry
corrected or removed by the unit that recorded it, a project's milestones added and marked
done, and the contact card prefilled from the agreement and the registry.

Operations of the records router (``gongjian.api.records.router``; the corrections share
their paths with the reads); ``gongjian/api/urls.py`` imports this module. As the pages
(``records/views_archive_edit.py``, ``views_archive.py``): an entry outside the user's scope
is a 404, the village side a 403, a refusal 409/422; every change is audited with the entry
before and after.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema, Status

from gongjian.api.common import WRITE_ERRORS
from gongjian.api.records import PAIRING, router
from gongjian.api.records_schemas import DeliveryIn, DeliveryOut, MilestoneOut, SixMustIn, SixMustOut, VisitIn, VisitOut
from gongjian.records import selectors
from gongjian.records.services_archive import contacts_prefill, milestone_complete, milestone_create
from gongjian.records.services_archive_edit import (
    delivery_delete,
    delivery_update,
    six_must_delete,
    six_must_update,
    visit_update,
)


class MilestoneIn(Schema):
    title: str = Field(..., max_length=128, description="节点名称")
    due: datetime.date = Field(..., description="计划完成日期")


class DoneIn(Schema):
    done_on: datetime.date | None = Field(None, description="完成日期，不填为今天")


class PrefillOut(Schema):
    added: int = Field(..., description="新增的联系人数")


@router.put(
    "/visits/{int:visit_id}",
    response={200: VisitOut, **WRITE_ERRORS},
    summary="更正走访记录",
    description="结对单位更正一次走访的日期、人员和内容（照片不变；照片另行上传）。",
)
def visit_correct(request: HttpRequest, visit_id: int, payload: VisitIn) -> Any:
    visit = selectors.visit_get(user=request.user, pk=visit_id)
    visit_update(actor=request.user, visit=visit, **payload.dict())  # type: ignore[arg-type]
    return selectors.visit_get(user=request.user, pk=visit_id)


@router.put(
    "/six-musts/{int:item_id}",
    response={200: SixMustOut, **WRITE_ERRORS},
    summary="更正六个一记录",
    description="结对单位更正一项六个一记录（佐证材料不变）。",
)
def six_must_correct(request: HttpRequest, item_id: int, payload: SixMustIn) -> Any:
    item = selectors.six_must_get(user=request.user, pk=item_id)
    return six_must_update(actor=request.user, item=item, **payload.dict())  # type: ignore[arg-type]


@router.delete(
    "/six-musts/{int:item_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除误登的六个一记录",
    description="结对单位删除误登的记录及其佐证材料（留有审计记录）。",
)
def six_must_remove(request: HttpRequest, item_id: int) -> Any:
    six_must_delete(actor=request.user, item=selectors.six_must_get(user=request.user, pk=item_id))  # type: ignore[arg-type]
    return Status(204, None)


@router.put(
    "/deliveries/{int:item_id}",
    response={200: DeliveryOut, **WRITE_ERRORS},
    summary="更正五送记录",
)
def delivery_correct(request: HttpRequest, item_id: int, payload: DeliveryIn) -> Any:
    item = selectors.delivery_get(user=request.user, pk=item_id)
    return delivery_update(actor=request.user, item=item, **payload.dict())  # type: ignore[arg-type]


@router.delete(
    "/deliveries/{int:item_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除误登的五送记录",
    description="结对单位删除误登的记录（留有审计记录）。",
)
def delivery_remove(request: HttpRequest, item_id: int) -> Any:
    delivery_delete(actor=request.user, item=selectors.delivery_get(user=request.user, pk=item_id))  # type: ignore[arg-type]
    return Status(204, None)


@router.post(
    "/projects/{int:project_id}/milestones",
    response={201: MilestoneOut, **WRITE_ERRORS},
    summary="增加项目节点",
)
def milestone_add(request: HttpRequest, project_id: int, payload: MilestoneIn) -> Any:
    project = selectors.project_get(user=request.user, pk=project_id)
    return Status(201, milestone_create(actor=request.user, project=project, **payload.dict()))  # type: ignore[arg-type]


@router.post(
    "/milestones/{int:milestone_id}/done",
    response={200: MilestoneOut, **WRITE_ERRORS},
    summary="项目节点完成",
    description="结对单位标记一个节点完成；已完成的返回 409。",
)
def milestone_finish(request: HttpRequest, milestone_id: int, payload: DoneIn) -> Any:
    milestone = selectors.milestone_get(user=request.user, pk=milestone_id)
    done_on = payload.done_on or timezone.localdate()
    return milestone_complete(actor=request.user, milestone=milestone, done_on=done_on)  # type: ignore[arg-type]


@router.post(
    PAIRING + "/contacts/prefill",
    response={200: PrefillOut, **WRITE_ERRORS},
    summary="预填活动联系卡",
    description="从协议书签署人和人员名册预填本方联系人（已有的不重复）。",
)
def contacts_prefilled(request: HttpRequest, pairing_id: int) -> Any:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return {"added": contacts_prefill(actor=request.user, pairing=pairing)}  # type: ignore[arg-type]

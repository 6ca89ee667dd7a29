"""Dispatch endpoints that start the work (选派干部, #13 point 8): a matching run of the
talent pool to the villages needing a cadre (a background job, as on the page) and
appointing one pooled candidate by hand.

Operations of the dispatch router (``gongjian.api.dispatch.router``; ``POST /runs/`` shares
its path with the list of runs); ``gongjian/api/urls.py`` imports this module. As the pages
(``dispatch/views_match.py``): only the organization departments (403 otherwise), a
candidate or village outside the scope is a 404, a refusal 409/422.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from gongjian.api.common import WRITE_ERRORS
from gongjian.api.dispatch import ROLES, AppointmentOut, router
from gongjian.api.jobs import JobOut
from gongjian.dispatch import selectors
from gongjian.dispatch.access import is_admin
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.services_match import match_start
from gongjian.dispatch.services_term import appointment_create
from gongjian.jobs import selectors as job_selectors
from gongjian.policies import profile_choices


class RunIn(Schema):
    policy_key: str = Field(..., max_length=64, description="政策配置（/policies/ 中的配置代码）")
    exclude: list[tuple[int, int]] = Field(default_factory=list, description="不予匹配的 [人选, 村] 组合")


class AppointIn(Schema):
    village_id: int = Field(..., description="任职的村（须在本人管理范围内）")
    role: str = Field(..., pattern=ROLES, description="first_secretary（第一书记）或 resident（驻村干部）")
    term_start: datetime.date
    policy_key: str = Field(..., max_length=64, description="政策配置（决定任期年限）")
    incentives: str = Field("", max_length=20000, description="激励保障措施")


def _admin(request: HttpRequest, message: str) -> None:
    if not is_admin(request.user):
        raise PermissionDenied(message)


def _policy(key: str) -> str:
    """A profile that exists, or a 422 naming ``policy_key`` (the form's choice, checked here)."""
    if key not in {k for k, _label in profile_choices()}:
        message = _("没有该政策配置：%(key)s") % {"key": key}
        raise DispatchActionRefused(message, code="unknown_policy", field="policy_key")
    return key


@router.post(
    "/runs/",
    response={202: JobOut, **WRITE_ERRORS},
    summary="运行选派匹配",
    description=(
        "组织部门按政策配置把本范围人才库中已入库的人选与需要选派干部的村匹配（后台任务）；"
        "返回任务，进度见 /api/jobs/{id}，完成后结果中有方案编号（/api/dispatch/runs/{id}）。"
        "同一请求在执行中重复提交返回同一任务；人才库为空或没有需要选派的村时返回 409。"
    ),
)
def start_run(request: HttpRequest, payload: RunIn) -> Any:
    _admin(request, _("只有组织部门可以运行选派匹配"))
    forbids = [(c, v) for c, v in payload.exclude]
    job = match_start(actor=request.user, policy_key=_policy(payload.policy_key), forbids=forbids)  # type: ignore[arg-type]
    return Status(202, job_selectors.job_status(job))


@router.post(
    "/candidates/{int:candidate_id}/appoint",
    response={201: AppointmentOut, **WRITE_ERRORS},
    summary="直接选派任职",
    description="组织部门把一名已入库的人选直接选派到本范围的一个村（如匹配方案未覆盖的村）；任期年限按政策配置。",
)
def appoint(request: HttpRequest, candidate_id: int, payload: AppointIn) -> Any:
    _admin(request, _("只有组织部门可以选派任职"))
    candidate = selectors.candidate_get(user=request.user, pk=candidate_id)
    village = selectors.village_get(user=request.user, pk=payload.village_id)
    values = payload.dict(exclude={"village_id"})
    values["policy_key"] = _policy(payload.policy_key)
    return Status(201, appointment_create(actor=request.user, candidate=candidate, village=village, **values))  # type: ignore[arg-type]

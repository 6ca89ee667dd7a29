"""The user's own inbox over the API (通知与后台任务, #13 point 8): every unread notification
marked read at once, and the background jobs the user started — listed, cancelled before
they start, and an export's file downloaded.

Operations of the notifications and jobs routers; ``gongjian/api/urls.py`` imports this
module. As the pages (``notifications/views.py``, ``jobs/views.py``): only the user's own
notifications and jobs (anyone else's job is a 404); cancelling a started job is a 409.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Schema
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS
from gongjian.api.jobs import JobOut
from gongjian.api.jobs import router as jobs_router
from gongjian.api.notifications import router as notifications_router
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.jobs import exports, selectors
from gongjian.jobs.services import job_cancel
from gongjian.notifications import selectors as notification_selectors
from gongjian.notifications.services import notifications_mark_all_read


class ReadAllOut(Schema):
    marked: int


@notifications_router.post("/read-all", response={200: ReadAllOut, **WRITE_ERRORS}, summary="全部标为已读")
def read_all(request: HttpRequest) -> Any:
    unread = list(notification_selectors.unread_of(user=request.user))
    return {"marked": notifications_mark_all_read(actor=request.user, notifications=unread)}


@jobs_router.get("/", response=list[JobOut], summary="本人发起的后台任务", description="新的在前。")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_jobs(request: HttpRequest) -> Any:
    return [selectors.job_status(job) for job in selectors.job_list(user=request.user).order_by("-created_at", "-pk")]


@jobs_router.post(
    "/{int:job_id}/cancel",
    response={200: JobOut, **WRITE_ERRORS},
    summary="取消尚未开始的后台任务",
    description="只能取消排队中的任务；已开始执行或已结束的返回 409（任务的工作要么全部提交，要么全部不做）。",
)
def cancel_job(request: HttpRequest, job_id: int) -> Any:
    job = selectors.job_get(user=request.user, pk=job_id)
    job_cancel(actor=request.user, job=job)
    return selectors.job_status(selectors.job_get(user=request.user, pk=job_id))


@jobs_router.get(
    "/{int:job_id}/download",
    response={200: None, **READ_ERRORS},
    summary="下载导出任务的文件",
    description="已完成的导出任务的文件（只限发起人；超过保留期限的为 404）；下载留有审计记录。",
)
def download_job(request: HttpRequest, job_id: int) -> HttpResponseBase:
    return exports.download(request, selectors.job_get(user=request.user, pk=job_id))

"""The job pages: one progress page for every kind of job (the bar polls a small JSON view,
see static/jobs/progress.js), cancel while queued, and the starter's list of jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.jobs import exports, selectors
from gongjian.jobs.services import job_cancel

# The words for the figures a job's result holds (its services' summaries).
SUMMARY_LABELS = {
    "rows": _("文件数据行"),
    "created": _("新增"),
    "updated": _("更新"),
    "unchanged": _("未变"),
    "skipped": _("已登记跳过"),
    "count": _("导入条数"),
    "figures_written": _("写入村情数据"),
    "regions_created": _("新建区划"),
    "run": _("方案序号"),
    "covered_slots": _("已覆盖名额"),
    "required_slots": _("应覆盖名额"),
    "year": _("考核年度"),
    "as_of": _("评估基准日"),
    "rounds": _("轮次"),
    "pairs": _("结对"),
    "obligations": _("义务"),
    "to_adjust": _("需调整"),
    "reminders": _("提醒"),
    "emails": _("邮件"),
    "filename": _("文件名"),
    "rendered": _("生成协议书"),
}


@login_required
def job_list_view(request: HttpRequest) -> HttpResponse:
    """The jobs the user started, newest first."""
    page = page_of(request, selectors.job_list(user=request.user))
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
def job_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page: bar, stage, then the result (or the Chinese error and, for an
    import, every bad cell by row and column)."""
    job = selectors.job_get(user=request.user, pk=pk)
    status = selectors.job_status(job)
    result = job.result if isinstance(job.result, dict) else {}
    context = {
        "job": job,
        "status": status,
        **selectors.result_shape(job),
        "errors": result.get("errors", []),
        "error_count": result.get("error_count", 0),
        "summary": [(SUMMARY_LABELS[k], v) for k, v in result.items() if k in SUMMARY_LABELS],
    }
    return render(request, "jobs/job_detail.html", context)


@login_required
def job_status_view(request: HttpRequest, pk: int) -> JsonResponse:
    """State and progress as JSON, polled by the progress page (the starter's jobs only)."""
    job = selectors.job_get(user=request.user, pk=pk)
    return JsonResponse(selectors.job_status(job), json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a job that has not started (a started one commits whole or not at all)."""
    job = selectors.job_get(user=request.user, pk=pk)
    attempt(request, None, lambda: job_cancel(actor=request.user, job=job))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_download_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A finished export's file, for the job's starter only, under its Chinese name."""
    return exports.download(request, selectors.job_get(user=request.user, pk=pk))

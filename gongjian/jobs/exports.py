"""Large exports as jobs.

An export page calls :func:`export_response`: the rows the export would hold are counted
first (one ``COUNT``); up to ``EXPORT_INLINE_ROWS`` rows (setting, default 5,000: a
workbook written in well under a second) the file is built in the request and downloaded
at once, as before; above, the export runs as a job (its progress bar counts the rows
written, through :func:`gongjian.core.tabular.write_table`), the file is kept in the shared
storage and the job's page offers it for download under its Chinese name.

The job builds the file with the starter as the user: the same scope, the same masking of
personal data (``full`` still needs the permission), and the export's own audit row,
written in the job's transaction. Only the starter can download it (:func:`download`).

An app registers each exporter once (:func:`register_exporter`, from its ``jobs.py``; a
whitelist: a job's parameters name a key, never code): how to count its rows, how to build
it, and its file name.

Left in the request, by size: the dashboard's workbook (one row per area of the scope:
hundreds at a province), a pair's funds ledger (one pairing), the import templates; a
notice PDF is one document rendered once, when the notice is issued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.services import audit_event
from gongjian.core.downloads import attachment, file_attachment
from gongjian.core.progress import report
from gongjian.jobs.files import job_folder
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.pages import job_response
from gongjian.jobs.services import filing_path, job_start, request_key


def inline_rows() -> int:
    """The most rows an export builds inside the request (setting ``EXPORT_INLINE_ROWS``)."""
    return int(getattr(settings, "EXPORT_INLINE_ROWS", 5000))


@dataclass(frozen=True)
class Exporter:
    """One export: ``title`` what it holds (in Chinese), ``count(user, args)`` its rows and
    ``build(user, args)`` its content (the app's export function, which audits itself)."""

    title: str
    count: Callable[[Any, dict[str, Any]], int]
    build: Callable[[Any, dict[str, Any]], bytes]
    # The download's name when it is not the title and the date.
    name: Callable[[Any, dict[str, Any]], str] | None = None


# Each export the pages can run as a job, by key; filled by the apps (their ``jobs.py``).
EXPORTERS: dict[str, Exporter] = {}


def register_exporter(key: str, exporter: Exporter) -> None:
    """Make ``exporter`` an export the pages may run as a job under ``key``."""
    EXPORTERS[key] = exporter


def export_name(exporter: str, user: Any, args: dict[str, Any]) -> str:
    """The download's Chinese name: what it holds and today's date, e.g. 组织名册20261204.xlsx
    (or the exporter's own name)."""
    spec = EXPORTERS[exporter]
    if spec.name is not None:
        return spec.name(user, args)
    return f"{spec.title}{timezone.localtime():%Y%m%d}.{args.get('fmt', 'xlsx')}"


def export_response(request: HttpRequest, *, exporter: str, args: dict[str, Any]) -> HttpResponse:
    """The export ``exporter`` of the user's scope (``args``: its format ``fmt`` and its own
    arguments): the file itself when small, else a job and its progress page."""
    spec = EXPORTERS[exporter]
    rows = spec.count(request.user, args)
    if rows <= inline_rows():
        return attachment(spec.build(request.user, args), export_name(exporter, request.user, args))
    today = timezone.localdate().isoformat()
    job = job_start(
        actor=request.user,  # type: ignore[arg-type]
        kind=JobKind.EXPORT,
        title=_("导出%(what)s（%(rows)d 行）") % {"what": _(spec.title), "rows": rows},
        params={"exporter": exporter, "args": args, "rows": rows},
        scope_path=filing_path(request.user),
        # The same export asked for twice the same day while it runs (a double click).
        idempotency_key=request_key("export", request.user.pk, exporter, args, today),
    )
    return job_response(job)


def run_export(job: Job) -> tuple[dict[str, Any], str]:
    """The job's work: build the file as the starter; the result (rows, size, name) and the
    download address. The file is written to the shared storage only once the job's result
    has committed (a worker killed before that leaves no file behind; one killed between the
    commit and the write leaves a job whose download says the file is gone)."""
    exporter, args = job.params["exporter"], dict(job.params.get("args") or {})
    spec = EXPORTERS[exporter]
    rows = int(job.params.get("rows") or 0)
    report(done=0, total=rows, stage=_("正在生成%(what)s") % {"what": _(spec.title)})
    content = spec.build(job.starter, args)
    name = export_name(exporter, job.starter, args)
    report(done=rows, total=rows, stage=_("正在保存文件"))
    stored = f"{job_folder(job)}export.{args.get('fmt', 'xlsx')}"
    transaction.on_commit(lambda: default_storage.save(stored, ContentFile(content)))
    result = {"rows": rows, "size": len(content), "filename": name, "stored": stored}
    return result, reverse("jobs:download", kwargs={"pk": job.pk})


def download(request: HttpRequest, job: Job) -> HttpResponseBase:
    """A finished export job's file, for its starter (the caller has checked that), under
    its Chinese name; the download is audited."""
    result = job.result if isinstance(job.result, dict) else {}
    if job.kind != JobKind.EXPORT or job.state != JobState.DONE or not result.get("stored"):
        raise Http404
    if result.get("expired"):  # removed after the retention period (cleanup_job_files)
        raise Http404(_("导出文件已超过保留期限并已删除，请重新导出"))
    try:
        handle = default_storage.open(str(result["stored"]), "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_event(
        "job.download",
        actor=request.user,
        target=job,
        scope_path=job.scope_path,
        after={"exporter": job.params.get("exporter"), "rows": result.get("rows")},
    )
    return file_attachment(handle, str(result["filename"]))

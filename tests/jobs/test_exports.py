"""Large exports and agreement PDFs as jobs: a small export is still the file itself; above
EXPORT_INLINE_ROWS it is a job whose file is downloaded from the job's page by its starter
only, under its Chinese name, with the starter's scope and masking; a round's agreement
PDFs are rendered by a job, each once."""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.runner import execute
from gongjian.orgs.selectors import organization_list
from gongjian.rounds.models import Agreement
from gongjian.rounds.services_agreement_archive import agreements_record_signed
from tests.conftest import Cast
from tests.funds.conftest import make_pairs

pytestmark = pytest.mark.postgres


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved_name(response: Any) -> str:
    return unquote(response["Content-Disposition"].split("filename*=UTF-8''")[-1])


def codes_in(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


def test_a_small_export_is_the_file_itself(cast: Cast) -> None:
    response = client_for(cast.committee_admin).get("/orgs/export/organizations.xlsx")
    assert response.status_code == 200 and not Job.objects.exists()
    assert saved_name(response) == f"组织名册{timezone.localtime():%Y%m%d}.xlsx"


def test_a_large_export_is_a_job_downloaded_by_its_starter_only(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EXPORT_INLINE_ROWS = 1  # every export of more than a row is "large"
    admin = client_for(cast.committee_admin)
    with django_capture_on_commit_callbacks(execute=True):  # the file is written once the job commits
        response = admin.get("/orgs/export/organizations.xlsx")
    job = Job.objects.get()
    expected = {o.code for o in organization_list(user=cast.committee_admin)}
    assert job.kind == JobKind.EXPORT and job.state == JobState.DONE and job.starter == cast.committee_admin
    assert job.result is not None and job.result["rows"] == len(expected) > 1
    # It ran in the request (test profile): straight to the download; the job page offers it.
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/download/"
    page = admin.get(f"/jobs/{job.pk}/").content.decode()
    assert "下载文件" in page and f"/jobs/{job.pk}/download/" in page
    download = admin.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert saved_name(download) == f"组织名册{timezone.localtime():%Y%m%d}.xlsx"
    assert codes_in(b"".join(download.streaming_content)) == expected  # the starter's scope, all of it
    assert cast.sibling_county.code not in expected
    # The export's own audit row names the starter; the download is on record too.
    assert AuditEntry.objects.filter(action="organization.export", actor_id=cast.committee_admin.pk).count() == 1
    assert AuditEntry.objects.filter(action="job.download", object_id=str(job.pk)).count() == 1
    # Anyone else: 404, even another administrator above.
    assert client_for(cast.city_admin).get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client_for(cast.outsider).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_large_people_export_stays_masked_without_the_permission(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongjian.orgs.models import Person

    Person.objects.create(organization=cast.village, name="张三", post="党支部书记", phone="13912345678")
    Person.objects.create(organization=cast.village, name="李四", post="委员", phone="13987654321")
    settings.EXPORT_INLINE_ROWS = 1
    admin = client_for(cast.village_user)
    with django_capture_on_commit_callbacks(execute=True):
        admin.get("/orgs/export/people.xlsx?full=1")
    job = Job.objects.get()
    content = b"".join(admin.get(f"/jobs/{job.pk}/download/").streaming_content)
    text = " ".join(str(c) for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True)
                    for c in row)  # fmt: skip
    assert "张三" in text and "13912345678" not in text and "139****5678" in text


def test_a_rounds_agreement_pdfs_are_rendered_by_a_job_each_once(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = make_pairs(cast)
    signed_at = timezone.make_aware(datetime.datetime(2026, 5, 1, 10))
    written = agreements_record_signed(
        actor=None, pairings=[pairs.main, pairs.second], signed_at=signed_at, scope_path=pairs.round.scope.path
    )
    assert written == 2 and not Agreement.objects.exclude(pdf="").exists()
    from gongjian.jobs import runner

    monkeypatch.setattr(runner, "dispatch", lambda job: None)  # left queued: delivered below
    start = f"/rounds/{pairs.round.pk}/agreement-pdfs/"
    assert client_for(cast.outsider).post(start).status_code == 404
    assert client_for(cast.unit_user).post(start).status_code == 403
    response = client_for(cast.city_admin).post(start)
    job = Job.objects.get(kind=JobKind.AGREEMENT_PDFS)
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert execute(job.pk, worker="w1") == JobState.DONE
    job.refresh_from_db()
    assert job.result == {"rendered": 2} and job.progress_done == job.progress_total == 2
    assert Agreement.objects.filter(pairing__in=[pairs.main, pairs.second]).exclude(pdf="").count() == 2
    assert AuditEntry.objects.filter(action="agreement.render", success=True).count() == 2
    # Delivered again: nothing to render, nothing written.
    assert execute(job.pk, worker="w2") == "skipped"
    assert AuditEntry.objects.filter(action="agreement.render").count() == 2


def test_a_large_compliance_overview_is_a_job_with_its_scope_and_name(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.compliance.conftest import make_world
    from tests.compliance.helpers import run, shanghai_records

    world = make_world(cast, "shanghai")  # the overview export's own set-up (3 pairs in 2026)
    shanghai_records(world)
    run(world, datetime.date(2027, 1, 31))
    year = 2026
    settings.EXPORT_INLINE_ROWS = 0  # every overview with a pair is "large"
    admin = client_for(cast.committee_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.get(f"/compliance/export.xlsx?year={year}")
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert response["Location"] == f"/jobs/{job.pk}/download/" and job.result is not None
    download = admin.get(response["Location"])
    assert saved_name(download) == f"合规状态-{cast.county.name}-{year}年.xlsx"
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert sheet.max_row - 1 == job.result["rows"] > 0
    audit = AuditEntry.objects.get(action="compliance.overview_export")
    assert audit.actor_id == cast.committee_admin.pk and audit.after["pairs"] == job.result["rows"]

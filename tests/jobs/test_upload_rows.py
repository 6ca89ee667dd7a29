"""The import request counts rows cheaply: the size an xlsx declares (the top of its sheet),
never the whole sheet; a file that does not declare it is counted by the job, which
stops at the limit with every row unimported."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from gongjian.core import uploads
from gongjian.jobs.models import Job, JobState
from gongjian.orgs.models import Organization
from tests.conftest import Cast
from tests.orgs.test_spreadsheets import GOOD_ROWS, org_file


def workbook(rows: int, *, write_only: bool) -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    for i in range(rows):
        sheet.append([f"C{i}", "名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_declared_size_is_read_from_the_top_of_the_sheet_and_the_job_counts_the_rest() -> None:
    declared = workbook(300, write_only=False)  # as Excel and WPS save: <dimension ref="A1:B300">
    undeclared = workbook(300, write_only=True)  # openpyxl's write-only files say nothing
    assert uploads.xlsx_declared_rows(io.BytesIO(declared)) == 300
    assert uploads.xlsx_declared_rows(io.BytesIO(undeclared)) is None
    assert uploads.count_rows(declared, "a.xlsx") == uploads.count_rows(undeclared, "a.xlsx") == 299
    assert uploads.count_rows("组织代码\nC1\nC2\n".encode(), "a.csv") == 2


@pytest.mark.postgres
def test_an_undeclared_file_over_the_limit_is_refused_by_the_job(cast: Cast, settings: Any) -> None:
    settings.UPLOAD_SPREADSHEET_MAX_ROWS = 2
    data, _name = org_file([list(r) for r in GOOD_ROWS])  # more than two rows
    assert uploads.xlsx_declared_rows(io.BytesIO(data)) is None  # the request lets it through
    client = Client()
    client.force_login(cast.committee_admin)
    handle = io.BytesIO(data)
    handle.name = "名册.xlsx"
    page = client.post("/orgs/import/organizations/", {"file": handle})
    job = Job.objects.get()
    assert job.state == JobState.FAILED and page.status_code == 400
    assert job.result is not None and "超过 2 行" in job.result["errors"][0]["reason"]
    assert not Organization.objects.filter(code="T0100").exists()

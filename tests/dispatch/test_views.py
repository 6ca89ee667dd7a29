"""Pages: scope (outsider and sibling county get 404 or nothing), forms keep their input,
import rejects a bad file whole naming row and column, exports masked unless permitted."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.core.tabular import write_xlsx
from gongjian.dispatch.models import Candidate
from gongjian.dispatch.services_match import match_run
from gongjian.dispatch.tables import CANDIDATE_COLUMNS
from tests.conftest import Cast
from tests.dispatch.conftest import POLICY_KEY, MakeCandidate, id_number, needs

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_pages_are_scoped(cast: Cast, skills: dict, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ("agriculture",))
    candidate = make_candidate("赵志远")
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    inside = client_for(cast.committee_admin)
    for url in (
        f"/dispatch/candidates/{candidate.pk}/",
        f"/dispatch/runs/{run.pk}/",
        f"/dispatch/villages/{cast.village.pk}/needs/",
    ):
        assert inside.get(url).status_code == 200
    assert "赵志远" in inside.get("/dispatch/candidates/").content.decode()
    for user in (cast.sibling_admin, cast.outsider):
        other = client_for(user)
        for url in (
            f"/dispatch/candidates/{candidate.pk}/",
            f"/dispatch/runs/{run.pk}/",
            f"/dispatch/villages/{cast.village.pk}/needs/",
            f"/dispatch/candidates/{candidate.pk}/appoint",
        ):
            assert other.get(url).status_code == 404, (user, url)
        assert other.post(f"/dispatch/candidates/{candidate.pk}/approve/").status_code == 404
        assert "赵志远" not in other.get("/dispatch/candidates/").content.decode()
        assert "花家村" not in other.get("/dispatch/villages/").content.decode()
        export = other.get("/dispatch/export/pool.csv").content.decode("utf-8-sig")
        assert "赵志远" not in export
    assert client_for(cast.unit_user).get(f"/dispatch/runs/{run.pk}/").status_code == 403


def test_apply_form_keeps_input_on_error(cast: Cast, skills: dict) -> None:
    response = client_for(cast.unit_user).post(
        "/dispatch/candidates/apply/",
        {
            "unit": cast.unit.pk,
            "name": "钱学勤",
            "gender": "F",
            "birth_date": "1990-02-03",
            "id_number": "611023199002030002",  # wrong check character (1 is right)
            "phone": "13800001111",
            "education": "bachelor",
            "political_status": "member",
            "village_codes": "NOSUCH",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "钱学勤" in page and "身份证号校验位不正确" in page
    assert not Candidate.objects.exists()


def test_import_rejects_bad_rows_and_imports_good_file(cast: Cast, skills: dict) -> None:
    good = [
        "李明",
        "男",
        "1987-03-04",
        id_number(),
        "13800002222",
        "大学本科",
        "中共党员",
        cast.unit.code,
        "科员",
        "农业技术、法律",
        cast.county.code,
    ]
    bad = [
        "王芳",
        "女",
        "不知道",
        "123",
        "138****2222",
        "博士后",
        "中共党员",
        cast.sibling_unit.code,
        "",
        "飞行",
        cast.town.code,
    ]
    client = client_for(cast.committee_admin)

    def upload(rows):  # type: ignore[no-untyped-def]
        data = write_xlsx(CANDIDATE_COLUMNS, rows, sheet_title="人才库报名")
        return client.post("/dispatch/candidates/import/", {"file": _file(data)})

    page = upload([good, bad]).content.decode()
    for column in ("出生日期", "身份证号", "手机号码", "学历", "所在单位代码", "专长", "意向地代码"):
        assert f"<td>{column}</td>" in page, column
    assert '<td class="num">3</td>' in page  # the second data row is row 3 in Excel
    assert not Candidate.objects.exists()
    assert AuditEntry.objects.filter(action="dispatch.candidate.import", success=False).count() == 1
    upload([good])
    imported = Candidate.objects.get()
    assert imported.status == "applied" and sorted(imported.skills.values_list("code", flat=True)) == [
        "agriculture",
        "law",
    ]
    assert AuditEntry.objects.filter(action="dispatch.candidate.apply", object_id=str(imported.pk)).exists()


def _file(data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pool.xlsx", data)


def test_export_masked_unless_permitted(cast: Cast, make_candidate: MakeCandidate) -> None:
    candidate = make_candidate()
    masked = client_for(cast.committee_admin).get("/dispatch/export/pool.xlsx?full=1").content
    row = [c.value for c in next(iter(load_workbook(io.BytesIO(masked)).active.iter_rows(min_row=2)))]
    assert candidate.id_number not in row and "138****1111" in row
    full = client_for(cast.city_admin).get("/dispatch/export/pool.xlsx?full=1").content
    row = [c.value for c in next(iter(load_workbook(io.BytesIO(full)).active.iter_rows(min_row=2)))]
    assert candidate.id_number in row
    entries = AuditEntry.objects.filter(action="dispatch.pool.export").order_by("id")
    assert [e.after["full_personal_data"] for e in entries] == [False, True]  # type: ignore[index]

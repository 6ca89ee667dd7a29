"""Every upload is checked before it is read or stored: its size (settings), its type and that
its content is what the extension says. Refused on every import page with a Chinese reason,
the page shown again (400), nothing imported; vouchers and evidence the same."""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from PIL import Image

from gongjian.audit.models import AuditEntry
from gongjian.core import uploads
from gongjian.core.tabular import TableRejected, read_table
from gongjian.funds.forms import TransferForm
from gongjian.funds.models import Transfer
from gongjian.orgs.models import Organization
from gongjian.records.services_archive import check_photos, six_must_values
from tests.conftest import Cast
from tests.funds.conftest import make_pairs
from tests.rounds.conftest import make_round

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zipped(names: list[str], size: int = 10) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, b"0" * size)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a gigantic picture (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused(check: Any, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        check(upload(name, content))
    return " ".join(info.value.messages)


def test_spreadsheets_are_what_they_say() -> None:
    uploads.validate_spreadsheet(upload("名册.xlsx", xlsx([["组织代码"], ["C1"]])))
    uploads.validate_spreadsheet(upload("名册.csv", "组织代码,组织名称\nC1,花家村\n".encode("gb18030")))
    uploads.validate_spreadsheet(upload("名册.csv", "\ufeff组织代码\nC1\n".encode()))
    assert "不是有效的 xlsx" in refused(uploads.validate_spreadsheet, "名册.xlsx", HTML)
    assert "不是有效的 xlsx" in refused(uploads.validate_spreadsheet, "名册.xlsx", zipped(["a.txt"]))
    assert "只接受 .xlsx 或 .csv" in refused(uploads.validate_spreadsheet, "名册.xls", xlsx([["a"]]))
    assert "编码" in refused(uploads.validate_spreadsheet, "名册.csv", b"\xff\xfe\x81\x30\xff\xff")
    assert "第 2 行含有空字符（NUL）" in refused(uploads.validate_spreadsheet, "名册.csv", b"a\nb\x00c\n")
    assert "CSV 文件应为" in refused(uploads.validate_spreadsheet, "名册.csv", png())


def test_limits_come_from_settings(settings: Any) -> None:
    settings.UPLOAD_SPREADSHEET_MAX_BYTES = 1000
    assert "文件过大" in refused(uploads.validate_spreadsheet, "名册.csv", b"a\n" + b"x" * 1001)
    settings.UPLOAD_SPREADSHEET_MAX_BYTES = 10**6
    settings.UPLOAD_SPREADSHEET_MAX_ROWS = 3
    rows = [["组织代码"]] + [[f"C{i}"] for i in range(4)]
    assert "超过 3 行" in refused(uploads.validate_spreadsheet, "名册.xlsx", xlsx(rows))
    assert "超过 3 行" in refused(uploads.validate_spreadsheet, "名册.csv", "组织代码\nC1\nC2\nC3\nC4\n".encode())
    uploads.validate_spreadsheet(upload("名册.csv", "组织代码\nC1\nC2\nC3\n".encode()))
    # An xlsx that does not declare its size is counted as it is read, and stops there.
    with pytest.raises(TableRejected) as info:
        read_table(xlsx(rows), "名册.xlsx", columns=["组织代码"], required=["组织代码"])
    assert "超过 3 行" in str(info.value)
    settings.UPLOAD_SPREADSHEET_MAX_UNZIPPED_BYTES = 10_000
    bomb = zipped(["[Content_Types].xml", "xl/worksheets/sheet1.xml"], size=20_000)
    assert len(bomb) < 1000 and "解压后过大" in refused(uploads.validate_spreadsheet, "名册.xlsx", bomb)
    settings.UPLOAD_PHOTO_MAX_BYTES = 100
    assert "文件过大" in refused(uploads.validate_photo, "走访.png", png() + b"\0" * 100)


def test_documents_are_what_they_say() -> None:
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
    for name, content in [
        ("凭证.pdf", pdf),
        ("凭证.png", png()),
        ("验收报告.docx", zipped(["[Content_Types].xml", "word/document.xml"])),
        ("发票.xlsx", xlsx([["金额"], [100]])),
        ("验收报告.doc", uploads.OLE2_MAGIC + b"\0" * 504),
        ("验收报告.wps", uploads.OLE2_MAGIC + b"\0" * 504),
        ("发票.ofd", zipped(["OFD.xml", "Doc_0/Document.xml"])),
    ]:
        uploads.validate_document(upload(name, content))
    assert "不是有效的 PDF" in refused(uploads.validate_document, "凭证.pdf", HTML)
    assert "不是有效的 PDF" in refused(uploads.validate_document, "凭证.pdf", b"  %PDF-1.7")
    assert "不是有效的 docx" in refused(uploads.validate_document, "报告.docx", HTML)
    assert "不是有效的 doc" in refused(uploads.validate_document, "报告.doc", HTML)
    assert "不是有效的 OFD" in refused(uploads.validate_document, "发票.ofd", zipped(["a.xml"]))
    assert "不是图片" in refused(uploads.validate_document, "凭证.jpg", HTML)
    assert "只能是图片、PDF" in refused(uploads.validate_document, "凭证.html", HTML)
    assert "不是图片" in refused(uploads.validate_photo, "走访.png", png_declaring(200_000, 200_000))


@pytest.mark.django_db
def test_vouchers_and_evidence_are_checked_by_content(cast: Cast) -> None:
    pairs = make_pairs(cast)
    client = Client()
    client.force_login(cast.unit_user)
    data = {"date": datetime.date.today().isoformat(), "amount": "1000", "channel": "direct"}
    form = TransferForm(data, {"voucher": upload("凭证.pdf", HTML)})
    assert not form.is_valid() and "不是有效的 PDF" in str(form.errors["voucher"])
    url = f"/funds/pairings/{pairs.main.pk}/transfers/new/"
    response = client.post(url, data | {"voucher": upload("凭证.pdf", HTML)})
    assert response.status_code in (200, 400) and "不是有效的 PDF" in response.content.decode()
    assert not Transfer.objects.exists()
    with pytest.raises(ValidationError, match="不是有效的 PDF"):
        today = datetime.date.today()
        six_must_values(date=today, kind="joint_meeting", content="x", evidence=upload("佐证.pdf", HTML))
    with pytest.raises(ValidationError, match="不是图片"):
        check_photos([upload("走访.jpg", HTML)])


def _import_pages(cast: Cast) -> list[tuple[Any, str]]:
    round_ = make_round(cast)
    return [
        (cast.city_admin, "/orgs/import/organizations/"),
        (cast.city_admin, "/orgs/import/people/"),
        (cast.city_admin, "/orgs/joint/import/"),
        (cast.city_admin, "/dispatch/candidates/import/"),
        (cast.committee_admin, "/members/mobile/import/"),
        (cast.committee_admin, "/members/pairs/import/"),
        (cast.unit_user, "/funds/transfers/import/"),
        (cast.city_admin, f"/rounds/{round_.pk}/geography/"),
    ]


@pytest.mark.django_db
def test_every_import_page_refuses_a_bad_file_and_imports_nothing(cast: Cast, settings: Any) -> None:
    pages = _import_pages(cast)
    settings.UPLOAD_SPREADSHEET_MAX_BYTES = 5000
    before = AuditEntry.objects.count()
    organizations = Organization.objects.count()
    bad_files = [
        ("名册.xlsx", HTML, "不是有效的 xlsx"),
        ("名册.csv", b"a\n" + b"x" * 5000, "文件过大"),
        ("名册.csv", "组织代码\nC1\x00\n".encode(), "空字符（NUL）"),
        ("名册.pdf", b"%PDF-1.7", "只接受 .xlsx 或 .csv"),
    ]
    for user, url in pages:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url
        for name, content, reason in bad_files:
            response = client.post(url, {"file": upload(name, content)})
            assert response.status_code == 400, (url, name, response.status_code)
            body = response.content.decode()
            assert reason in body and 'type="file"' in body, (url, name)
    assert Organization.objects.count() == organizations
    written = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)[before:])
    assert not [action for action in written if "import" in action], written


@pytest.mark.django_db
def test_a_nul_inside_a_cell_is_a_row_and_column_error(cast: Cast) -> None:
    # A caller that does not come through the upload form (a job, a command) still gets the
    # cell named; through the page, the form names the line.
    content = "组织代码,组织名称\nC0004,花家村\x00党支部\n".encode()
    with pytest.raises(TableRejected) as info:
        read_table(content, "名册.csv", columns=["组织代码", "组织名称"], required=["组织代码"])
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "组织名称")]
    assert "空字符（NUL）" in info.value.errors[0].reason
    client = Client()
    client.force_login(cast.city_admin)
    response = client.post("/orgs/import/organizations/", {"file": upload("名册.csv", content)})
    assert response.status_code == 400 and "第 2 行含有空字符（NUL）" in response.content.decode()
    assert Organization.objects.get(code="C0004").name == "花家村党支部"

"""Importing a unit's transfers from xlsx: all rows valid or nothing imported, every bad cell
reported with row, column and reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.core.cells import parse_date
from gongjian.core.cells import parse_money as parse_amount
from gongjian.core.tabular import CellError, TableRejected, write_xlsx
from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.import_transfers import COLUMNS, transfer_import
from gongjian.funds.models import Channel, Transfer
from tests.conftest import Cast
from tests.funds.conftest import Pairs

D = Decimal


def xlsx(rows: list[list[object]]) -> bytes:
    return write_xlsx(COLUMNS, rows, sheet_title="拨付记录")


def test_good_file_is_imported_and_audited(cast: Cast, pairs: Pairs) -> None:
    data = xlsx(
        [
            ["C0004", "花家村", datetime.date(2026, 3, 5), 20000, "通过公益基金会", "市慈善基金会", "HD-1", ""],
            ["C0005", "", "2026/4/1", "¥1,234.50", "", "", "", "第二笔"],
            ["c0004", "", "2026年5月6日", 0.1 + 0.2, "直接拨付", "", "HD-2", ""],  # Excel's binary 0.30000000000000004
        ]
    )
    assert transfer_import(actor=cast.unit_user, data=data, filename="拨付.xlsx") == 3
    rows = {(t.pairing_id, t.amount, t.channel, t.foundation_name) for t in Transfer.objects.all()}
    assert rows == {
        (pairs.main.pk, D("20000.00"), Channel.FOUNDATION, "市慈善基金会"),
        (pairs.second.pk, D("1234.50"), Channel.DIRECT, ""),
        (pairs.main.pk, D("0.30"), Channel.DIRECT, ""),
    }
    assert AuditEntry.objects.filter(action="funds.transfer.create", success=True).count() == 3
    assert AuditEntry.objects.get(action="funds.transfer.import").after == {"file": "拨付.xlsx", "created": 3}
    # The same file again: the references are already on record, nothing is imported twice.
    with pytest.raises(TableRejected) as caught:
        transfer_import(actor=cast.unit_user, data=data, filename="拨付.xlsx")
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, "凭证号"), (4, "凭证号")}
    assert Transfer.objects.count() == 3


def test_bad_rows_are_reported_and_nothing_is_imported(cast: Cast, pairs: Pairs) -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    data = xlsx(
        [
            ["C0004", "", "2026-03-05", "100", "", "", "A", ""],  # fine
            ["C0004", "", "2026-03-05", "12.345", "", "", "", ""],
            ["C0009", "清泉村", "2026-03-05", "100", "", "", "", ""],  # the sibling county's village
            ["C0004", "", "2026-02-30", "100", "基金会", "", "", ""],
            ["C0004", "", tomorrow, "100", "", "", "", ""],
            ["C0004", "王家沟村", "2026-03-05", "-5", "银行", "", "", ""],
            ["C0004", "", "2026-03-05", "100", "", "", "A", ""],  # same reference as row 2
            ["C0004", "", "2026-03-05", "100", "通过公益基金会", "", "", ""],
        ]
    )
    with pytest.raises(TableRejected) as caught:
        transfer_import(actor=cast.unit_user, data=data, filename="bad.xlsx")
    errors = caught.value.errors
    assert CellError(3, "拨付金额（元）", "金额最多精确到分（两位小数）") in errors
    assert CellError(4, "受帮扶村组织代码", "找不到本单位与该村已签约的结对") in errors
    assert CellError(5, "拨付日期", "不是有效的日期") in errors
    assert CellError(6, "拨付日期", "拨付日期不能晚于今天") in errors
    assert CellError(7, "受帮扶村名称", "与组织代码不符（该代码是花家村党支部）") in errors
    assert CellError(7, "拨付渠道", "应填“直接拨付”或“通过公益基金会”") in errors
    assert CellError(8, "凭证号", "与第 2 行重复") in errors
    assert CellError(9, "公益组织名称", "通过公益基金会拨付的，请填写公益组织名称") in errors
    assert not Transfer.objects.exists()
    assert AuditEntry.objects.filter(action="funds.transfer.import", success=False).count() == 1


def test_unknown_column_rejects_the_file(cast: Cast, pairs: Pairs) -> None:
    data = write_xlsx([*COLUMNS, "经办人"], [["C0004", "", "2026-03-05", "1", "", "", "", "", "张三"]], sheet_title="x")
    with pytest.raises(TableRejected) as caught:
        transfer_import(actor=cast.unit_user, data=data, filename="x.xlsx")
    assert caught.value.errors[0].column == "经办人"


def test_only_unit_users_import(cast: Cast, pairs: Pairs) -> None:
    with pytest.raises(FundsActionRefused):
        transfer_import(actor=cast.village_user, data=xlsx([]), filename="x.xlsx")
    client = Client()
    client.force_login(cast.committee_admin)
    assert client.get(reverse("funds:transfer_import")).status_code == 403


def test_import_page_shows_the_errors(cast: Cast, pairs: Pairs) -> None:
    client = Client()
    client.force_login(cast.unit_user)
    upload = SimpleUploadedFile("拨付.xlsx", xlsx([["C0004", "", "2026-03-05", "abc", "", "", "", ""]]))
    response = client.post(reverse("funds:transfer_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "未导入任何数据" in page
    assert '<td class="num">2</td><td>拨付金额（元）</td><td>应为金额数字，如 20000.00</td>' in page  # the shared list
    assert not Transfer.objects.exists()
    template = client.get(reverse("funds:transfer_import_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_parsers() -> None:
    assert parse_date("2026.3.5") == datetime.date(2026, 3, 5)
    assert parse_amount("20,000元") == D("20000.00")
    with pytest.raises(ValueError):
        parse_amount("两万")

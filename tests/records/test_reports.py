"""Quarterly reports (assembled from the records, edited and submitted by the unit, the
superior sees who has not) and the half-year inspection notice as an official PDF."""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.records.choices import CardStatus, ReportStatus
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import FeedbackCard, PerformanceCard
from gongjian.records.selectors_reports import current_quarter, quarter_bounds, report_status_rows
from gongjian.records.services_archive import delivery_create, visit_create
from gongjian.records.services_cards import feedback_enter
from gongjian.records.services_reports import (
    inspection_notice_generate,
    quarterly_report_draft,
    quarterly_report_save,
)
from gongjian.rounds.models import Pairing
from tests.conftest import Cast

TODAY = datetime.date.today()


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def test_quarter_bounds() -> None:
    assert quarter_bounds(2026, 1) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)


def test_report_is_assembled_from_the_quarter_edited_and_submitted(cast: Cast, signed: Pairing) -> None:
    year, quarter = current_quarter()
    visit_create(
        actor=cast.unit_user,
        pairing=signed,
        date=TODAY,
        visitor_level="principal",
        visitors="李建国 党委书记",
        content="召开座谈会研究产业发展",
    )
    delivery_create(
        actor=cast.unit_user, pairing=signed, date=TODAY, kind="funds", content="拨付资金", amount=Decimal("20000")
    )
    draft = quarterly_report_draft(actor=cast.unit_user, year=year, quarter=quarter)
    assert draft.pk is None  # not stored until saved
    for expected in ("花家村党支部", "走访（1次）", "召开座谈会研究产业发展", "五送（1次）", "20,000.00"):
        assert expected in draft.body, expected
    # The superior: the unit has not reported yet.
    rows = report_status_rows(user=cast.committee_admin, year=year, quarter=quarter)
    assert [(r.unit.pk, r.report) for r in rows] == [(cast.unit.pk, None)]
    with pytest.raises(PermissionDenied):
        quarterly_report_save(actor=cast.village_user, year=year, quarter=quarter, body="x", submit=True)
    with pytest.raises(ValidationError):
        quarterly_report_save(actor=cast.unit_user, year=year, quarter=quarter, body="  ", submit=True)
    report = quarterly_report_save(
        actor=cast.unit_user, year=year, quarter=quarter, body=draft.body + "\n补充：下季度建冷库", submit=True
    )
    assert report.status == ReportStatus.SUBMITTED and "补充：下季度建冷库" in report.body
    with pytest.raises(RecordActionRefused):
        quarterly_report_save(actor=cast.unit_user, year=year, quarter=quarter, body="改", submit=False)
    rows = report_status_rows(user=cast.committee_admin, year=year, quarter=quarter)
    assert rows[0].report is not None and rows[0].report.status == ReportStatus.SUBMITTED
    assert report_status_rows(user=cast.sibling_admin, year=year, quarter=quarter) == []
    assert report_status_rows(user=cast.unit_user, year=year, quarter=quarter) == []
    assert AuditEntry.objects.filter(action="quarterly_report.submit", success=True).count() == 1


def test_a_missing_report_is_overdue_after_its_due_days(cast: Cast, signed: Pairing) -> None:
    year = TODAY.year - 1  # the fixture's term began 1 January last year
    rows = report_status_rows(user=cast.committee_admin, year=year, quarter=1, today=datetime.date(year, 4, 10))
    assert rows[0].due == datetime.date(year, 4, 10) and not rows[0].overdue  # 10 days after 31 March
    rows = report_status_rows(user=cast.committee_admin, year=year, quarter=1, today=datetime.date(year, 4, 11))
    assert rows[0].overdue
    body = Client()
    body.force_login(cast.committee_admin)
    page = body.get(reverse("records:reports") + f"?year={year}&quarter=1").content.decode()
    assert "商南县农业农村局机关党委" in page and "未报送" in page


def test_half_year_notice_pdf_states_the_figures_in_official_layout(cast: Cast, signed: Pairing) -> None:
    year = TODAY.year - 1
    # January–March cards reported and countersigned; April, May and June missing.
    for month in (1, 2, 3):
        PerformanceCard.objects.create(
            pairing=signed, month=datetime.date(year, month, 1), work="工作", status=CardStatus.COUNTERSIGNED
        )
    feedback = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="王大爷", opinion="修渠")
    FeedbackCard.objects.filter(pk=feedback.pk).update(due=TODAY - datetime.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        inspection_notice_generate(actor=cast.sibling_admin, organization=cast.county, year=year, half=1)
    with pytest.raises(PermissionDenied):
        inspection_notice_generate(actor=cast.unit_user, organization=cast.county, year=year, half=1)
    notice = inspection_notice_generate(actor=cast.committee_admin, organization=cast.county, year=year, half=1)
    path = Path(notice.pdf.path)
    assert path.read_bytes().startswith(b"%PDF")
    fonts = pdf_fonts(path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts
    assert any("Noto-Serif-SC" in row[0] for row in fonts)
    text = pdf_text(path)
    for expected in [
        f"关于{year}年上半年城乡基层党组织结对共建工作检查情况的通报",
        f"共建督〔{year}〕第1号",
        "商南县委",
        "共有结对1对",
        "工作实绩卡应报6张，已报送3张，其中村党组织已会签3张，缺报3张",
        "群众意见超期未答复1条",
        "商南县农业农村局机关党委与花家村党支部：走访0次，缺报实绩卡3张，超期未答复群众意见1条",
        "未按期报送季度报告的单位：商南县农业农村局机关党委（第一季度）、商南县农业农村局机关党委（第二季度）",
    ]:
        # Page numbers (— 1 —) may fall inside a sentence that runs over a page break.
        assert re.sub(r"\s+", "", expected) in re.sub(r"—\d+—", "", text), expected
    assert "—1—" in text
    assert notice.figures["cards_missing"] == 3
    entry = AuditEntry.objects.get(action="inspection_notice.generate", success=True)
    assert entry.after is not None and entry.after["sha256"] == notice.sha256
    client = Client()
    client.force_login(cast.city_admin)
    response = client.get(reverse("records:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    for who in (cast.sibling_admin, cast.outsider, cast.unit_user):
        client.force_login(who)
        assert client.get(reverse("records:notice_pdf", args=[notice.pk])).status_code == 404


def test_notice_form_generates_for_the_admins_subtree(cast: Cast, signed: Pairing) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    response = client.post(
        reverse("records:notices"), {"organization": str(cast.county.pk), "year": str(TODAY.year), "half": "1"}
    )
    assert response.status_code == 302
    client.force_login(cast.sibling_admin)
    forged = client.post(
        reverse("records:notices"), {"organization": str(cast.county.pk), "year": str(TODAY.year), "half": "1"}
    )
    assert forged.status_code == 200 and "has-error" in forged.content.decode()  # not among its choices

"""Every download is named in Chinese after what it holds (not audit.csv, agreement-171.pdf):
the names of exports that were English, and the name helpers themselves."""

from __future__ import annotations

import datetime
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjian.core.downloads import attachment, content_disposition, file_name, short_name
from tests.conftest import Cast
from tests.rounds.conftest import make_round


def saved_name(response) -> str:  # type: ignore[no-untyped-def]
    disposition = response["Content-Disposition"]
    assert disposition.isascii(), disposition
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_name_helpers() -> None:
    assert file_name("共建协议书", short_name("邓家村党支部"), 2027, ext="pdf") == "共建协议书-邓家村-2027.pdf"
    assert short_name("富水镇党委") == "富水镇" and short_name("党委") == "党委"
    assert file_name("台账", "甲/乙:丙", "", ext=".XLSX") == "台账-甲_乙_丙.xlsx"
    assert content_disposition("a/b.pdf", inline=True) == "inline; filename*=UTF-8''a_b.pdf"
    response = attachment(b"x", "合规考核2026.xlsx")
    assert saved_name(response) == "合规考核2026.xlsx" and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_exports_that_were_english_are_named_in_chinese(cast: Cast) -> None:
    today = timezone.localdate()
    year = today.year
    admin = client_for(cast.city_admin)
    compliance = admin.get(reverse("compliance:assessment_export") + f"?year={year}")
    assert compliance.status_code == 200 and saved_name(compliance) == f"合规考核{year}.xlsx"

    auditor = client_for(cast.auditor)
    for fmt in ("csv", "xlsx"):
        audit = auditor.get(reverse("audit:export", args=[fmt]))
        assert audit.status_code == 200 and saved_name(audit) == f"审计日志{today:%Y%m%d}.{fmt}"

    round_ = make_round(cast)
    geography = admin.get(reverse("rounds:geography_template", args=[round_.pk, "xlsx"]))
    stamp = datetime.date.today().strftime("%Y%m%d")
    assert geography.status_code == 200 and saved_name(geography) == f"对口安排表-{round_.name}-{stamp}.xlsx"
    assert admin.get(reverse("rounds:geography_template", args=[round_.pk, "pdf"])).status_code == 404

"""Forms report every error on the first submit, in the domain's words: a missing field and a
future date together, money limits in 元 naming the field (not 确保该值大于或等于0.01), a bad
date naming its field, and a file field that says the file must be chosen again."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gongjian.funds.forms import TransferForm
from gongjian.members.forms import ProgressForm as MemberProgressForm
from gongjian.records.forms import SixMustForm, VisitForm
from gongjian.rounds.models import Pairing
from tests.conftest import Cast

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def errors_of(form) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    assert not form.is_valid()
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_a_missing_field_and_a_future_date_are_reported_together() -> None:
    with translation.override("zh-hans"):
        errors = errors_of(VisitForm({"date": TOMORROW.isoformat(), "visitor_level": "principal"}))
    assert errors["date"] == ["走访日期不能晚于今天"]
    assert errors["visitors"] == ["请填写“走访人员（姓名、职务）”"]
    assert errors["content"] == ["请填写“走访内容”"]


def test_money_and_date_errors_name_the_field_in_yuan() -> None:
    with translation.override("zh-hans"):
        errors = errors_of(TransferForm({"date": "2026-02-30", "amount": "0", "channel": "direct"}))
        assert errors["amount"] == ["“拨付金额（元）”至少为 0.01 元"]
        assert errors["date"][0].startswith("“拨付日期”不是有效的日期")
        cents = errors_of(TransferForm({"date": "2026-01-05", "amount": "1.005", "channel": "direct"}))
        assert cents["amount"] == ["“拨付金额（元）”最多填到分（小数点后两位）"]
    assert "确保" not in str(errors)
    with translation.override("en"):
        english = errors_of(TransferForm({"date": "", "amount": "0", "channel": "direct"}))
    assert all(message.isascii() for messages in english.values() for message in messages), english


def test_a_label_with_a_percent_sign_keeps_it() -> None:
    with translation.override("zh-hans"):
        errors = errors_of(MemberProgressForm({"recorded_on": datetime.date.today().isoformat(), "percent": "101"}))
    assert errors["percent"] == ["“完成进度（%）”不能大于 100"]


def test_a_plain_form_still_validates() -> None:
    form = SixMustForm({"date": datetime.date.today().isoformat(), "kind": "joint_meeting", "content": "联席会议"})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_a_failed_submit_asks_for_the_file_again(cast: Cast, signed: Pairing) -> None:
    client = Client()
    client.force_login(cast.unit_user)
    url = reverse("records:six_new", args=[signed.pk])
    assert "请重新选择文件" not in client.get(url).content.decode()
    page = client.post(url, {"date": TOMORROW.isoformat(), "kind": "joint_meeting"}).content.decode()
    assert "日期不能晚于今天" in page and "请填写“内容”" in page  # both at once
    assert "请重新选择文件" not in page and "有 2 处需要修改" in page  # no file was chosen
    chosen = {
        "date": TOMORROW.isoformat(),
        "kind": "joint_meeting",
        "evidence": SimpleUploadedFile("会议记录.pdf", b"%PDF"),
    }
    assert "请重新选择文件" in client.post(url, chosen).content.decode()

"""The funds pages: each role sees its own, outsiders and the sibling county get 404,
writes go through the services (audited), a refused form keeps what was typed."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.funds.models import DonorFeedback, Receipt, Transfer, Use
from gongjian.funds.services import receipt_confirm, transfer_create, use_create
from gongjian.funds.services_disclosure import feedback_send
from tests.conftest import Cast
from tests.funds.conftest import Pairs, voucher

D = Decimal
DAY = datetime.date(2026, 3, 2)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def money(cast: Cast, pairs: Pairs) -> dict[str, object]:
    transfer = transfer_create(
        actor=cast.unit_user, pairing=pairs.main, date=DAY, amount=D("20000.00"), voucher=voucher("拨付.pdf")
    )
    receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=DAY, amount=D("20000.00"))
    use = use_create(
        actor=cast.village_user,
        village=cast.village,
        pairing=pairs.main,
        date=DAY,
        amount=D("1234.56"),
        purpose="修建村道",
        voucher=voucher(),
    )
    feedback = feedback_send(actor=cast.village_user, pairing=pairs.main, body="已用于村道")
    return {"transfer": transfer, "use": use, "feedback": feedback}


def scoped_urls(cast: Cast, pairs: Pairs, money: dict[str, object]) -> list[str]:
    transfer, use = money["transfer"], money["use"]
    return [
        reverse("funds:pairing", args=[pairs.main.pk]),
        reverse("funds:pairing_export", args=[pairs.main.pk]),
        reverse("funds:village", args=[cast.village.pk]),
        reverse("funds:village_export", args=[cast.village.pk]),
        reverse("funds:transfer_voucher", args=[transfer.pk]),  # type: ignore[attr-defined]
        reverse("funds:use_voucher", args=[use.pk]),  # type: ignore[attr-defined]
        reverse("funds:pledge_new", args=[pairs.main.pk]),
        reverse("funds:transfer_new", args=[pairs.main.pk]),
        reverse("funds:use_new", args=[cast.village.pk]),
        reverse("funds:feedback_new", args=[pairs.main.pk]),
        reverse("funds:disclosure_new", args=[cast.village.pk]),
    ]


@pytest.mark.parametrize("who", ["outsider", "sibling_admin"])
def test_outsiders_get_404_everywhere(cast: Cast, pairs: Pairs, money: dict[str, object], who: str) -> None:
    client = client_for(getattr(cast, who))
    for url in scoped_urls(cast, pairs, money):
        assert client.get(url).status_code == 404, url
    transfer = money["transfer"]
    assert client.post(reverse("funds:transfer_delete", args=[transfer.pk])).status_code == 404  # type: ignore[attr-defined]
    assert client.post(reverse("funds:receipt_new", args=[transfer.pk])).status_code == 404  # type: ignore[attr-defined]
    assert client.post(reverse("funds:feedback_read", args=[money["feedback"].pk])).status_code == 404  # type: ignore[attr-defined]
    page = client.get(reverse("funds:index")).content.decode()
    assert "农业农村局" not in page and "¥20,000.00" not in page
    assert "花家村" not in client.get(reverse("funds:villages")).content.decode()


def test_sibling_admin_sees_only_their_county(cast: Cast, pairs: Pairs, money: dict[str, object]) -> None:
    page = client_for(cast.sibling_admin).get(reverse("funds:index")).content.decode()
    assert "清泉村" in page and "王家沟村" not in page
    # 丹凤县医院 also helps 花家村: the sibling county sees that pairing (its unit), not the village ledger.
    assert client_for(cast.sibling_admin).get(reverse("funds:pairing", args=[pairs.other_donor.pk])).status_code == 200


@pytest.mark.parametrize("who", ["city_admin", "committee_admin", "unit_user", "village_user"])
def test_scope_members_see_the_ledger(cast: Cast, pairs: Pairs, money: dict[str, object], who: str) -> None:
    client = client_for(getattr(cast, who))
    page = client.get(reverse("funds:pairing", args=[pairs.main.pk])).content.decode()
    assert "¥20,000.00" in page and "¥18,765.44" in page  # transferred, balance
    voucher_response = client.get(reverse("funds:use_voucher", args=[money["use"].pk]))  # type: ignore[attr-defined]
    assert voucher_response.status_code == 200
    export = client.get(reverse("funds:pairing_export", args=[pairs.main.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:5] == ["合计", 0, 20000, 20000, 1234.56]
    assert AuditEntry.objects.filter(action="funds.export.pairing", actor_id=getattr(cast, who).pk).exists()


def test_unit_user_cannot_open_the_village_ledger(cast: Cast, pairs: Pairs, money: dict[str, object]) -> None:
    client = client_for(cast.unit_user)
    assert client.get(reverse("funds:village", args=[cast.village.pk])).status_code == 404
    assert client.get(reverse("funds:index")).status_code == 200


def test_village_user_lands_on_their_ledger(cast: Cast, pairs: Pairs, money: dict[str, object]) -> None:
    client = client_for(cast.village_user)
    response = client.get(reverse("funds:index"))
    assert response.status_code == 302 and response["Location"] == reverse("funds:village", args=[cast.village.pk])
    page = client.get(response["Location"]).content.decode()
    assert "¥18,765.44" in page and "修建村道" in page
    # Wrong side of the pairing: 403, not a write.
    assert client.get(reverse("funds:transfer_new", args=[pairs.main.pk])).status_code == 403


def test_unit_records_a_transfer_and_the_village_confirms(cast: Cast, pairs: Pairs) -> None:
    unit = client_for(cast.unit_user)
    url = reverse("funds:transfer_new", args=[pairs.main.pk])
    response = unit.post(
        url,
        {"date": "2026-03-05", "amount": "20000.00", "channel": "foundation", "foundation_name": "市慈善基金会"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.amount, transfer.foundation_name) == (D("20000.00"), "市慈善基金会")
    village = client_for(cast.village_user)
    page = village.get(reverse("funds:village", args=[cast.village.pk])).content.decode()
    assert "待确认到账" in page
    response = village.post(
        reverse("funds:receipt_new", args=[transfer.pk]), {"received_on": "2026-03-06", "amount": "20000.00"}
    )
    assert response.status_code == 302 and Receipt.objects.get().amount == D("20000.00")
    assert AuditEntry.objects.filter(action="funds.receipt.confirm", success=True).count() == 1
    # Opened again, the form says at once that the receipt is confirmed (not a blank form)
    again = village.get(reverse("funds:receipt_new", args=[transfer.pk]), follow=True)
    assert again.redirect_chain[0][0] == reverse("funds:village", args=[cast.village.pk])
    assert "该笔拨付已确认到账" in again.content.decode()


def test_refused_form_keeps_what_was_typed(cast: Cast, pairs: Pairs) -> None:
    unit = client_for(cast.unit_user)
    response = unit.post(
        reverse("funds:transfer_new", args=[pairs.main.pk]),
        {"date": "2026-03-05", "amount": "1234.56", "channel": "foundation", "foundation_name": "", "note": "第一笔"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "请填写公益组织名称" in page
    assert 'value="1234.56"' in page and 'value="第一笔"' in page
    assert not Transfer.objects.exists()
    # A refusal from the service (overdraft) lands on the amount field, input kept.
    village = client_for(cast.village_user)
    response = village.post(
        reverse("funds:use_new", args=[cast.village.pk]),
        {"date": "2026-03-05", "amount": "50.00", "purpose": "购置桌椅", "voucher": voucher()},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "超过本村帮扶资金结余 ¥0.00" in page and 'value="购置桌椅"' in page
    assert not Use.objects.exists()
    assert AuditEntry.objects.filter(action="funds.use.create", success=False).count() == 1


def test_feedback_is_read_by_the_unit(cast: Cast, pairs: Pairs, money: dict[str, object]) -> None:
    feedback = money["feedback"]
    assert client_for(cast.village_user).post(reverse("funds:feedback_read", args=[feedback.pk])).status_code == 403  # type: ignore[attr-defined]
    index = client_for(cast.unit_user).get(reverse("funds:index")).content.decode()
    assert "待阅知" in index
    client_for(cast.unit_user).post(reverse("funds:feedback_read", args=[feedback.pk]))  # type: ignore[attr-defined]
    assert DonorFeedback.objects.get().read_at is not None
    rows = AuditEntry.objects.filter(action="funds.feedback.read").order_by("pk")
    # the village's refused attempt is on record too (#12 item 9), then the unit's reading
    assert [(row.actor_username, row.success) for row in rows] == [
        (cast.village_user.username, False),
        (cast.unit_user.username, True),
    ]

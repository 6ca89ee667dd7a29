"""村务公开 of aid funds: the village publishes a finished period; the public page (no login)
shows exactly that — receipts and uses with purposes — and nothing personal, no vouchers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.models import Disclosure
from gongjian.funds.services import receipt_confirm, transfer_create, use_create
from gongjian.funds.services_disclosure import disclosure_publish
from tests.conftest import Cast
from tests.funds.conftest import Pairs, make_pairs, voucher

D = Decimal
YEAR = datetime.date.today().year - 1


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pairs(cast: Cast) -> Pairs:
    return make_pairs(cast)


@pytest.fixture
def published(cast: Cast, pairs: Pairs) -> Disclosure:
    t = transfer_create(
        actor=cast.unit_user, pairing=pairs.main, date=datetime.date(YEAR, 2, 1), amount=D("20000.00"), reference="HD-9"
    )
    receipt_confirm(actor=cast.village_user, transfer=t, received_on=datetime.date(YEAR, 2, 3), amount=D("20000.00"))
    use_create(
        actor=cast.village_user,
        village=cast.village,
        pairing=pairs.main,
        date=datetime.date(YEAR, 3, 10),
        amount=D("8000.00"),
        purpose="村道硬化",
        voucher=voucher("张秀英报销单.pdf"),
    )
    use_create(  # second half: not in the first half's disclosure
        actor=cast.village_user,
        village=cast.village,
        date=datetime.date(YEAR, 8, 1),
        amount=D("1000.00"),
        purpose="慰问困难群众",
        voucher=voucher(),
    )
    return disclosure_publish(
        actor=cast.village_user, village=cast.village, year=YEAR, period_kind="half", period_number=1
    )


def test_publish_snapshots_the_period(cast: Cast, published: Disclosure) -> None:
    assert (published.received_total, published.used_total, published.balance_at_end) == (
        D("20000.00"),
        D("8000.00"),
        D("12000.00"),
    )
    assert published.content["uses"] == [{"date": f"{YEAR}-03-10", "purpose": "村道硬化", "amount": "8000.00"}]
    assert published.content["receipts"][0]["donor"] == "商南县农业农村局机关党委"
    assert AuditEntry.objects.filter(action="funds.disclosure.publish", success=True).count() == 1
    with pytest.raises(FundsActionRefused, match="已经公开过"):
        disclosure_publish(
            actor=cast.village_user, village=cast.village, year=YEAR, period_kind="half", period_number=1
        )
    with pytest.raises(FundsActionRefused, match="尚未结束"):
        disclosure_publish(
            actor=cast.village_user, village=cast.village, year=YEAR + 2, period_kind="quarter", period_number=1
        )
    with pytest.raises(PermissionDenied):
        disclosure_publish(actor=cast.unit_user, village=cast.village, year=YEAR, period_kind="half", period_number=2)


def test_public_page_shows_what_was_published(cast: Cast, published: Disclosure) -> None:
    client = Client()  # nobody signed in
    index = client.get(reverse("portal_funds:index")).content.decode()
    assert "花家村党支部" in index and "王家沟村" not in index  # only villages that published
    response = client.get(reverse("portal_funds:village", args=[cast.village.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{YEAR}年上半年" in page and "村道硬化" in page and "¥8,000.00" in page and "¥12,000.00" in page
    assert "慰问困难群众" not in page  # not in the published period
    # No personal data, no voucher files, no bank references for the public.
    for private in ("张秀英", "报销单", "voucher", "/funds/uses/", "HD-9", "13912345678"):
        assert private not in page
    assert client.get(reverse("portal_funds:index"), {"q": "hjc"}).content.decode().count("花家村党支部") == 1


def test_villages_without_a_disclosure_have_no_public_page(cast: Cast, published: Disclosure) -> None:
    client = Client()
    assert client.get(reverse("portal_funds:village", args=[cast.other_village.pk])).status_code == 404
    assert client.get(reverse("portal_funds:village", args=[cast.unit.pk])).status_code == 404


def test_publishing_through_the_page(cast: Cast, pairs: Pairs) -> None:
    client = Client()
    client.force_login(cast.village_user)
    url = reverse("funds:disclosure_new", args=[cast.village.pk])
    response = client.post(url, {"year": str(YEAR), "period": "quarter-2", "note": "已在村务公开栏张贴"})
    assert response.status_code == 302
    assert Disclosure.objects.get().period_label == f"{YEAR}年第2季度"
    again = client.post(url, {"year": str(YEAR), "period": "quarter-2", "note": "再次"})
    assert again.status_code == 400 and "该期已经公开过" in again.content.decode()
    other = Client()
    other.force_login(cast.sibling_admin)
    assert other.get(url).status_code == 404

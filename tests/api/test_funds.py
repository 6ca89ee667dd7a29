"""Aid funds over the API, with the standing cast: each side does its part, an outsider (and
the sibling county) gets 404, refusals are 409/422 with a Chinese detail."""

from __future__ import annotations

import datetime
from typing import Any

from gongjian.funds.models import DonorFeedback, Receipt, Transfer, Use
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast
from tests.funds.conftest import Pairs, make_pairs, voucher

TODAY = datetime.date.today()
DAY = TODAY.isoformat()


def _pairs(cast: Cast) -> Pairs:
    return make_pairs(cast)


def test_reads_are_scoped(cast: Cast) -> None:
    pairs = _pairs(cast)
    unit = session(cast.unit_user)
    ids = {p["id"] for p in unit.get("/api/funds/pairings/").json()["items"]}
    assert ids == {pairs.main.pk, pairs.second.pk}
    assert session(cast.outsider).get("/api/funds/pairings/").json()["count"] == 0
    ledger = unit.get(f"/api/funds/pairings/{pairs.main.pk}").json()["ledger"]
    assert ledger["balance"] == "0.00" or float(ledger["balance"]) == 0
    village = session(cast.committee_admin).get(f"/api/funds/villages/{cast.village.pk}").json()
    assert {line["unit"] for line in village["lines"]} == {"商南县农业农村局机关党委", "丹凤县人民医院党委"}
    for who in ("outsider", "sibling_admin"):
        client = session(getattr(cast, who))
        for url in (
            f"/api/funds/pairings/{pairs.main.pk}",
            f"/api/funds/pairings/{pairs.main.pk}/pledges/",
            f"/api/funds/pairings/{pairs.main.pk}/transfers/",
            f"/api/funds/pairings/{pairs.main.pk}/uses/",
            f"/api/funds/pairings/{pairs.main.pk}/feedback/",
            f"/api/funds/villages/{cast.village.pk}",
            f"/api/funds/villages/{cast.village.pk}/awaiting/",
            f"/api/funds/villages/{cast.village.pk}/receipts/",
            f"/api/funds/villages/{cast.village.pk}/uses/",
            f"/api/funds/villages/{cast.village.pk}/disclosures/",
        ):
            assert client.get(url).status_code == 404, (who, url)


def test_money_flow_from_pledge_to_feedback(cast: Cast) -> None:
    pairs = _pairs(cast)
    unit, village = session(cast.unit_user), session(cast.village_user)
    p = pairs.main.pk
    pledge_body = {"year": TODAY.year, "amount": "20000.00", "purpose": "产业扶持", "pledged_at": DAY}
    assert post(session(cast.outsider), f"/api/funds/pairings/{p}/pledges/", pledge_body).status_code == 404
    pledge = post(unit, f"/api/funds/pairings/{p}/pledges/", pledge_body)
    assert pledge.status_code == 201 and pledge.json()["amount"] == "20000.00"
    assert post(village, f"/api/funds/pairings/{p}/pledges/", pledge_body).status_code == 403
    bad = post(unit, f"/api/funds/pairings/{p}/pledges/", {**pledge_body, "purpose": " "})
    assert assert_refused(bad, (422,))["field"] == "purpose"

    transfer_body = {"date": DAY, "amount": "8000.00", "reference": "LS-001"}
    assert post(session(cast.sibling_admin), f"/api/funds/pairings/{p}/transfers/", transfer_body).status_code == 404
    transfer = post(unit, f"/api/funds/pairings/{p}/transfers/", transfer_body).json()
    assert transfer["received"] is False and transfer["channel_label"] == "直接拨付"
    duplicate = post(unit, f"/api/funds/pairings/{p}/transfers/", transfer_body)
    assert assert_refused(duplicate, (422,))["code"] == "duplicate"
    awaiting = village.get(f"/api/funds/villages/{cast.village.pk}/awaiting/").json()["items"]
    assert [t["id"] for t in awaiting] == [transfer["id"]]

    receipt_url = f"/api/funds/transfers/{transfer['id']}/receipt"
    receipt_body = {"received_on": DAY, "amount": "8000.00"}
    assert post(session(cast.outsider), receipt_url, receipt_body).status_code == 404
    too_much = post(village, receipt_url, {"received_on": DAY, "amount": "9000.00"})
    assert assert_refused(too_much, (422,))["code"] == "amount"
    assert post(village, receipt_url, receipt_body).status_code == 201
    assert assert_refused(post(village, receipt_url, receipt_body), (409,))["code"] == "duplicate"
    assert Receipt.objects.get().amount == 8000
    # A received transfer cannot be withdrawn.
    assert_refused(unit.delete(f"/api/funds/transfers/{transfer['id']}"), (409,))

    uses_url = f"/api/funds/villages/{cast.village.pk}/uses/"
    form = {"date": DAY, "amount": "3000.00", "purpose": "购买种苗", "pairing_id": str(p)}
    assert session(cast.outsider).post(uses_url, {**form, "voucher": voucher()}).status_code == 404
    over = village.post(uses_url, {**form, "amount": "9000.00", "voucher": voucher()})
    assert assert_refused(over, (422,))["code"] == "overdrawn"
    use = village.post(uses_url, {**form, "voucher": voucher()})
    assert use.status_code == 201, use.content
    assert use.json()["pairing_id"] == p and Use.objects.count() == 1
    assert unit.get(f"/api/funds/uses/{use.json()['id']}").status_code == 200
    assert session(cast.outsider).get(f"/api/funds/uses/{use.json()['id']}").status_code == 404
    ledger = unit.get(f"/api/funds/pairings/{p}").json()["ledger"]
    assert (ledger["received"], ledger["used"], ledger["balance"]) == ("8000.00", "3000.00", "5000.00")

    feedback_body: dict[str, Any] = {"body": "种苗已发放到户"}
    assert post(session(cast.outsider), f"/api/funds/pairings/{p}/feedback/", feedback_body).status_code == 404
    assert_refused(post(village, f"/api/funds/pairings/{p}/feedback/", {"body": " "}), (422,))
    sent = post(village, f"/api/funds/pairings/{p}/feedback/", feedback_body).json()
    assert sent["used_total"] == "3000.00"
    assert [f["id"] for f in unit.get("/api/funds/feedback/unread/").json()["items"]] == [sent["id"]]
    assert post(session(cast.outsider), f"/api/funds/feedback/{sent['id']}/read").status_code == 404
    assert post(unit, f"/api/funds/feedback/{sent['id']}/read").json()["read_at"]
    assert DonorFeedback.objects.get().read_at is not None


def test_transfer_withdrawn_before_receipt(cast: Cast) -> None:
    pairs = _pairs(cast)
    client, _secret = bearer(cast.unit_user)
    transfer = post(client, f"/api/funds/pairings/{pairs.main.pk}/transfers/", {"date": DAY, "amount": "100"}).json()
    assert session(cast.outsider).delete(f"/api/funds/transfers/{transfer['id']}").status_code == 404
    assert client.delete(f"/api/funds/transfers/{transfer['id']}").status_code == 204
    assert not Transfer.objects.exists()


def test_disclosure(cast: Cast) -> None:
    _pairs(cast)
    village = session(cast.village_user)
    url = f"/api/funds/villages/{cast.village.pk}/disclosures/"
    last_year = {"year": TODAY.year - 1, "period_kind": "half", "period_number": 2}
    assert post(session(cast.outsider), url, last_year).status_code == 404
    published = post(village, url, last_year)
    assert published.status_code == 201 and published.json()["received_total"] == "0.00"
    assert assert_refused(post(village, url, last_year), (409,))["code"] == "duplicate"
    not_over = post(village, url, {"year": TODAY.year + 1, "period_kind": "quarter", "period_number": 1})
    assert assert_refused(not_over, (409,))["code"] == "not_over"
    assert session(cast.committee_admin).get(url).json()["count"] == 1

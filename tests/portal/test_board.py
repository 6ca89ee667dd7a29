"""Live status board (public and internal), drill-down, public directory, and the scope rule."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import Client

from gongjian.rounds.models import DirectoryEntry, Pairing, PairingStatus, Round, Stage
from gongjian.rounds.selectors import board_internal, board_public
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_choosing import intent_submit
from gongjian.rounds.services_pairing import pairing_confirm
from gongjian.rounds.services_setup import round_create, round_open
from gongjian.rounds.stage import refresh_stage
from tests.conftest import Cast
from tests.rounds.conftest import make_round

PERSONAL = ("张秀英", "李建国", "王磊", "13912345678", "139****5678", "611023", "党支部书记")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def entry(round_: Round, village) -> DirectoryEntry:  # type: ignore[no-untyped-def]
    return DirectoryEntry.objects.get(round=round_, village=village)


def board_json(response) -> dict:  # type: ignore[no-untyped-def]
    """The charts' data embedded in a board page or polled partial."""
    match = re.search(r'<script id="board-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, response.content[:500]
    return json.loads(match.group(1))


def advance(cast: Cast, round_: Round) -> None:
    """花家村: intent, then allocated to the unit and confirmed by both sides, then signed;
    the other two villages allocated by the run and left unconfirmed."""
    intent_submit(actor=cast.unit_user, entry=entry(round_, cast.village))
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    pairing_confirm(actor=cast.village_user, pairing=pairing)


def county_round(cast: Cast) -> Round:
    """A round run by the committee admin over their county only."""
    today = datetime.date.today()
    round_ = round_create(
        actor=cast.committee_admin,
        scope=cast.county,
        name="商南县结对",
        policy_key="shangnan",
        intent_deadline=today + datetime.timedelta(days=10),
        signing_deadline=today + datetime.timedelta(days=40),
        term_start=today + datetime.timedelta(days=40),
        term_end=today + datetime.timedelta(days=400),
    )
    return round_open(actor=cast.committee_admin, round_=round_)


def stages(round_: Round) -> dict[str, str]:
    return dict(DirectoryEntry.objects.filter(round=round_).values_list("village__name", "stage"))


def test_counts_follow_intents_publish_confirm_and_sign(cast: Cast) -> None:
    round_ = make_round(cast)
    board = board_internal(user=cast.city_admin, round_=round_)
    assert board.total.as_dict() | {} == {
        "none": 3, "intent": 0, "allocated": 0, "confirmed": 0, "signed": 0,
        "total": 3, "covered": 0, "coverage_pct": 0.0, "signed_pct": 0.0,
    }  # fmt: skip

    intent_submit(actor=cast.unit_user, entry=entry(round_, cast.village))
    board = board_internal(user=cast.city_admin, round_=round_)
    county = board.county("商南县")
    assert county is not None and county.tally.by_stage == {
        "none": 1, "intent": 1, "allocated": 0, "confirmed": 0, "signed": 0
    }  # fmt: skip
    assert [t.name for t in county.towns] == ["富水镇"]

    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    paired = set(Pairing.objects.filter(round=round_).values_list("village__name", flat=True))
    expected_allocated = len(paired)
    board = board_internal(user=cast.city_admin, round_=round_)
    assert board.total.by_stage[Stage.ALLOCATED] == expected_allocated
    assert board.total.by_stage[Stage.NONE] + board.total.by_stage[Stage.INTENT] == 3 - expected_allocated

    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    assert board_internal(user=cast.city_admin, round_=round_).total.covered == 0  # one side is not enough
    pairing_confirm(actor=cast.village_user, pairing=pairing)
    board = board_internal(user=cast.city_admin, round_=round_)
    assert board.total.by_stage[Stage.CONFIRMED] == 1
    assert (board.total.covered, board.total.coverage_pct, board.total.signed_pct) == (1, 33.3, 0.0)

    # Signing belongs to the agreement workflow; here the pairing is marked signed directly.
    Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.SIGNED)
    refresh_stage(entry(round_, cast.village))
    board = board_public(user=None, round_=round_)
    assert board.total.by_stage[Stage.SIGNED] == 1 and board.total.by_stage[Stage.CONFIRMED] == 0
    assert (board.total.coverage_pct, board.total.signed_pct) == (33.3, 33.3)
    # Hand count from the stored stages agrees with the board.
    by_hand: dict[str, int] = {}
    for stage in stages(round_).values():
        by_hand[stage] = by_hand.get(stage, 0) + 1
    assert {k: v for k, v in board.total.by_stage.items() if v} == by_hand
    fushui = board.county("商南县").towns[0]  # type: ignore[union-attr]
    assert (fushui.tally.total, fushui.tally.coverage_pct) == (2, 50.0)


def test_board_page_and_json_show_the_numbers(cast: Cast) -> None:
    round_ = make_round(cast)
    advance(cast, round_)
    response = client_for(cast.city_admin).get(f"/portal/rounds/{round_.pk}/internal/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "33.3%" in body and "商南县" in body and 'hx-trigger="every 10s"' in body
    assert "vendor/echarts/echarts.min.js" in body and "portal/board.js" in body
    assert "cdn" not in body.lower()
    data = board_json(response)
    assert data["total"]["confirmed"] == 1 and data["total"]["coverage_pct"] == 33.3
    assert [s["code"] for s in data["stages"]] == ["none", "intent", "allocated", "confirmed", "signed"]
    county = next(c for c in data["counties"] if c["name"] == "商南县")
    assert county["towns"][0]["name"] == "富水镇" and county["towns"][0]["confirmed"] == 1


def test_polling_endpoint_returns_the_new_numbers_after_a_change(cast: Cast) -> None:
    round_ = make_round(cast)
    anonymous = Client()
    url = f"/portal/rounds/{round_.pk}/live/"
    before = anonymous.get(url, HTTP_HX_REQUEST="true")
    assert before.status_code == 200 and board_json(before)["total"]["intent"] == 0
    assert "<html" not in before.content.decode()  # a partial, not a page
    intent_submit(actor=cast.unit_user, entry=entry(round_, cast.village))
    after = anonymous.get(url, HTTP_HX_REQUEST="true")
    assert board_json(after)["total"]["intent"] == 1
    assert 'id="board-table" hx-swap-oob="innerHTML"' in after.content.decode()
    internal = client_for(cast.committee_admin).get(f"/portal/rounds/{round_.pk}/internal/live/")
    assert board_json(internal)["total"] == board_json(after)["total"] | {
        "none": 1, "total": 2
    }  # fmt: skip


def test_drill_down_county_town_village(cast: Cast) -> None:
    round_ = make_round(cast)
    advance(cast, round_)
    client = client_for(cast.city_admin)
    towns = client.get(f"/portal/rounds/{round_.pk}/internal/county/", {"county": "商南县"})
    assert towns.status_code == 200 and "富水镇" in towns.content.decode()
    assert "/internal/town/?county=" in towns.content.decode()
    villages = client.get(f"/portal/rounds/{round_.pk}/internal/town/", {"county": "商南县", "town": "富水镇"})
    body = villages.content.decode()
    assert "花家村党支部" in body and "王家沟村党支部" in body
    assert "商南县农业农村局机关党委" in body and "已确认" in body and "1/1" in body  # intents shown internally
    assert "经济薄弱村" in body or "tag-weak" in body
    # Public drill-down: partners only once confirmed, intents not shown.
    public = Client().get(f"/portal/rounds/{round_.pk}/town/", {"county": "商南县", "town": "富水镇"})
    body = public.content.decode()
    assert public.status_code == 200 and "商南县农业农村局机关党委" in body and "意向/名额" not in body
    other_partner = Pairing.objects.filter(round=round_, village=cast.other_village).values_list(
        "unit__name", flat=True
    )
    for name in other_partner:
        if name != "商南县农业农村局机关党委":
            assert name not in body  # proposed, not yet confirmed: not public
    unknown = client.get(f"/portal/rounds/{round_.pk}/internal/county/", {"county": "不存在县"})
    assert unknown.status_code == 200 and "没有可显示" in unknown.content.decode()


def test_public_pages_need_no_login_and_show_no_personal_data(cast: Cast) -> None:
    round_ = make_round(cast)
    advance(cast, round_)
    draft = make_round(cast, open_it=False)
    anonymous = Client()
    urls = [
        "/portal/",
        f"/portal/rounds/{round_.pk}/",
        f"/portal/rounds/{round_.pk}/live/",
        f"/portal/rounds/{round_.pk}/county/?county=商南县",
        f"/portal/rounds/{round_.pk}/town/?county=商南县&town=富水镇",
        f"/portal/rounds/{round_.pk}/directory/",
        f"/portal/rounds/{round_.pk}/directory/?q=hjc",
    ]
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (*PERSONAL, cast.unit_user.username + "<", "city_admin"):
            assert secret not in body, (url, secret)
    assert "花家村党支部" in anonymous.get(f"/portal/rounds/{round_.pk}/directory/").content.decode()
    assert anonymous.get(f"/portal/rounds/{draft.pk}/").status_code == 404  # directory not yet published
    assert anonymous.get(f"/portal/rounds/{draft.pk}/directory/").status_code == 404
    assert anonymous.get("/portal/rounds/999999/").status_code == 404
    assert draft.name not in anonymous.get("/portal/").content.decode() or round_.name == draft.name
    login = anonymous.get(f"/portal/rounds/{round_.pk}/internal/")
    assert login.status_code == 302 and "/accounts/login/" in login["Location"]


def test_directory_is_searchable_filterable_and_paginated(cast: Cast) -> None:
    round_ = make_round(cast)
    client = Client()
    url = f"/portal/rounds/{round_.pk}/directory/"

    def names(**params: str) -> set[str]:
        body = client.get(url, params).content.decode()
        return set(re.findall(r"[\u4e00-\u9fff]+村党支部", body))

    assert names() == {"花家村党支部", "王家沟村党支部", "清泉村党支部"}
    assert names(q="hjc") == {"花家村党支部"}
    assert names(q="wangjia") == {"王家沟村党支部"}
    assert names(q="清泉") == {"清泉村党支部"}
    assert names(tag="weak") == {"花家村党支部"}
    assert names(need="technology") == {"花家村党支部"}
    assert names(county="商南县") == {"花家村党支部", "王家沟村党支部"}
    assert names(stage="signed") == set()
    body = client.get(url).content.decode()
    assert 'class="tag tag-weak"' in body  # weak villages marked
    partial = client.get(url, {"q": "hjc"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "花家村党支部" in partial
    assert client.get(url, {"page": "999"}).status_code == 200


def test_committee_admin_sees_only_their_counties(cast: Cast) -> None:
    round_ = make_round(cast)
    advance(cast, round_)
    mine = board_internal(user=cast.committee_admin, round_=round_)
    assert [c.name for c in mine.counties] == ["商南县"] and mine.total.total == 2
    assert mine.scope_path == cast.county.path
    sibling = board_internal(user=cast.sibling_admin, round_=round_)
    assert "商南县" not in [c.name for c in sibling.counties] and sibling.total.total == 1
    response = client_for(cast.committee_admin).get(f"/portal/rounds/{round_.pk}/internal/")
    body = response.content.decode()
    assert response.status_code == 200 and "清泉村" not in body
    assert board_json(response)["total"]["total"] == 2
    sib_town = client_for(cast.sibling_admin).get(
        f"/portal/rounds/{round_.pk}/internal/town/", {"county": "商南县", "town": "富水镇"}
    )
    assert sib_town.status_code == 200 and "花家村" not in sib_town.content.decode()
    sib_county = client_for(cast.sibling_admin).get(f"/portal/rounds/{round_.pk}/internal/county/?county=商南县")
    assert "富水镇" not in sib_county.content.decode()
    whole = board_internal(user=cast.city_admin, round_=round_)
    assert whole.scope_path is None and whole.total.total == 3


@pytest.mark.parametrize("who", ["outsider", "sibling_admin", "auditor"])
def test_rounds_outside_the_subtree_are_404(cast: Cast, who: str) -> None:
    round_ = county_round(cast)
    client = client_for(getattr(cast, who))
    for suffix in (
        "internal/",
        "internal/live/",
        "internal/county/?county=商南县",
        "internal/town/?county=商南县&town=富水镇",
    ):
        response = client.get(f"/portal/rounds/{round_.pk}/{suffix}")
        assert response.status_code == 404, (who, suffix, response.status_code)
    # The owner sees it; the public sees its published numbers.
    assert client_for(cast.committee_admin).get(f"/portal/rounds/{round_.pk}/internal/").status_code == 200
    assert Client().get(f"/portal/rounds/{round_.pk}/").status_code == 200


def test_outsider_gets_404_for_the_city_round(cast: Cast) -> None:
    round_ = make_round(cast)
    client = client_for(cast.outsider)
    for suffix in (
        "internal/",
        "internal/live/",
        "internal/county/?county=商南县",
        "internal/town/?county=商南县&town=富水镇",
    ):
        assert client.get(f"/portal/rounds/{round_.pk}/{suffix}").status_code == 404, suffix

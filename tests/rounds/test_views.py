"""The round pages through Django's test client: a whole round from creation to re-matching,
refusals shown to the user, deadlines, and what each role may open."""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongjian.accounts.models import Role, User
from gongjian.audit.models import AuditEntry
from gongjian.notifications.models import Notification
from gongjian.orgs.models import Organization, OrgKind, OrgLevel, Tag, VillageFigure
from gongjian.rounds.models import (
    AllocationRun,
    DirectoryEntry,
    GeographyLink,
    Intent,
    IntentStatus,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
    TaskProposal,
    VillageWish,
)
from tests.conftest import Cast, make_org, make_user
from tests.rounds.conftest import make_round

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_of(round_: Round, village: Any) -> DirectoryEntry:
    return DirectoryEntry.objects.get(round=round_, village=village)


def text(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- setting up ------------------------------------------------------------------------------


def test_admin_creates_a_round_prefilled_from_the_profile_and_opens_it(cast: Cast) -> None:
    admin = client_for(cast.city_admin)
    page = admin.get(reverse("rounds:create") + "?policy_key=shanghai")
    today = timezone.localdate()
    # This year's dates, or next year's once this year's intent deadline (30 April) has passed.
    year = today.year if (today.month, today.day) <= (4, 30) else today.year + 1
    # shanghai (seed 004 (八)): intents and both sides' confirmation until 04-30, signing on
    # 07-01, the term ending at the end of July three years on ("至2013年7月份结束").
    assert f'value="{year}-04-30"' in text(page) and f'value="{year}-07-01"' in text(page)
    assert f'value="{year + 3}-07-31"' in text(page)
    # shangnan's seed gives no date: the form says so and proposes none (nothing copied).
    undated = text(admin.get(reverse("rounds:create") + "?policy_key=shangnan"))
    assert "没有规定" in undated and f'value="{year}-04-30"' not in undated
    # Changing the profile re-renders only the form (htmx).
    partial = admin.get(reverse("rounds:create") + "?policy_key=shanghai&name=x", **HTMX)
    assert "<html" not in text(partial) and 'id="round-form"' in text(partial)

    data = {
        "name": "2026年城乡结对",
        "scope": cast.city.pk,
        "policy_key": "shangnan",
        "intent_deadline": f"{year + 1}-04-30",
        "signing_deadline": f"{year + 1}-04-01",  # before the intent deadline: refused
        "term_start": f"{year + 1}-07-01",
        "term_end": f"{year + 4}-06-30",
    }
    refused = admin.post(reverse("rounds:create"), data)
    assert refused.status_code == 200 and "不能早于意向确认截止日期" in text(refused)
    assert 'value="2026年城乡结对"' in text(refused)  # what the user typed is kept
    assert not Round.objects.exists()

    data["signing_deadline"] = f"{year + 1}-07-01"
    created = admin.post(reverse("rounds:create"), data)
    round_ = Round.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("rounds:detail", args=[round_.pk])
    detail = admin.get(created["Location"])
    assert "筹备中" in text(detail) and "发布名录" in text(detail) and "下达任务建议书" in text(detail)

    assert admin.post(reverse("rounds:open", args=[round_.pk])).status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    again = admin.post(reverse("rounds:open", args=[round_.pk]), follow=True)
    assert "不能重复发布" in " ".join(messages_of(again))
    assert "选择中" in text(admin.get(reverse("rounds:detail", args=[round_.pk])))


def test_task_proposals_and_capacities_are_edited_in_tables(cast: Cast) -> None:
    round_ = make_round(cast)
    admin = client_for(cast.city_admin)
    url = reverse("rounds:proposals", args=[round_.pk])
    page = admin.get(url)
    assert "商南县委" in text(page) and "丹凤县委" in text(page) and "商南县农业农村局机关党委" in text(page)

    saved = admin.post(url, {"table": "proposals", f"take_{cast.county.pk}": "2", f"note_{cast.county.pk}": "含薄弱村"})
    assert saved.status_code == 302
    proposal = TaskProposal.objects.get(round=round_, committee=cast.county)
    assert (proposal.villages_to_take, proposal.note) == (2, "含薄弱村")

    round_unit = RoundUnit.objects.get(round=round_, unit=cast.unit)
    bad = admin.post(url, {"table": "capacities", f"cap_{round_unit.pk}": "-1"})
    assert bad.status_code == 200 and 'value="-1"' in text(bad)
    assert admin.post(url, {"table": "capacities", f"cap_{round_unit.pk}": "3"}).status_code == 302
    round_unit.refresh_from_db()
    assert round_unit.capacity == 3
    assert AuditEntry.objects.filter(action="round.unit_capacity", success=True).exists()


def test_geography_table_imports_and_lists_errors_by_row_and_column(cast: Cast) -> None:
    round_ = make_round(cast)
    admin = client_for(cast.city_admin)
    url = reverse("rounds:geography", args=[round_.pk])
    template = admin.get(reverse("rounds:geography_template", args=[round_.pk, "csv"]))
    assert template.status_code == 200 and "帮扶方" in template.content.decode("utf-8-sig")
    xlsx = admin.get(reverse("rounds:geography_template", args=[round_.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")

    bad = io.BytesIO("帮扶方,受帮扶区县\n商南县委,商南县\n商南县委,火星县\n".encode())
    bad.name = "对口.csv"
    rejected = admin.post(url, {"file": bad})
    body = text(rejected)
    assert rejected.status_code == 400 and "错误清单" in body  # a refused upload is a 400 (core.uploads)
    assert '<td class="num">3</td><td>受帮扶区县</td>' in body and "火星县" in body
    assert not GeographyLink.objects.exists()

    good = io.BytesIO("帮扶方,受帮扶区县\n商南县委,商南县\n".encode())
    good.name = "对口.csv"
    assert admin.post(url, {"file": good}).status_code == 302
    assert list(GeographyLink.objects.values_list("district", "county")) == [("商南县委", "商南县")]
    assert "商南县委" in admin.get(reverse("rounds:geography_template", args=[round_.pk, "csv"])).content.decode(
        "utf-8-sig"
    )


# --- the directory ---------------------------------------------------------------------------


def test_directory_filters_search_as_you_type_and_shows_places(cast: Cast) -> None:
    round_ = make_round(cast)
    unit = client_for(cast.unit_user)
    url = reverse("rounds:directory", args=[round_.pk])
    page = text(unit.get(url))
    assert "花家村党支部" in page and "王家沟村党支部" in page and "清泉村党支部" in page
    assert "经济薄弱村" in page or "薄弱" in page  # the village's tags are shown
    found = text(unit.get(url + "?q=hjc", **HTMX))
    assert "<html" not in found and "花家村党支部" in found and "王家沟村党支部" not in found
    assert "花家村党支部" in text(unit.get(url + "?q=huajia"))
    lax = text(unit.get(url + "?tag=lax"))
    assert "王家沟村党支部" in lax and "花家村党支部" not in lax
    needs = text(unit.get(url + "?need=funds"))
    assert "花家村党支部" in needs and "王家沟村党支部" not in needs
    county = text(unit.get(url + "?county=商南县&town=富水镇"))
    assert "花家村党支部" in county and "清泉村党支部" not in county
    # The card: needs, figures, how many chose it, places left.
    VillageFigure.objects.create(village=cast.village, year=2025, population=1234, party_members=56)
    card = text(unit.get(reverse("rounds:entry", args=[round_.pk, entry_of(round_, cast.village).pk])))
    assert "1234" in card.replace(",", "") and "None" not in card and "已选择本村的单位数" in card and "1 / 1" in card


def test_directory_reads_a_fixed_number_of_queries_however_many_villages(cast: Cast) -> None:
    small = make_round(cast)
    unit = client_for(cast.unit_user)
    unit.get(reverse("rounds:list"))  # the session's first request stores its last-seen time
    with CaptureQueriesContext(connection) as few:
        assert unit.get(reverse("rounds:directory", args=[small.pk])).status_code == 200
    weak = Tag.objects.get(code="weak")
    for n in range(8):
        village = make_org(cast.town, f"C09{n:02d}", f"测试{n}村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE, tags=[weak])
        VillageFigure.objects.create(village=village, year=2024, population=100 + n)
        VillageFigure.objects.create(village=village, year=2025, population=200 + n)
    big = make_round(cast)
    with CaptureQueriesContext(connection) as many:
        page = unit.get(reverse("rounds:directory", args=[big.pk]))
    assert "测试7村党支部" in text(page) and "207" in text(page)  # the newest year's figures
    assert len(many.captured_queries) == len(few.captured_queries)


# --- refusals and deadlines ------------------------------------------------------------------


def test_refusals_are_shown_and_the_typed_rank_kept(cast: Cast) -> None:
    round_ = make_round(cast)
    entry = entry_of(round_, cast.village)
    url = reverse("rounds:intent_submit", args=[round_.pk, entry.pk])
    chosen = client_for(cast.unit_user).post(url, {"rank": "1"}, **HTMX)
    assert chosen.status_code == 200 and "已选" in text(chosen)
    hospital = client_for(make_user("hospital", Role.UNIT_USER, cast.sibling_unit))
    full = hospital.post(url, {"rank": "2"}, **HTMX)
    # The refreshed row says why, and no longer offers a choice on the full village.
    assert "名额已满（1/1）" in text(full) and 'name="rank"' not in text(full)
    plain = hospital.post(url, {"rank": "2"})
    assert plain.status_code == 200 and any("名额已满" in m for m in messages_of(plain))
    assert 'value="2"' in text(plain)
    assert Intent.objects.filter(round=round_, status=IntentStatus.ACTIVE).count() == 1


def test_deadline_is_enforced_and_its_extension_audited(cast: Cast) -> None:
    round_ = make_round(cast)
    Round.objects.filter(pk=round_.pk).update(intent_deadline=timezone.now() - datetime.timedelta(days=1))
    entry = entry_of(round_, cast.village)
    unit = client_for(cast.unit_user)
    late = unit.post(reverse("rounds:intent_submit", args=[round_.pk, entry.pk]), {"rank": "3"})
    assert any("意向确认已于" in m and "截止" in m for m in messages_of(late))
    # Choosing is over: the page says so instead of offering the form again.
    assert "名录仅供查看" in text(late) and 'name="rank"' not in text(late)

    admin = client_for(cast.city_admin)
    new_day = timezone.localdate() + datetime.timedelta(days=5)
    extended = admin.post(
        reverse("rounds:deadline", args=[round_.pk]), {"field": "intent_deadline", "day": new_day.isoformat()}
    )
    assert extended.status_code == 302
    audit = AuditEntry.objects.get(action="round.deadline", success=True)
    assert audit.actor_id == cast.city_admin.pk
    assert audit.before["intent_deadline"] < audit.after["intent_deadline"]
    assert new_day.isoformat() in audit.after["intent_deadline"]
    ok = unit.post(reverse("rounds:intent_submit", args=[round_.pk, entry.pk]), {"rank": "3"})
    assert ok.status_code == 302 and Intent.objects.filter(entry=entry, rank=3).exists()

    # A signing deadline before the intent deadline is refused on the form.
    bad = admin.post(
        reverse("rounds:deadline", args=[round_.pk]),
        {"field": "signing_deadline", "day": (new_day - datetime.timedelta(days=1)).isoformat()},
    )
    assert bad.status_code == 200 and "不能早于意向确认截止日期" in text(bad)


# --- the whole round -------------------------------------------------------------------------


def test_a_round_from_intents_to_rematch_through_the_pages(cast: Cast) -> None:
    round_ = make_round(cast)
    admin, unit, village = client_for(cast.city_admin), client_for(cast.unit_user), client_for(cast.village_user)

    # The unit chooses 王家沟村 first; its intents page lists it and it can withdraw.
    other = entry_of(round_, cast.other_village)
    unit.post(reverse("rounds:intent_submit", args=[round_.pk, other.pk]), {"rank": "1"}, **HTMX)
    mine = text(unit.get(reverse("rounds:my_intents", args=[round_.pk])))
    assert "王家沟村党支部" in mine and "撤回" in mine

    # 群众选对: 花家村 would welcome the unit; the search finds units by pinyin initials.
    wishes_url = reverse("rounds:wishes", args=[round_.pk])
    options = text(village.get(wishes_url + "?q=snx", **HTMX))
    assert "商南县农业农村局机关党委" in options and "丹凤县人民医院党委" not in options
    saved = village.post(wishes_url, {"units": [str(cast.unit.pk)]})
    assert saved.status_code == 302
    assert list(VillageWish.objects.values_list("unit_id", flat=True)) == [cast.unit.pk]
    assert "商南县农业农村局机关党委" in text(village.get(wishes_url))

    # First run: the unit's first choice scores 志愿 100; the wish is shown next to 花家村.
    first = admin.post(reverse("rounds:allocation_run", args=[round_.pk]))
    assert first.status_code == 302 and first["Location"] == reverse("rounds:run", args=[round_.pk, 1])
    page = text(admin.get(first["Location"]))
    assert "王家沟村党支部" in page and "志愿 100" in page
    assert "村希望：商南县农业农村局机关党委" in page

    # Balancing: pin the unit to 花家村, forbid 王家沟村, re-run and see the difference.
    pin, forbid = f"{cast.unit.pk}:{cast.village.pk}", f"{cast.unit.pk}:{cast.other_village.pk}"
    second = admin.post(reverse("rounds:allocation_run", args=[round_.pk]), {"pin": [pin], "forbid": [forbid]})
    assert second["Location"] == reverse("rounds:run", args=[round_.pk, 2])
    page = text(admin.get(second["Location"]))
    assert "与方案 1 相比" in page
    assert "− 商南县农业农村局机关党委 — 王家沟村党支部" in page
    assert f'name="pin" value="{pin}" checked' in page
    # The forbidden pair is not in the run: it travels with the next run unseen.
    assert f'<input type="hidden" name="forbid" value="{forbid}">' in page
    assert AllocationRun.objects.get(round=round_, number=2).pins == [[cast.unit.pk, cast.village.pk]]

    # A what-if that leaves 清泉村 without candidates says why; it is not published.
    qingquan = cast.sibling_village.pk
    third = admin.post(
        reverse("rounds:allocation_run", args=[round_.pk]),
        {"forbid": [f"{cast.unit.pk}:{qingquan}", f"{cast.sibling_unit.pk}:{qingquan}"]},
    )
    uncovered = text(admin.get(third["Location"] + "?show=uncovered"))
    assert "清泉村党支部" in uncovered and "没有任何候选单位；另有 2 个被禁止结对" in uncovered
    runs = text(admin.get(reverse("rounds:allocation", args=[round_.pk])))
    assert "方案 1" in runs and "方案 2" in runs and "方案 3" in runs

    # Publish run 2.
    published = admin.post(reverse("rounds:publish", args=[round_.pk, 2]))
    assert published.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)

    # Both sides confirm online.
    listing = text(unit.get(reverse("rounds:pairings", args=[round_.pk])))
    assert "确认结对" in listing and "丹凤县人民医院党委" not in listing  # a unit sees its own pairs
    confirm = reverse("rounds:pairing_confirm", args=[pairing.pk])
    assert "等待对方确认" in " ".join(messages_of(unit.post(confirm, follow=True)))
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.PROPOSED
    village.post(confirm)
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.CONFIRMED
    again = unit.post(confirm, follow=True)
    assert any("无需确认" in m for m in messages_of(again))

    # Adjustment: the admin ends it with a reason; both sides are notified.
    end_url = reverse("rounds:pairing_end", args=[pairing.pk])
    assert "调整" in text(admin.get(reverse("rounds:pairings", args=[round_.pk])))
    empty = admin.post(end_url, {"reason": ""})
    assert empty.status_code == 200 and Pairing.objects.get(pk=pairing.pk).status == PairingStatus.CONFIRMED
    assert admin.post(end_url, {"reason": "长期未开展活动"}).status_code == 302
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.ENDED
    adjusted = Notification.objects.filter(event="pair_adjusted")
    assert set(adjusted.values_list("organization_id", flat=True)) == {cast.unit.pk, cast.village.pk}
    notices = text(unit.get(reverse("rounds:notifications")))
    assert "结对调整" in notices and "长期未开展活动" in notices

    # Re-match the open villages only.
    rematch = admin.post(reverse("rounds:allocation_run", args=[round_.pk]), {"open_only": "on"})
    run = AllocationRun.objects.get(round=round_, number=4)
    assert rematch["Location"] == reverse("rounds:run", args=[round_.pk, 4]) and run.open_only
    assert {p["village"] for p in run.result["pairs"]} <= {str(cast.village.pk)}
    admin.post(reverse("rounds:publish", args=[round_.pk, 4]))
    if run.result["pairs"]:
        assert Pairing.objects.filter(round=round_, village=cast.village, origin=PairingOrigin.REMATCH).exists()


def test_renewal_offers_are_consented_or_declined_by_each_side(cast: Cast) -> None:
    from gongjian.rounds.services_allocation import allocation_publish, allocation_run

    first = make_round(cast)
    run = allocation_run(
        actor=cast.city_admin,
        round_=first,
        pins=[(cast.unit.pk, cast.village.pk), (cast.unit.pk, cast.other_village.pk)],
    )
    allocation_publish(actor=cast.city_admin, run=run)
    Pairing.objects.filter(round=first).update(status=PairingStatus.SIGNED)
    second = make_round(cast, previous_round=first)
    unit, village = client_for(cast.unit_user), client_for(cast.village_user)
    detail = text(unit.get(reverse("rounds:detail", args=[second.pk])))
    assert "上一轮的结对可以续签" in detail
    offers = text(unit.get(reverse("rounds:renewals", args=[second.pk])))
    assert "同意续签" in offers and "不续签" in offers and "王家沟村党支部" in offers
    keep = Pairing.objects.get(round=second, village=cast.village, origin=PairingOrigin.RENEWAL)
    drop = Pairing.objects.get(round=second, village=cast.other_village, origin=PairingOrigin.RENEWAL)
    unit.post(reverse("rounds:pairing_confirm", args=[keep.pk]))
    village.post(reverse("rounds:pairing_confirm", args=[keep.pk]))
    assert Pairing.objects.get(pk=keep.pk).status == PairingStatus.CONFIRMED
    unit.post(reverse("rounds:pairing_decline", args=[drop.pk]))
    assert Pairing.objects.get(pk=drop.pk).status == PairingStatus.ENDED
    # The village of the renewed pair cannot decline what is already confirmed.
    refused = village.post(reverse("rounds:pairing_decline", args=[keep.pk]), follow=True)
    assert any("只有待确认的续签结对可以不续签" in m for m in messages_of(refused))


# --- who may do what -------------------------------------------------------------------------


def test_in_scope_but_not_allowed_is_403(cast: Cast) -> None:
    round_ = make_round(cast)
    entry = entry_of(round_, cast.village)
    unit, village = client_for(cast.unit_user), client_for(cast.village_user)
    committee = client_for(cast.committee_admin)  # sees the city's round, does not run it
    assert unit.post(reverse("rounds:open", args=[round_.pk])).status_code == 403
    assert unit.get(reverse("rounds:allocation", args=[round_.pk])).status_code == 403
    assert unit.get(reverse("rounds:wishes", args=[round_.pk])).status_code == 403
    assert village.get(reverse("rounds:my_intents", args=[round_.pk])).status_code == 403
    assert village.post(reverse("rounds:intent_submit", args=[round_.pk, entry.pk])).status_code == 403
    assert committee.get(reverse("rounds:detail", args=[round_.pk])).status_code == 200
    assert committee.get(reverse("rounds:allocation", args=[round_.pk])).status_code == 403
    assert committee.post(reverse("rounds:deadline", args=[round_.pk])).status_code == 403
    assert unit.get(reverse("rounds:create")).status_code == 403


def county_round_with_everything(cast: Cast) -> dict[str, Any]:
    """A round on 商南县 only, with an intent, a wish, a run, a pairing and notifications."""
    from gongjian.rounds.services_allocation import allocation_publish, allocation_run
    from gongjian.rounds.services_choosing import intent_submit, village_wish_set
    from gongjian.rounds.services_pairing import pairing_end

    round_ = make_round(cast, open_it=False)
    Round.objects.filter(pk=round_.pk).update(scope=cast.county, name="商南县秘密轮次")
    round_.refresh_from_db()
    from gongjian.rounds.services_setup import round_open

    round_open(actor=cast.city_admin, round_=round_)
    entry = entry_of(round_, cast.village)
    intent = intent_submit(actor=cast.unit_user, entry=entry)
    village_wish_set(actor=cast.village_user, entry=entry, units=[cast.unit])
    run = allocation_run(actor=cast.city_admin, round_=round_)
    allocation_publish(actor=cast.city_admin, run=run)
    pairings = list(Pairing.objects.filter(round=round_))
    pairing_end(actor=cast.city_admin, pairing=pairings[0], reason="测试调整")
    return {"round": round_, "entry": entry, "intent": intent, "run": run, "pairing": pairings[-1]}


def _object_urls(objs: dict[str, Any]) -> list[tuple[str, str]]:
    r, e, i, run, p = objs["round"].pk, objs["entry"].pk, objs["intent"].pk, objs["run"].number, objs["pairing"].pk
    return [
        ("get", reverse("rounds:detail", args=[r])),
        ("post", reverse("rounds:open", args=[r])),
        ("get", reverse("rounds:deadline", args=[r])),
        ("post", reverse("rounds:deadline", args=[r])),
        ("get", reverse("rounds:proposals", args=[r])),
        ("post", reverse("rounds:proposals", args=[r])),
        ("get", reverse("rounds:geography", args=[r])),
        ("post", reverse("rounds:geography", args=[r])),
        ("get", reverse("rounds:geography_template", args=[r, "xlsx"])),
        ("get", reverse("rounds:geography_template", args=[r, "csv"])),
        ("get", reverse("rounds:directory", args=[r])),
        ("get", reverse("rounds:directory", args=[r]) + "?q=hjc"),
        ("get", reverse("rounds:entry", args=[r, e])),
        ("post", reverse("rounds:intent_submit", args=[r, e])),
        ("get", reverse("rounds:my_intents", args=[r])),
        ("post", reverse("rounds:intent_withdraw", args=[r, i])),
        ("get", reverse("rounds:wishes", args=[r])),
        ("post", reverse("rounds:wishes", args=[r])),
        ("get", reverse("rounds:allocation", args=[r])),
        ("post", reverse("rounds:allocation_run", args=[r])),
        ("get", reverse("rounds:run", args=[r, run])),
        ("get", reverse("rounds:run", args=[r, run]) + "?show=uncovered"),
        ("post", reverse("rounds:publish", args=[r, run])),
        ("get", reverse("rounds:pairings", args=[r])),
        ("get", reverse("rounds:renewals", args=[r])),
        ("post", reverse("rounds:pairing_confirm", args=[p])),
        ("post", reverse("rounds:pairing_decline", args=[p])),
        ("get", reverse("rounds:pairing_end", args=[p])),
        ("post", reverse("rounds:pairing_end", args=[p])),
        ("post", reverse("rounds:agreement_generate", args=[p])),
        ("post", reverse("rounds:agreement_sign", args=[p])),
        ("get", reverse("rounds:agreement_pdf", args=[p])),
    ]


@pytest.mark.parametrize("who", ["outsider", "sibling_admin", "sibling_unit_user", "auditor"])
def test_a_round_outside_the_scope_is_404_everywhere(cast: Cast, who: str) -> None:
    objs = county_round_with_everything(cast)
    user = (
        make_user("hospital", Role.UNIT_USER, cast.sibling_unit) if who == "sibling_unit_user" else getattr(cast, who)
    )
    client = client_for(user)
    before = (AllocationRun.objects.count(), Pairing.objects.filter(status=PairingStatus.ENDED).count())
    for method, url in _object_urls(objs):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (who, method, url, response.status_code)
    assert (AllocationRun.objects.count(), Pairing.objects.filter(status=PairingStatus.ENDED).count()) == before


@pytest.mark.parametrize("url_name", ["rounds:list", "rounds:notifications"])
def test_lists_give_outsiders_nothing_of_the_round(cast: Cast, url_name: str) -> None:
    county_round_with_everything(cast)
    for user in (cast.outsider, cast.sibling_admin):
        body = text(client_for(user).get(reverse(url_name)))
        for secret in ("商南县秘密轮次", "花家村", "商南县农业农村局", "测试调整"):
            assert secret not in body, (user.username, url_name, secret)
    inside = text(client_for(cast.unit_user).get(reverse(url_name)))
    assert ("商南县秘密轮次" if url_name == "rounds:list" else "测试调整") in inside


def test_the_round_is_visible_inside_its_scope(cast: Cast) -> None:
    objs = county_round_with_everything(cast)
    r = objs["round"].pk
    for user in (cast.city_admin, cast.committee_admin, cast.unit_user, cast.village_user):
        client = client_for(user)
        assert client.get(reverse("rounds:detail", args=[r])).status_code == 200
        assert client.get(reverse("rounds:directory", args=[r])).status_code == 200
        assert client.get(reverse("rounds:pairings", args=[r])).status_code == 200
    # The committee admin's subtree holds the whole county round: they run it.
    committee = client_for(cast.committee_admin)
    assert committee.get(reverse("rounds:allocation", args=[r])).status_code == 200
    assert committee.get(reverse("rounds:run", args=[r, objs["run"].number])).status_code == 200


def test_nav_links_to_the_rounds(cast: Cast) -> None:
    body = text(client_for(cast.unit_user).get(reverse("rounds:list")))
    assert f'href="{reverse("rounds:list")}"' in body and "结对轮次" in body


def test_a_pin_typed_by_code_or_name_goes_with_the_run(cast: Cast) -> None:
    round_ = make_round(cast)
    admin = client_for(cast.city_admin)
    url = reverse("rounds:allocation_run", args=[round_.pk])
    unknown = admin.post(url, {"pin_unit": "不存在的单位", "pin_village": "花家村党支部"})
    assert unknown.status_code == 200 and "本轮参与单位中没有“不存在的单位”" in text(unknown)
    half = admin.post(url, {"pin_unit": "C0006"})
    assert half.status_code == 200 and "指定结对需同时填写单位和村" in text(half)
    assert not AllocationRun.objects.exists()
    assert admin.post(url, {"pin_unit": "C0006", "pin_village": "花家村党支部"}).status_code == 302
    assert AllocationRun.objects.get().pins == [[cast.unit.pk, cast.village.pk]]


def test_a_pin_typed_by_a_name_two_villages_bear_is_refused_with_their_places(cast: Cast) -> None:
    """Two villages of the register share a name (the county demo has four such pairs):
    typed by that name, the pin names each one's county, town and code and is not run."""
    round_ = make_round(cast)
    Organization.objects.filter(pk=cast.other_village.pk).update(name=cast.village.name)
    admin = client_for(cast.city_admin)
    url = reverse("rounds:allocation_run", args=[round_.pk])
    both = admin.post(url, {"pin_unit": "C0006", "pin_village": cast.village.name})
    assert both.status_code == 200 and f"本轮有 2 个“{cast.village.name}”" in text(both)
    for village in (cast.village, cast.other_village):
        entry = DirectoryEntry.objects.get(round=round_, village=village)
        assert f"{entry.county} {entry.town}（{village.code}）" in text(both)
    assert not AllocationRun.objects.exists()
    assert admin.post(url, {"pin_unit": "C0006", "pin_village": cast.other_village.code}).status_code == 302
    assert AllocationRun.objects.get().pins == [[cast.unit.pk, cast.other_village.pk]]


def test_pins_are_picked_from_a_list_naming_each_place(cast: Cast) -> None:
    """Issue 11 point 6: the pin form's list (a datalist htmx fills) shows each village of a
    shared name with its county, town and code, and each unit with its district; the value
    picked is the code, which the run resolves to exactly that one."""
    round_ = make_round(cast)
    Organization.objects.filter(pk=cast.other_village.pk).update(name=cast.village.name)
    admin = client_for(cast.city_admin)
    villages = text(admin.get(reverse("rounds:allocation_pick", args=[round_.pk, "villages"]), {"pin_village": "花家"}))
    for village in (cast.village, cast.other_village):
        entry = DirectoryEntry.objects.get(round=round_, village=village)
        assert f'<option value="{village.code}">{cast.village.name} — {entry.county} {entry.town}</option>' in villages
    units = text(admin.get(reverse("rounds:allocation_pick", args=[round_.pk, "units"]), {"pin_unit": "C00"}))
    assert f'<option value="{cast.unit.code}">{cast.unit.name} — ' in units
    page = text(admin.get(reverse("rounds:allocation", args=[round_.pk])))
    assert 'list="pick-villages"' in page and 'list="pick-units"' in page
    pick = reverse("rounds:allocation_pick", args=[round_.pk, "villages"])
    assert client_for(cast.outsider).get(pick).status_code == 404
    assert client_for(cast.unit_user).get(pick).status_code == 403  # sees the round, may not allocate
    assert admin.get(reverse("rounds:allocation_pick", args=[round_.pk, "other"])).status_code == 404


def test_both_sides_sign_through_the_pairings_page(cast: Cast, settings: Any, tmp_path: Any) -> None:
    from gongjian.rounds.services_allocation import allocation_publish, allocation_run
    from gongjian.rounds.services_pairing import pairing_confirm

    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(cast)
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)
    unit, village = client_for(cast.unit_user), client_for(cast.village_user)
    # Not confirmed yet: generating is refused with the service's reason.
    early = unit.post(reverse("rounds:agreement_generate", args=[pairing.pk]), follow=True)
    assert any("双方确认后才能生成协议书" in m for m in messages_of(early))
    assert unit.get(reverse("rounds:agreement_pdf", args=[pairing.pk])).status_code == 404
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    pairing_confirm(actor=cast.village_user, pairing=pairing)

    assert "生成协议书" in text(unit.get(reverse("rounds:pairings", args=[round_.pk])))
    unit.post(reverse("rounds:agreement_generate", args=[pairing.pk]))
    listing = text(unit.get(reverse("rounds:pairings", args=[round_.pk])))
    assert "下载协议书" in listing and 'name="signer_name"' in listing
    draft = unit.get(reverse("rounds:agreement_pdf", args=[pairing.pk]))
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    assert b"".join(draft.streaming_content).startswith(b"%PDF")

    signed = unit.post(
        reverse("rounds:agreement_sign", args=[pairing.pk]),
        {"signer_name": "李建国", "signer_post": "书记"},
        follow=True,
    )
    assert "等待对方签署" in " ".join(messages_of(signed))
    assert "本方已签署，等待对方" in text(unit.get(reverse("rounds:pairings", args=[round_.pk])))
    village.post(reverse("rounds:agreement_sign", args=[pairing.pk]), {"signer_name": "张秀英", "signer_post": "书记"})
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.SIGNED
    final = village.get(reverse("rounds:agreement_pdf", args=[pairing.pk]))
    assert final.status_code == 200 and "已签署" in unquote(final["Content-Disposition"])
    # Another unit of the round cannot fetch it.
    hospital = client_for(make_user("hospital", Role.UNIT_USER, cast.sibling_unit))
    assert hospital.get(reverse("rounds:agreement_pdf", args=[pairing.pk])).status_code == 404

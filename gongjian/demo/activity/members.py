"""Demo data for the members app, in bulk: for signed pairings, "1+2" pairs of the unit's
people with needy members and villagers of the village (plans, progress, 五送), a leading
cadre's poor household and a branch's double pairing; for the pairings' villages, mobile
members with their hosting history, agreements, half-year reports and queries, and service
stations (25 of them, as in Suifenhe, unless told otherwise).

Some cadres record nothing in the current quarter and some members miss a report, so that
the flags have something to show. Rows go in with ``bulk_create`` (no services), and one
audit row records the whole generation. The same ``rng`` seed gives the same data.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongjian.audit.services import audit_event
from gongjian.demo.activity.text import DELIVERY_CONTENT
from gongjian.demo.registry.people import PersonFactory
from gongjian.members.models import (
    Beneficiary,
    BranchPair,
    CadrePair,
    HalfYearReport,
    HelpPlan,
    HelpProgress,
    HostingPeriod,
    HostQuery,
    HouseholdPair,
    IndividualDelivery,
    MemberAgreement,
    MemberStatus,
    MobileMember,
    ReportChannel,
    ServiceStation,
    Villager,
)
from gongjian.members.policy import halves_due
from gongjian.members.selectors_pairs import quarter_start
from gongjian.orgs.models import Organization, OrgKind, Person
from gongjian.orgs.search import search_keys
from gongjian.records.choices import FiveDelivery
from gongjian.rounds.models import Pairing, PairingStatus

DIFFICULTIES = (
    "因病致贫，家中主要劳动力患慢性病，医疗支出大",
    "独居老人，年老体弱，缺少劳动能力",
    "子女上学负担重，家庭收入来源单一",
    "因灾返贫，今年冰雹致果园减产七成",
    "残疾，行动不便，无稳定收入",
)
GOALS = ("年底前家庭年人均收入达到当地脱贫标准以上", "落实医疗救助和大病保险，减轻医疗负担", "发展一项稳定的庭院产业")
MEASURES = ("帮助申请公益性岗位并落实技能培训", "对接合作社收购农产品，签订保底收购协议", "协调落实医保、低保等政策")
PROGRESS = ("已完成政策申报材料，等待审批", "已上岗公益性岗位，每月增收 800 元", "首批香菇菌棒已入棚", "医疗救助已到位")
WORK = ("建筑工地木工", "电子厂流水线工人", "快递员", "餐馆厨师", "家政服务", "货车司机", "物流仓管", "个体经营")
PLACES = (
    "西安市雁塔区",
    "深圳市宝安区",
    "苏州工业园区",
    "绥芬河市口岸",
    "上海市闵行区",
    "广州市白云区",
    "杭州市余杭区",
)
QUESTIONS = ("请告知该同志组织关系所在及党费交纳情况", "拟推荐该同志为流动党员党小组组长，请告知其表现情况")
ANSWERS = ("组织关系在本支部，党费交纳至上月，表现良好", "该同志外出前签订了管理协议，历年汇报按时，同意推荐")


def _villages(items: list[Pairing]) -> list[Organization]:
    seen: dict[int, Organization] = {}
    for pairing in items:
        seen.setdefault(pairing.village_id, pairing.village)
    return list(seen.values())


class _People:
    """New needy members and mobile members, with ID numbers unique in the registry."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.factory = PersonFactory(rng, year)
        self.factory.id_numbers.update(n for n in Person.objects.values_list("id_number", flat=True) if n)
        self.rows: list[Person] = []

    def add(self, org: Organization, post: str) -> Person:
        draft = self.factory.person(post, (org.region.division_code or "611023")[:6] if org.region else "611023")
        person = Person(
            name=draft.name,
            organization=org,
            post=post,
            phone=draft.phone,
            id_number=draft.id_number,
            is_party_member=True,
        )
        person.name_pinyin, person.name_initials = search_keys(person.name)
        self.rows.append(person)
        return person

    def save(self) -> None:
        Person.objects.bulk_create(self.rows, batch_size=5000)
        self.rows.clear()


def generate_members(
    pairings: QuerySet[Pairing] | Iterable[Pairing],
    rng: random.Random,
    *,
    today: datetime.date | None = None,
    pairs_per_pairing: int = 2,
    mobile_per_village: int = 2,
    stations: int = 25,
) -> dict[str, int]:
    """Write individual pairs under each signed pairing and mobile members of their villages;
    return row counts per kind plus ``total``."""
    today = today or timezone.localdate()
    qs = pairings if isinstance(pairings, QuerySet) else None
    items = (
        list(qs.filter(status=PairingStatus.SIGNED).select_related("unit", "village__region"))
        if qs is not None
        else [p for p in pairings if p.status == PairingStatus.SIGNED]
    )
    counts: dict[str, int] = {}
    with transaction.atomic():
        people = _People(rng, today.year)
        counts.update(_pairs(items, rng, today, people, pairs_per_pairing))
        counts.update(_mobile(_villages(items), rng, today, people, mobile_per_village, stations))
        counts["total"] = sum(counts.values())
        audit_event("demo.members", actor=None, after={"pairs": len(items), "counts": counts})
    return counts


def _pairs(items: list[Pairing], rng: random.Random, today: datetime.date, people: _People, per: int) -> dict[str, int]:
    unit_people: dict[int, list[Person]] = {}
    for person in Person.objects.filter(organization__in={p.unit_id for p in items}).order_by("pk"):
        unit_people.setdefault(person.organization_id, []).append(person)
    villagers: list[Villager] = []
    cadre_pairs: list[CadrePair] = []
    households: list[HouseholdPair] = []
    branches: list[BranchPair] = []
    for pairing in items:
        staff = unit_people.get(pairing.unit_id, [])
        started = today - datetime.timedelta(days=rng.randint(60, 500))
        for cadre in staff[:per]:
            member = people.add(pairing.village, "党员")
            villager = Villager(
                village=pairing.village,
                name=people.factory.person("村民", "611023").name,
                phone=people.factory.phone(),
                difficulty=rng.choice(DIFFICULTIES),
            )
            villagers.append(villager)
            cadre_pairs.append(
                CadrePair(
                    pairing=pairing, cadre=cadre, needy_member=member, needy_villager=villager, started_on=started
                )
            )
        if staff and rng.random() < 0.6:
            household = Villager(
                village=pairing.village,
                name=people.factory.person("户主", "611023").name,
                phone=people.factory.phone(),
                household_size=rng.randint(1, 6),
                is_poor_household=True,
                difficulty=rng.choice(DIFFICULTIES),
            )
            villagers.append(household)
            households.append(HouseholdPair(pairing=pairing, cadre=staff[0], household=household, started_on=started))
    people.save()
    for pair in cadre_pairs:  # the people's primary keys exist now
        pair.needy_member_id = pair.needy_member.pk
    Villager.objects.bulk_create(villagers, batch_size=5000)
    for pair in cadre_pairs:
        pair.needy_villager_id = pair.needy_villager.pk
    for hpair in households:
        hpair.household_id = hpair.household.pk
    CadrePair.objects.bulk_create(cadre_pairs, batch_size=5000)
    HouseholdPair.objects.bulk_create(households, batch_size=5000)
    for cpair in cadre_pairs[::3]:
        branches.append(
            BranchPair(
                pairing=cpair.pairing,
                branch=cpair.pairing.unit,
                needy_member=cpair.needy_member,
                started_on=cpair.started_on,
            )
        )
    BranchPair.objects.bulk_create(branches, batch_size=5000)
    plans, steps, deliveries = _plans_and_deliveries(rng, today, [*cadre_pairs, *households, *branches])
    return {
        "villager": len(villagers),
        "cadre_pair": len(cadre_pairs),
        "household_pair": len(households),
        "branch_pair": len(branches),
        "help_plan": plans,
        "help_progress": steps,
        "individual_delivery": deliveries,
    }


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _plans_and_deliveries(rng: random.Random, today: datetime.date, pairs: list[Any]) -> tuple[int, int, int]:
    plans: list[HelpPlan] = []
    deliveries: list[IndividualDelivery] = []
    quarter = quarter_start(today)
    for pair in pairs:
        field = {CadrePair: "cadre_pair", HouseholdPair: "household_pair", BranchPair: "branch_pair"}[type(pair)]
        beneficiary = {CadrePair: Beneficiary.VILLAGER, HouseholdPair: Beneficiary.HOUSEHOLD}.get(
            type(pair), Beneficiary.MEMBER
        )
        plans.append(
            HelpPlan(
                beneficiary=beneficiary,
                difficulty=rng.choice(DIFFICULTIES),
                goals=rng.choice(GOALS),
                measures=rng.choice(MEASURES),
                target_date=today + datetime.timedelta(days=rng.randint(60, 400)),
                **{field: pair},
            )
        )
        # about one pair in four records nothing this quarter: the unit page flags them
        last = today if rng.random() > 0.25 else min(today, quarter - datetime.timedelta(days=1))
        for _ in range(rng.randint(1, 4)):
            if last < pair.started_on:
                break
            kind = rng.choice(FiveDelivery.values)
            deliveries.append(
                IndividualDelivery(
                    kind=kind,
                    delivered_on=_day(rng, pair.started_on, last),
                    content=rng.choice(DELIVERY_CONTENT[kind]),
                    amount=Decimal(rng.choice((200, 300, 500, 1000))) if kind == FiveDelivery.FUNDS else None,
                    **{field: pair},
                )
            )
    HelpPlan.objects.bulk_create(plans, batch_size=5000)
    steps = []
    for plan in plans:
        pair = plan.cadre_pair or plan.household_pair or plan.branch_pair
        assert pair is not None
        percent = 0
        for _ in range(rng.randint(0, 3)):
            percent = min(100, percent + rng.choice((20, 30, 40)))
            steps.append(
                HelpProgress(
                    plan=plan, recorded_on=_day(rng, pair.started_on, today), note=rng.choice(PROGRESS), percent=percent
                )
            )
        plan.progress_percent = percent
    HelpPlan.objects.bulk_update(plans, ["progress_percent"], batch_size=5000)
    HelpProgress.objects.bulk_create(steps, batch_size=5000)
    IndividualDelivery.objects.bulk_create(deliveries, batch_size=5000)
    return len(plans), len(steps), len(deliveries)


def _mobile(
    villages: list[Organization], rng: random.Random, today: datetime.date, people: _People, per: int, n_stations: int
) -> dict[str, int]:
    if not villages:
        return {}
    others = Organization.objects.exclude(kind=OrgKind.VILLAGE).exclude(pk__in=[v.pk for v in villages])
    hosts = list(others.order_by("pk")[:500]) or villages
    towns = list(
        Organization.objects.filter(kind__in=[OrgKind.TOWN, OrgKind.COMMUNITY]).order_by("code", "pk")[:n_stations]
    )
    stations = [
        ServiceStation(
            name=f"{t.name.removesuffix('党委').removesuffix('党工委')}流动党员服务站", organization=t, region=t.region
        )
        for t in towns
    ]
    ServiceStation.objects.bulk_create(stations, batch_size=1000, ignore_conflicts=True)
    stations = list(ServiceStation.objects.filter(organization__in=towns))
    members: list[MobileMember] = []
    for village in villages:
        for _ in range(per):
            person = people.add(village, "流动党员")
            station = rng.choice(stations) if stations and rng.random() < 0.4 else None
            host: Organization | None = station.organization if station else rng.choice(hosts)
            if host is not None and host.pk == village.pk:
                host, station = None, None
            left = today - datetime.timedelta(days=rng.randint(30, 900))
            back = rng.random() < 0.1
            members.append(
                MobileMember(
                    person=person,
                    origin=village,
                    host=host,
                    station=station,
                    location=rng.choice(PLACES),
                    work=rng.choice(WORK),
                    phone=person.phone,
                    left_on=left,
                    status=MemberStatus.RETURNED if back else MemberStatus.OUT,
                    returned_on=_day(rng, left, today) if back else None,
                )
            )
    people.save()
    for member in members:
        member.person_id = member.person.pk
    MobileMember.objects.bulk_create(members, batch_size=5000)
    periods, agreements, reports, queries = [], [], [], []
    for m in members:
        periods.append(
            HostingPeriod(
                member=m,
                host=m.host,
                station=m.station,
                location=m.location,
                work=m.work,
                started_on=m.left_on,
                ended_on=m.returned_on,
            )
        )
        if rng.random() < 0.9:  # one in ten left without the agreement: flagged
            signed = m.left_on - datetime.timedelta(days=rng.randint(-5, 10))
            agreements.append(
                MemberAgreement(
                    member=m, signed_on=min(signed, today), branch_signer=people.factory.person("书记", "611023").name
                )
            )
        for year, half, due in halves_due(m.left_on, m.returned_on, today, 15):
            if rng.random() < 0.8:  # some reports are missing: flagged
                reports.append(
                    HalfYearReport(
                        member=m,
                        year=year,
                        half=half,
                        channel=rng.choice(ReportChannel.values),
                        submitted_on=min(today, due - datetime.timedelta(days=rng.randint(0, 20))),
                        work=f"在{m.location}从事{m.work}，工作稳定",
                        thoughts="坚持参加流入地党组织活动，按时交纳党费",
                        on_behalf=True,
                    )
                )
        if m.host is not None and m.status == MemberStatus.OUT and rng.random() < 0.1:
            answered = rng.random() < 0.6
            queries.append(
                HostQuery(
                    member=m,
                    host=m.host,
                    origin=m.origin,
                    question=rng.choice(QUESTIONS),
                    due_on=today + datetime.timedelta(days=rng.randint(-10, 10)),
                    answer=rng.choice(ANSWERS) if answered else "",
                    answered_at=timezone.now() if answered else None,
                )
            )
    HostingPeriod.objects.bulk_create(periods, batch_size=5000)
    MemberAgreement.objects.bulk_create(agreements, batch_size=5000)
    # a member without a signed agreement has not completed registration
    unsigned = {m.pk for m in members} - {a.member_id for a in agreements}
    MobileMember.objects.filter(pk__in=unsigned, status=MemberStatus.OUT).update(status=MemberStatus.PENDING)
    HalfYearReport.objects.bulk_create(reports, batch_size=5000)
    HostQuery.objects.bulk_create(queries, batch_size=5000)
    return {
        "station": len(stations),
        "mobile_member": len(members),
        "hosting_period": len(periods),
        "member_agreement": len(agreements),
        "half_year_report": len(reports),
        "host_query": len(queries),
    }

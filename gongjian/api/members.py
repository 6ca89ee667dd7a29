"""Party-member endpoints (党员结对与流动党员): the "1+2" and household pairs of a unit
pairing, and mobile members with their half-year reports and the hosts' queries (联系函).

Through the members selectors and services; a pairing, pair, member or query outside the
user's scope is a 404. People are given by name only (no phone or ID number here).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.members import selectors_mobile as mobile
from gongjian.members import selectors_pairs as pairs
from gongjian.members.services_pairs import cadre_pair_record, household_pair_record, pair_end
from gongjian.members.services_reports import query_answer, query_ask, report_file

router = Router(tags=["党员结对与流动党员"])
Page = BoundedPageNumberPagination
PAIRING = "/pairings/{int:pairing_id}"
PAIR = "/pairs/{kind}/{int:pair_id}"


# ---------------------------------------------------------------- schemas


class PairingOut(Schema):
    id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    village_id: int
    village: str = Field(..., alias="village.name")


class NewVillagerIn(Schema):
    name: str = Field(..., max_length=64)
    phone: str = Field("", max_length=30)
    household_size: int | None = Field(None, ge=1, le=99)
    difficulty: str = Field("", max_length=2000)


class CadrePairIn(Schema):
    cadre_id: int = Field(..., description="单位的结对干部（人员编号）")
    needy_member_id: int = Field(..., description="村里的困难党员（人员编号）")
    needy_villager_id: int | None = Field(None, description="已登记的困难群众；不填则按 new_villager 新登记")
    new_villager: NewVillagerIn | None = None


class HouseholdPairIn(Schema):
    cadre_id: int = Field(..., description="单位的领导干部（人员编号）")
    household_id: int | None = Field(None, description="已登记的贫困户；不填则按 new_household 新登记")
    new_household: NewVillagerIn | None = None


class PairOut(Schema):
    id: int
    kind: str
    pairing_id: int
    status: str
    status_label: str
    started_on: datetime.date
    ended_on: datetime.date | None
    helper: str = Field(..., description="结对干部或党支部")
    helped: list[str] = Field(..., description="帮扶对象")

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return {"CadrePair": "cadre", "HouseholdPair": "household", "BranchPair": "branch"}[type(obj).__name__]

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")

    @staticmethod
    def resolve_helper(obj: Any) -> str:
        return str((getattr(obj, "cadre", None) or obj.branch).name)

    @staticmethod
    def resolve_helped(obj: Any) -> list[str]:
        people = [getattr(obj, f, None) for f in ("needy_member", "needy_villager", "household")]
        return [p.name for p in people if p is not None]


class EndIn(Schema):
    ended_on: datetime.date | None = Field(None, description="结束日期，不填为今天")


class MemberOut(Schema):
    id: int
    name: str = Field(..., alias="person.name")
    origin_id: int
    origin: str = Field(..., alias="origin.name")
    host_id: int | None
    host: str | None = Field(None, alias="host.name")
    location: str
    work: str
    left_on: datetime.date
    status: str
    status_label: str
    returned_on: datetime.date | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")


class ReportIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    half: int = Field(..., ge=1, le=2, description="1 上半年，2 下半年")
    channel: str = Field("online", max_length=16, description="online、phone、letter、in_person")
    work: str = Field(..., max_length=20000, description="在外工作情况")
    thoughts: str = Field(..., max_length=20000, description="思想状况")
    skills: str = Field("", max_length=20000, description="新技能新知识")
    submitted_on: datetime.date | None = None


class ReportOut(Schema):
    id: int
    member_id: int
    year: int
    half: int
    channel: str
    submitted_on: datetime.date
    work: str
    thoughts: str
    skills: str
    on_behalf: bool


class QuestionIn(Schema):
    question: str = Field(..., max_length=20000, description="查询事项")


class AnswerIn(Schema):
    answer: str = Field(..., max_length=20000, description="答复内容")


class QueryOut(Schema):
    id: int
    member_id: int
    member: str = Field(..., alias="member.person.name")
    host: str = Field(..., alias="host.name")
    origin: str = Field(..., alias="origin.name")
    question: str
    due_on: datetime.date
    answer: str
    answered_at: datetime.datetime | None
    status: str

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return mobile.query_status(obj)


def _choose(choices: QuerySet[Any], pk: int | None, field: str, what: str) -> Any:
    """One of the people a form would offer (the selector's choices), or the form's error."""
    found = choices.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError({field: _("请选择%(what)s") % {"what": what}})
    return found


# ---------------------------------------------------------------- pairs (1+2, 联户)


@router.get("/pairings/", response=list[PairingOut], summary="可登记党员结对的单位结对")
@paginate(Page, page_size=50)
def list_pairings(request: HttpRequest, q: str = "") -> Any:
    return pairs.pairing_list(user=request.user, query=q)


@router.get(PAIRING + "/cadre-pairs/", response=list[PairOut], summary="“1+2”结对")
@paginate(Page, page_size=50)
def list_cadre_pairs(request: HttpRequest, pairing_id: int) -> Any:
    pairing = pairs.pairing_get(user=request.user, pk=pairing_id)
    return pairs.cadre_pair_list(user=request.user, pairing=pairing)


@router.post(
    PAIRING + "/cadre-pairs/",
    response={201: PairOut, **WRITE_ERRORS},
    summary="登记“1+2”结对",
    description="单位的一名干部结对村里一名困难党员和一名困难群众（已登记的，或随同新登记）。",
)
def create_cadre_pair(request: HttpRequest, pairing_id: int, payload: CadrePairIn) -> Any:
    pairing = pairs.pairing_get(user=request.user, pk=pairing_id)
    villager = None
    if payload.needy_villager_id is not None:
        villager = _choose(
            pairs.village_villagers(pairing=pairing), payload.needy_villager_id, "needy_villager_id", _("困难群众")
        )
    pair = cadre_pair_record(
        actor=request.user,
        pairing=pairing,
        cadre=_choose(pairs.unit_people(pairing=pairing), payload.cadre_id, "cadre_id", _("结对干部")),
        needy_member=_choose(
            pairs.village_party_members(pairing=pairing), payload.needy_member_id, "needy_member_id", _("困难党员")
        ),
        needy_villager=villager,
        new_villager=payload.new_villager.dict() if payload.new_villager else None,
    )
    return Status(201, pair)


@router.get(PAIRING + "/household-pairs/", response=list[PairOut], summary="领导干部联系贫困户")
@paginate(Page, page_size=50)
def list_household_pairs(request: HttpRequest, pairing_id: int) -> Any:
    pairing = pairs.pairing_get(user=request.user, pk=pairing_id)
    return pairs.household_pair_list(user=request.user, pairing=pairing)


@router.post(
    PAIRING + "/household-pairs/",
    response={201: PairOut, **WRITE_ERRORS},
    summary="登记领导干部联系贫困户",
    description="单位的一名领导干部联系村里一户贫困户（已登记的，或随同新登记）。",
)
def create_household_pair(request: HttpRequest, pairing_id: int, payload: HouseholdPairIn) -> Any:
    pairing = pairs.pairing_get(user=request.user, pk=pairing_id)
    household = None
    if payload.household_id is not None:
        poor = pairs.village_villagers(pairing=pairing, poor_only=True)
        household = _choose(poor, payload.household_id, "household_id", _("贫困户"))
    pair = household_pair_record(
        actor=request.user,
        pairing=pairing,
        cadre=_choose(pairs.unit_people(pairing=pairing), payload.cadre_id, "cadre_id", _("领导干部")),
        household=household,
        new_household=payload.new_household.dict() if payload.new_household else None,
    )
    return Status(201, pair)


@router.get(
    PAIR,
    response={200: PairOut, **READ_ERRORS},
    summary="党员结对详情",
    description="kind：cadre、household 或 branch。",
)
def get_pair(request: HttpRequest, kind: str, pair_id: int) -> Any:
    return pairs.pair_get(user=request.user, kind=kind, pk=pair_id)


@router.post(
    PAIR + "/end", response={200: PairOut, **WRITE_ERRORS}, summary="结束党员结对", description="结束后保留记录。"
)
def end_pair(request: HttpRequest, kind: str, pair_id: int, payload: EndIn) -> Any:
    pair = pairs.pair_get(user=request.user, kind=kind, pk=pair_id)
    return pair_end(actor=request.user, pair=pair, ended_on=payload.ended_on)


# ---------------------------------------------------------------- mobile members


@router.get("/mobile/", response=list[MemberOut], summary="流动党员", description="流出地与流入地党组织各见其所管。")
@paginate(Page, page_size=50)
def list_members(request: HttpRequest, status: str = "", q: str = "") -> Any:
    return mobile.member_list(user=request.user, status=status, query=q)


@router.get("/mobile/{int:member_id}", response={200: MemberOut, **READ_ERRORS}, summary="流动党员详情")
def get_member(request: HttpRequest, member_id: int) -> Any:
    return mobile.member_get(user=request.user, pk=member_id)


@router.get("/mobile/{int:member_id}/reports/", response=list[ReportOut], summary="半年思想汇报")
@paginate(Page, page_size=50)
def list_reports(request: HttpRequest, member_id: int) -> Any:
    return mobile.member_reports(mobile.member_get(user=request.user, pk=member_id))


@router.post(
    "/mobile/{int:member_id}/reports/",
    response={201: ReportOut, **WRITE_ERRORS},
    summary="报送半年思想汇报",
    description="本人，或流出地、流入地党组织代为录入；每半年一份。",
)
def file_report(request: HttpRequest, member_id: int, payload: ReportIn) -> Any:
    member = mobile.member_get(user=request.user, pk=member_id)
    return Status(201, report_file(actor=request.user, member=member, **payload.dict()))


@router.post(
    "/mobile/{int:member_id}/queries/",
    response={201: QueryOut, **WRITE_ERRORS},
    summary="流入地向流出地发联系函",
    description="流出地须在政策规定的天数内答复。",
)
def ask_query(request: HttpRequest, member_id: int, payload: QuestionIn) -> Any:
    member = mobile.member_get(user=request.user, pk=member_id)
    return Status(201, query_ask(actor=request.user, member=member, question=payload.question))


@router.get(
    "/queries/",
    response=list[QueryOut],
    summary="联系函",
    description="direction：sent（本方发出）或 received（待本方答复）。",
)
@paginate(Page, page_size=50)
def list_queries(request: HttpRequest, direction: str = "") -> Any:
    return mobile.query_list(user=request.user, direction=direction)


@router.get("/queries/{int:query_id}", response={200: QueryOut, **READ_ERRORS}, summary="联系函详情")
def get_query(request: HttpRequest, query_id: int) -> Any:
    return mobile.query_get(user=request.user, pk=query_id)


@router.post("/queries/{int:query_id}/answer", response={200: QueryOut, **WRITE_ERRORS}, summary="流出地答复联系函")
def answer_query(request: HttpRequest, query_id: int, payload: AnswerIn) -> Any:
    query = mobile.query_get(user=request.user, pk=query_id)
    return query_answer(actor=request.user, query=query, answer=payload.answer)

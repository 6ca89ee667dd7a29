"""Round endpoints: the pairing workflow over REST.

Every call is scoped: a round the user neither takes part in nor runs is a 404, as is any
intent, run or pairing outside their subtree. Refusals by the services (deadline passed,
no place left…) are 409 with ``detail`` and ``code``; acting for the wrong side is 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.rounds import selectors
from gongjian.rounds.access import can_administer
from gongjian.rounds.models import AllocationRun, DirectoryEntry, Intent, Pairing, Round, Stage
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_choosing import intent_submit, intent_withdraw
from gongjian.rounds.services_pairing import pairing_confirm

router = Router(tags=["结对轮次"])

T = TypeVar("T")


# --- schemas ----------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class RefusedOut(Schema):
    detail: str
    code: str


class RoundOut(Schema):
    id: int
    name: str
    scope_id: int
    scope_name: str = Field(..., alias="scope.name")
    policy_key: str
    status: str
    status_label: str
    intent_deadline: datetime.datetime
    signing_deadline: datetime.datetime
    term_start: datetime.date
    term_end: datetime.date
    opened_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: Round) -> str:
        return str(obj.get_status_display())


class RoundDetailOut(RoundOut):
    can_administer: bool


class DirectoryEntryOut(Schema):
    id: int
    village_id: int
    village: str = Field(..., alias="village.name")
    county: str
    town: str
    tags: list[str]
    needs: list[str]
    stage: str
    stage_label: str
    intent_count: int
    min_pairs: int
    max_pairs: int
    places_left: int

    @staticmethod
    def resolve_tags(obj: DirectoryEntry) -> list[str]:
        return [t.code for t in obj.village.tags.all()]

    @staticmethod
    def resolve_needs(obj: DirectoryEntry) -> list[str]:
        return [r.code for r in obj.village.needs.all()]

    @staticmethod
    def resolve_stage_label(obj: DirectoryEntry) -> str:
        return str(obj.get_stage_display())


class IntentIn(Schema):
    village_id: int
    rank: int | None = Field(None, ge=1, le=100, description="志愿顺序；不填则排在已有意向之后")


class IntentOut(Schema):
    id: int
    round_id: int
    village_id: int = Field(..., alias="entry.village_id")
    village: str = Field(..., alias="entry.village.name")
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    rank: int
    status: str
    submitted_at: datetime.datetime


class TallyOut(Schema):
    none: int
    intent: int
    allocated: int
    confirmed: int
    signed: int
    total: int
    covered: int
    coverage_pct: float
    signed_pct: float


class TownOut(TallyOut):
    name: str


class CountyOut(TownOut):
    towns: list[TownOut]


class StageOut(Schema):
    code: str
    label: str
    color: str


class BoardOut(Schema):
    round_id: int
    scoped: bool = Field(..., description="true：只含您管理范围内的村")
    stages: list[StageOut]
    total: TallyOut
    counties: list[CountyOut]


class BoardVillageOut(Schema):
    entry_id: int
    village_id: int
    name: str
    stage: str
    stage_label: str
    tags: list[str]
    intent_count: int | None
    max_pairs: int
    partners: list[str]


class PairIn(Schema):
    unit_id: int
    village_id: int


class RunIn(Schema):
    pins: list[PairIn] = Field(default_factory=list, description="指定结对")
    forbids: list[PairIn] = Field(default_factory=list, description="禁止结对")
    open_only: bool = Field(False, description="仅重新匹配空缺村")


class RunOut(Schema):
    id: int
    number: int
    open_only: bool
    covered_slots: int
    required_slots: int
    total_score: int
    seconds: float
    pins: list[list[int]]
    forbids: list[list[int]]
    created_at: datetime.datetime
    published_at: datetime.datetime | None


class RunPairOut(Schema):
    unit_id: int
    village_id: int
    score: int
    reasons: str
    pinned: bool


class RunDetailOut(RunOut):
    pairs: list[RunPairOut]
    uncovered: list[dict[str, Any]]

    @staticmethod
    def resolve_pairs(obj: AllocationRun) -> list[dict[str, Any]]:
        return [
            {
                "unit_id": int(p["unit"]),
                "village_id": int(p["village"]),
                "score": p["score"],
                "reasons": p["reasons"],
                "pinned": p["pinned"],
            }
            for p in obj.result.get("pairs", [])
        ]

    @staticmethod
    def resolve_uncovered(obj: AllocationRun) -> list[dict[str, Any]]:
        return list(obj.result.get("uncovered", []))


class PublishOut(Schema):
    published: int
    run: RunOut


class PairingOut(Schema):
    id: int
    unit_id: int
    unit: str = Field(..., alias="unit.name")
    village_id: int
    village: str = Field(..., alias="village.name")
    county: str = Field(..., alias="entry.county")
    town: str = Field(..., alias="entry.town")
    origin: str
    status: str
    status_label: str
    score: int
    unit_confirmed_at: datetime.datetime | None
    village_confirmed_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(obj: Pairing) -> str:
        return str(obj.get_status_display())


# --- helpers ----------------------------------------------------------------------------

NOT_FOUND: dict[int, Any] = {404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: RefusedOut}


def _found(lookup: Callable[..., T], **kwargs: Any) -> T:
    """Run a selector; its Http404 becomes a JSON 404 with the selector's Chinese reason
    (ninja's own 404 says only "Not Found")."""
    try:
        return lookup(**kwargs)
    except Http404 as exc:
        raise HttpError(404, str(exc) or "未找到") from exc


def _round(request: HttpRequest, round_id: int) -> Round:
    return _found(selectors.round_get, user=request.user, pk=round_id)


def _require_admin(request: HttpRequest, round_: Round) -> None:
    if not can_administer(request.user, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以查看或运行组织分配"))


def _pairs(items: list[PairIn]) -> list[tuple[int, int]]:
    return [(p.unit_id, p.village_id) for p in items]


# --- rounds and directory ---------------------------------------------------------------


@router.get("/", response=list[RoundOut], summary="我参与或管理的轮次")
def list_rounds(request: HttpRequest) -> Any:
    return selectors.round_list(user=request.user)


@router.get("/{int:round_id}", response={200: RoundDetailOut, **NOT_FOUND}, summary="轮次详情")
def get_round(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request, round_id)
    round_.can_administer = can_administer(request.user, round_)  # type: ignore[attr-defined]
    return round_


@router.get("/{int:round_id}/directory", response={200: list[DirectoryEntryOut], **NOT_FOUND}, summary="村名录")
@paginate(BoundedPageNumberPagination, page_size=50)
def directory(
    request: HttpRequest,
    round_id: int,
    county: str = "",
    town: str = "",
    tag: str = "",
    need: str = "",
    stage: str = "",
    q: str = "",
) -> Any:
    """Filters: county, town, tag (weak, lax…), need (funds…), stage (none, intent, allocated,
    confirmed, signed), q (village name, full pinyin or pinyin initials)."""
    round_ = _round(request, round_id)
    return selectors.directory_entries(
        user=request.user,
        round_=round_,
        county=county,
        town=town,
        tag=tag,
        need=need,
        stage=stage if stage in Stage.values else "",
        query=q,
    )


# --- intents ----------------------------------------------------------------------------


@router.get(
    "/{int:round_id}/intents",
    response={200: list[IntentOut], **NOT_FOUND},
    summary="意向（本单位、本村或管理范围内）",
    description="分页；一个市的管理员可见数千条。",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def list_intents(request: HttpRequest, round_id: int, active: bool = True) -> Any:
    round_ = _round(request, round_id)
    return selectors.intents_visible(user=request.user, round_=round_, active_only=active)


@router.post("/{int:round_id}/intents", response={201: IntentOut, **WRITE_ERRORS}, summary="提交结对意向")
def submit_intent(request: HttpRequest, round_id: int, payload: IntentIn) -> Any:
    entry = _found(selectors.directory_entry, user=request.user, round_id=round_id, village_id=payload.village_id)
    intent: Intent = intent_submit(actor=request.user, entry=entry, rank=payload.rank)  # type: ignore[arg-type]
    return Status(201, intent)


@router.post(
    "/{int:round_id}/intents/{int:intent_id}/withdraw", response={200: IntentOut, **WRITE_ERRORS}, summary="撤回意向"
)
def withdraw_intent(request: HttpRequest, round_id: int, intent_id: int) -> Any:
    round_ = _round(request, round_id)
    intent = _found(selectors.intent_get, user=request.user, round_=round_, pk=intent_id)
    return intent_withdraw(actor=request.user, intent=intent)  # type: ignore[arg-type]


# --- status board -----------------------------------------------------------------------


@router.get("/{int:round_id}/board", response={200: BoardOut, **NOT_FOUND}, summary="结对进度（按区县、乡镇计数）")
def board(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request, round_id)
    data = _found(selectors.board_internal, user=request.user, round_=round_).as_dict()
    return {**data, "round_id": round_.pk}


@router.get(
    "/{int:round_id}/board/villages", response={200: list[BoardVillageOut], **NOT_FOUND}, summary="结对进度：某乡镇各村"
)
def board_villages(request: HttpRequest, round_id: int, county: str, town: str) -> Any:
    round_ = _round(request, round_id)
    rows = _found(selectors.board_villages, user=request.user, round_=round_, county=county, town=town, public=False)
    return [{**row.__dict__, "tags": [code for code, _name in row.tags]} for row in rows]


# --- allocation runs (administrators) ---------------------------------------------------


@router.get("/{int:round_id}/runs", response={200: list[RunOut], 403: ErrorOut, 404: ErrorOut}, summary="分配方案")
def list_runs(request: HttpRequest, round_id: int) -> Any:
    round_ = _round(request, round_id)
    _require_admin(request, round_)
    return selectors.run_list(user=request.user, round_=round_).order_by("number")


@router.post("/{int:round_id}/runs", response={201: RunOut, **WRITE_ERRORS}, summary="运行组织分配（可指定、禁止结对）")
def start_run(request: HttpRequest, round_id: int, payload: RunIn) -> Any:
    round_ = _round(request, round_id)
    run = allocation_run(
        actor=request.user,  # type: ignore[arg-type]
        round_=round_,
        pins=_pairs(payload.pins),
        forbids=_pairs(payload.forbids),
        open_only=payload.open_only,
    )
    return Status(201, run)


@router.get(
    "/{int:round_id}/runs/{int:run_id}",
    response={200: RunDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="分配方案详情",
)
def get_run(request: HttpRequest, round_id: int, run_id: int) -> Any:
    round_ = _round(request, round_id)
    _require_admin(request, round_)
    return _found(selectors.run_get, user=request.user, round_=round_, pk=run_id)


@router.post(
    "/{int:round_id}/runs/{int:run_id}/publish", response={200: PublishOut, **WRITE_ERRORS}, summary="发布分配方案"
)
def publish_run(request: HttpRequest, round_id: int, run_id: int) -> Any:
    round_ = _round(request, round_id)
    _require_admin(request, round_)
    run = _found(selectors.run_get, user=request.user, round_=round_, pk=run_id)
    published = allocation_publish(actor=request.user, run=run)  # type: ignore[arg-type]
    return {"published": published, "run": run}


# --- pairings ---------------------------------------------------------------------------


@router.get("/{int:round_id}/pairings", response={200: list[PairingOut], **NOT_FOUND}, summary="结对（管理范围内）")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_pairings(request: HttpRequest, round_id: int, status: str = "") -> Any:
    round_ = _round(request, round_id)
    return selectors.pairing_list(user=request.user, round_=round_, status=status)


@router.post(
    "/{int:round_id}/pairings/{int:pairing_id}/confirm", response={200: PairingOut, **WRITE_ERRORS}, summary="确认结对"
)
def confirm_pairing(request: HttpRequest, round_id: int, pairing_id: int) -> Any:
    round_ = _round(request, round_id)
    pairing = _found(selectors.pairing_get, user=request.user, pk=pairing_id, round_=round_)
    confirmed = pairing_confirm(actor=request.user, pairing=pairing)  # type: ignore[arg-type]
    return selectors.pairing_get(user=request.user, pk=confirmed.pk, round_=round_)

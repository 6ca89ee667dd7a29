"""Dispatch endpoints (选派干部): the talent pool (recommend, vet), villages' needs
profiles, matching runs (read and confirm), appointments with their monthly logs and the
end-of-term assessment.

Through the dispatch selectors and services; anything outside the user's scope is a 404.
Candidates are given without ID number or phone. A matching run is started as a background
job and a candidate appointed by hand in ``api/dispatch_match.py``; here runs are read and
confirmed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gongjian.api.common import READ_ERRORS, WRITE_ERRORS, label
from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.dispatch import selectors
from gongjian.dispatch.access import is_admin
from gongjian.dispatch.services_match import match_confirm
from gongjian.dispatch.services_pool import candidate_apply, candidate_recommend, candidate_vet, needs_profile_save
from gongjian.dispatch.services_term import assessment_record, worklog_submit
from gongjian.orgs import selectors as org_selectors

router = Router(tags=["选派干部"])
Page = BoundedPageNumberPagination
ROLES = "^(first_secretary|resident)$"
GRADES = "^(excellent|competent|basic|incompetent)$"


class CandidateOut(Schema):
    id: int
    name: str
    gender: str
    education: str
    education_label: str
    unit_id: int | None
    unit: str | None = Field(None, alias="unit.name")
    post: str
    status: str
    status_label: str
    skills: list[str]

    @staticmethod
    def resolve_education_label(obj: Any) -> str:
        return label(obj, "education")

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return label(obj, "status")

    @staticmethod
    def resolve_skills(obj: Any) -> list[str]:
        return [s.code for s in obj.skills.all()]


class ApplyIn(Schema):
    unit_id: int = Field(..., description="人选所在单位（须在本人管理范围内）")
    name: str = Field(..., max_length=64)
    gender: str = Field(..., pattern="^(M|F)$", description="M 男，F 女")
    birth_date: datetime.date
    id_number: str = Field(..., max_length=18, description="身份证号（加密保存，接口不返回）")
    phone: str = Field(..., max_length=20)
    education: str = Field(..., max_length=16, description="学历代码")
    political_status: str = Field(..., max_length=16, description="政治面貌代码")
    post: str = Field("", max_length=64)
    skills: list[str] = Field(default_factory=list, description="专长代码")
    statement: str = Field("", max_length=20000, description="个人简介和意愿")
    county_ids: list[int] = Field(default_factory=list, description="任职意向：区县（按志愿顺序）")
    village_codes: list[str] = Field(default_factory=list, description="任职意向：村（组织代码，排在区县之后）")


class StepIn(Schema):
    comment: str = Field("", max_length=2000)


class VetIn(StepIn):
    approve: bool = Field(..., description="true 考察通过（入库），false 不通过（须写明原因）")


class NeedsOut(Schema):
    population: int | None
    industries: str
    problems: str
    cadres_needed: int
    skills: list[str]

    @staticmethod
    def resolve_skills(obj: Any) -> list[str]:
        return [s.code for s in obj.skills.all()]


class VillageOut(Schema):
    id: int
    code: str
    name: str
    needs: NeedsOut | None = None

    @staticmethod
    def resolve_needs(obj: Any) -> Any:
        try:
            return obj.needs_profile
        except ObjectDoesNotExist:
            return None  # no profile yet


class NeedsIn(Schema):
    population: int | None = Field(None, ge=0, le=10_000_000)
    industries: str = Field("", max_length=255)
    problems: str = Field("", max_length=20000)
    skills: list[str] = Field(default_factory=list, description="需要的专长代码")
    cadres_needed: int = Field(1, ge=0, le=20)


class RunOut(Schema):
    id: int
    scope_id: int
    policy_key: str
    candidates: int
    villages: int
    matched: int
    covered_slots: int
    required_slots: int
    total_score: int
    created_at: datetime.datetime
    confirmed_at: datetime.datetime | None


class ConfirmIn(Schema):
    role: str = Field(..., pattern=ROLES, description="first_secretary（第一书记）或 resident（驻村干部）")
    term_start: datetime.date
    incentives: str = Field("", max_length=20000)
    exclude: list[tuple[int, int]] = Field(default_factory=list, description="不予选派的 [人选, 村] 组合")


class ConfirmOut(Schema):
    appointed: int
    skipped: int


class AppointmentOut(Schema):
    id: int
    candidate_id: int
    candidate: str = Field(..., alias="candidate.name")
    village_id: int
    village: str = Field(..., alias="village.name")
    role: str
    role_label: str
    term_start: datetime.date
    term_end: datetime.date
    status: str

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return label(obj, "role")


class LogIn(Schema):
    month: datetime.date = Field(..., description="月份（任一日期，取其所在月）")
    content: str = Field(..., max_length=20000, description="本月工作")


class LogOut(Schema):
    id: int
    appointment_id: int
    month: datetime.date
    content: str
    submitted_at: datetime.datetime


class AssessmentIn(Schema):
    grade: str = Field(..., pattern=GRADES, description="excellent、competent、basic、incompetent")
    comment: str = Field(..., max_length=20000)


class AssessmentOut(Schema):
    appointment_id: int
    grade: str
    comment: str
    assessed_at: datetime.datetime


# ---------------------------------------------------------------- talent pool


@router.get(
    "/candidates/", response=list[CandidateOut], summary="人才库人选", description="可按状态、专长代码或姓名检索。"
)
@paginate(Page, page_size=50)
def list_candidates(request: HttpRequest, q: str = "", status: str = "", skill: str = "") -> Any:
    return selectors.candidate_list(user=request.user, query=q, status=status, skill=skill).prefetch_related("skills")


def _skills(codes: list[str]) -> list[Any]:
    """The skills named by code (as the form's choices), or the form's error."""
    skills = list(selectors.skill_choices().filter(code__in=codes))
    unknown = sorted(set(codes) - {s.code for s in skills})
    if unknown:
        raise ValidationError({"skills": _("未知的专长：%(codes)s") % {"codes": "、".join(unknown)}})
    return skills


@router.post(
    "/candidates/",
    response={201: CandidateOut, **WRITE_ERRORS},
    summary="报名进入人才库",
    description="为本单位（或管辖范围内单位）的干部自愿报名；任职意向先区县、后村，按志愿顺序。",
)
def apply(request: HttpRequest, payload: ApplyIn) -> Any:
    unit = org_selectors.organization_get(user=request.user, pk=payload.unit_id)
    counties = {c.pk: c for c in selectors.preference_places(request.user).filter(pk__in=payload.county_ids)}
    places = []
    for pk in payload.county_ids:
        if pk not in counties:
            raise ValidationError({"county_ids": _("任职意向中有无法选择的区县")})
        places.append(counties[pk])
    for code in payload.village_codes:
        village = selectors.village_by_code(request.user, code)
        if village is None:
            raise ValidationError({"village_codes": _("找不到组织代码为 %(code)s 的村") % {"code": code}})
        places.append(village)
    values = payload.dict(exclude={"unit_id", "skills", "county_ids", "village_codes"})
    candidate = candidate_apply(
        actor=request.user,  # type: ignore[arg-type]
        unit=unit,
        skills=_skills(payload.skills),
        preferences=places,
        **values,
    )
    return Status(201, candidate)


@router.get("/candidates/counts", response=dict[str, int], summary="人才库各状态人数")
def pool_counts(request: HttpRequest) -> Any:
    return selectors.pool_counts(user=request.user)


@router.get("/candidates/{int:candidate_id}", response={200: CandidateOut, **READ_ERRORS}, summary="人选详情")
def get_candidate(request: HttpRequest, candidate_id: int) -> Any:
    return selectors.candidate_get(user=request.user, pk=candidate_id)


@router.post(
    "/candidates/{int:candidate_id}/recommend", response={200: CandidateOut, **WRITE_ERRORS}, summary="单位推荐人选"
)
def recommend(request: HttpRequest, candidate_id: int, payload: StepIn) -> Any:
    candidate = selectors.candidate_get(user=request.user, pk=candidate_id)
    return candidate_recommend(actor=request.user, candidate=candidate, comment=payload.comment)  # type: ignore[arg-type]


@router.post(
    "/candidates/{int:candidate_id}/vet",
    response={200: CandidateOut, **WRITE_ERRORS},
    summary="组织考察人选",
    description="通过则入库待选派；不通过须写明原因。",
)
def vet(request: HttpRequest, candidate_id: int, payload: VetIn) -> Any:
    candidate = selectors.candidate_get(user=request.user, pk=candidate_id)
    return candidate_vet(actor=request.user, candidate=candidate, approve=payload.approve, comment=payload.comment)  # type: ignore[arg-type]


# ---------------------------------------------------------------- needs profiles


@router.get(
    "/villages/",
    response=list[VillageOut],
    summary="村情需求档案",
    description="only_needing=true 只列需要选派干部的村。",
)
@paginate(Page, page_size=50)
def list_villages(request: HttpRequest, q: str = "", only_needing: bool = False) -> Any:
    villages = selectors.village_list(user=request.user, query=q, only_needing=only_needing)
    return villages.prefetch_related("needs_profile__skills")


@router.get("/villages/{int:village_id}", response={200: VillageOut, **READ_ERRORS}, summary="一个村的需求档案")
def get_village(request: HttpRequest, village_id: int) -> Any:
    return selectors.village_get(user=request.user, pk=village_id)


@router.put(
    "/villages/{int:village_id}/needs",
    response={200: VillageOut, **WRITE_ERRORS},
    summary="维护村情需求档案",
    description="本村及其上级党委可以维护。",
)
def save_needs(request: HttpRequest, village_id: int, payload: NeedsIn) -> Any:
    village = selectors.village_get(user=request.user, pk=village_id)
    values = payload.dict(exclude={"skills"})
    needs_profile_save(actor=request.user, village=village, skills=_skills(payload.skills), **values)  # type: ignore[arg-type]
    return selectors.village_get(user=request.user, pk=village_id)


# ---------------------------------------------------------------- matching runs


@router.get("/runs/", response=list[RunOut], summary="选派匹配方案")
@paginate(Page, page_size=50)
def list_runs(request: HttpRequest) -> Any:
    return selectors.run_list(user=request.user).order_by("-created_at", "-pk")


@router.get("/runs/{int:run_id}", response={200: RunOut, **READ_ERRORS}, summary="匹配方案概况")
def get_run(request: HttpRequest, run_id: int) -> Any:
    return selectors.run_get(user=request.user, pk=run_id)


@router.post(
    "/runs/{int:run_id}/confirm",
    response={200: ConfirmOut, **WRITE_ERRORS},
    summary="确认选派",
    description="按方案任命（exclude 中的组合除外）；已不在库的人选或已满的村跳过。每个方案只能确认一次。",
)
def confirm_run(request: HttpRequest, run_id: int, payload: ConfirmIn) -> Any:
    if not is_admin(request.user):
        raise PermissionDenied(_("只有组织部门可以确认选派"))
    run = selectors.run_get(user=request.user, pk=run_id)
    done, skipped = match_confirm(
        actor=request.user,  # type: ignore[arg-type]
        run=run,
        exclude={(c, v) for c, v in payload.exclude},
        role=payload.role,
        term_start=payload.term_start,
        incentives=payload.incentives,
    )
    return {"appointed": done, "skipped": skipped}


# ---------------------------------------------------------------- appointments, logs, assessment


@router.get("/appointments/", response=list[AppointmentOut], summary="选派任职")
@paginate(Page, page_size=50)
def list_appointments(request: HttpRequest, q: str = "", status: str = "") -> Any:
    return selectors.appointment_list(user=request.user, query=q, status=status)


@router.get("/appointments/{int:appointment_id}", response={200: AppointmentOut, **READ_ERRORS}, summary="任职详情")
def get_appointment(request: HttpRequest, appointment_id: int) -> Any:
    return selectors.appointment_get(user=request.user, pk=appointment_id)


@router.get("/appointments/{int:appointment_id}/logs/", response=list[LogOut], summary="月度工作日志")
@paginate(Page, page_size=50)
def list_logs(request: HttpRequest, appointment_id: int) -> Any:
    return selectors.appointment_get(user=request.user, pk=appointment_id).logs.order_by("-month")


@router.post(
    "/appointments/{int:appointment_id}/logs/",
    response={201: LogOut, **WRITE_ERRORS},
    summary="填报月度工作日志",
    description="选派干部本人（或其单位代为）填报任期内的某月日志，每月一份。",
)
def submit_log(request: HttpRequest, appointment_id: int, payload: LogIn) -> Any:
    appointment = selectors.appointment_get(user=request.user, pk=appointment_id)
    return Status(201, worklog_submit(actor=request.user, appointment=appointment, **payload.dict()))  # type: ignore[arg-type]


@router.post(
    "/appointments/{int:appointment_id}/assessment",
    response={201: AssessmentOut, **WRITE_ERRORS},
    summary="任期考核",
    description="县级组织部门在任期届满后考核，考核后任期结束。",
)
def assess(request: HttpRequest, appointment_id: int, payload: AssessmentIn) -> Any:
    appointment = selectors.appointment_get(user=request.user, pk=appointment_id)
    return Status(201, assessment_record(actor=request.user, appointment=appointment, **payload.dict()))  # type: ignore[arg-type]

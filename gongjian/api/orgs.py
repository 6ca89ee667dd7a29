"""Registry endpoints: organizations and people, scoped and masked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gongjian.api.pagination import BoundedPageNumberPagination
from gongjian.orgs import selectors, services
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.personal_data import mask_id_number, mask_phone

router = Router(tags=["组织名册"])


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    level: str
    kind: str
    line: str
    engine_kind: str
    capacity: int
    region: str | None = Field(None, alias="region.name")
    tags: list[str]
    needs: list[str]
    resources: list[str]

    @staticmethod
    def resolve_tags(obj: Organization) -> list[str]:
        return [t.code for t in obj.tags.all()]

    @staticmethod
    def resolve_needs(obj: Organization) -> list[str]:
        return [r.code for r in obj.needs.all()]

    @staticmethod
    def resolve_resources(obj: Organization) -> list[str]:
        return [r.code for r in obj.resources.all()]


class ProfileIn(Schema):
    capacity: int | None = Field(None, ge=0, le=1000)
    needs: list[str] | None = None
    resources: list[str] | None = None


class PersonOut(Schema):
    id: int
    name: str
    organization_id: int
    post: str
    phone: str
    id_number: str
    is_party_member: bool

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj: Person) -> str:
        return mask_id_number(obj.id_number or "")


class ErrorOut(Schema):
    detail: str


@router.get("/", response=list[OrganizationOut], summary="组织列表")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_organizations(request: HttpRequest, q: str = "", kind: str = "", tag: str = "", need: str = "") -> Any:
    return selectors.organization_list(user=request.user, query=q, kind=kind, tag=tag, need=need).prefetch_related(
        "tags", "needs", "resources"
    )


@router.get("/{int:organization_id}", response={200: OrganizationOut, 404: ErrorOut}, summary="组织详情")
def get_organization(request: HttpRequest, organization_id: int) -> Any:
    return selectors.organization_get(user=request.user, pk=organization_id)


@router.patch(
    "/{int:organization_id}",
    response={200: OrganizationOut, 400: Any, 403: ErrorOut, 404: ErrorOut},
    summary="修改组织的可结对村数、需求清单或资源清单",
)
def update_profile(request: HttpRequest, organization_id: int, payload: ProfileIn) -> Any:
    organization = selectors.organization_get(user=request.user, pk=organization_id)
    changes: dict[str, Any] = {}
    if payload.capacity is not None:
        changes["capacity"] = payload.capacity
    vocabulary = {r.code: r for r in selectors.resource_choices()}
    for name in ("needs", "resources"):
        codes = getattr(payload, name)
        if codes is not None:
            unknown = [c for c in codes if c not in vocabulary]
            if unknown:
                from django.core.exceptions import ValidationError

                raise ValidationError({name: [_("未知的类别：%(join)s") % {"join": '、'.join(unknown)}]})
            changes[name] = [vocabulary[c] for c in codes]
    return services.organization_update(actor=request.user, organization=organization, **changes)


@router.get("/people/", response=list[PersonOut], summary="人员列表（个人信息已打码）")
@paginate(BoundedPageNumberPagination, page_size=50)
def list_people(request: HttpRequest, q: str = "", organization_id: int | None = None) -> Any:
    return selectors.person_list(user=request.user, query=q, organization_id=organization_id)


@router.get("/people/{int:person_id}", response={200: PersonOut, 404: ErrorOut}, summary="人员详情（个人信息已打码）")
def get_person(request: HttpRequest, person_id: int) -> Any:
    return selectors.person_get(user=request.user, pk=person_id)

"""Writes to the registry. Each runs in one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audit_event, audited, snapshot
from gongjian.orgs.models import Organization, Person, Region, Resource, Tag, VillageFigure
from gongjian.orgs.personal_data import id_number_problem
from gongjian.orgs.scope import can_edit_profile, can_manage, can_view_personal_data, in_scope, is_within, subtree
from gongjian.orgs.search import search_keys

ORGANIZATION_FIELDS = ["code", "name", "parent_id", "level", "kind", "line", "region_id", "capacity", "is_active"]
# Fields an organization's own users may change; the rest are the administrators'.
PROFILE_FIELDS = frozenset({"capacity"})
PERSON_FIELDS = ["name", "organization_id", "post", "phone", "id_number", "is_party_member"]


def organization_snapshot(organization: Organization) -> dict[str, Any]:
    data = snapshot(organization, ORGANIZATION_FIELDS)
    if organization.pk is not None:
        data["tags"] = sorted(t.code for t in organization.tags.all())
        data["needs"] = sorted(r.code for r in organization.needs.all())
        data["resources"] = sorted(r.code for r in organization.resources.all())
    return data


def _set_path(organization: Organization) -> None:
    parent = organization.parent
    organization.path = f"{parent.path if parent else '/'}{organization.pk}/"
    organization.depth = parent.depth + 1 if parent else 0
    Organization.objects.filter(pk=organization.pk).update(path=organization.path, depth=organization.depth)


def _set_search_keys(organization: Organization | Person) -> None:
    organization.name_pinyin, organization.name_initials = search_keys(organization.name)


@audits_refusals
def organization_create(
    *,
    actor: Actor | None,
    parent: Organization | None,
    code: str,
    name: str,
    level: str,
    kind: str,
    line: str = "",
    region: Region | None = None,
    capacity: int = 0,
    tags: Iterable[Tag] = (),
    needs: Iterable[Resource] = (),
    resources: Iterable[Resource] = (),
) -> Organization:
    """Create an organization under ``parent`` (a root only when no actor: set-up and demo)."""
    if parent is None and actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("只有系统管理员可以创建根组织"))
    if parent is not None and actor is not None and not can_manage(actor, parent):
        raise PermissionDenied(_("无权在该组织下新建组织"))
    with audited("organization.create", actor=actor, scope_path=parent.path if parent else "") as record:
        organization = Organization(
            code=code,
            name=name,
            parent=parent,
            level=level,
            kind=kind,
            line=line,
            region=region,
            capacity=capacity,
        )
        _set_search_keys(organization)
        organization.full_clean(exclude=["path"])
        organization.save()
        _set_path(organization)
        organization.tags.set(list(tags))
        organization.needs.set(list(needs))
        organization.resources.set(list(resources))
        record.target = organization
        record.scope_path = organization.path
        record.after = organization_snapshot(organization)
    return organization


@audits_refusals
def organization_update(
    *,
    actor: Actor | None,
    organization: Organization,
    tags: Iterable[Tag] | None = None,
    needs: Iterable[Resource] | None = None,
    resources: Iterable[Resource] | None = None,
    **fields: Any,
) -> Organization:
    """Change an organization. Admins may change anything in their subtree; the
    organization's own users only its profile (capacity, needs, resources)."""
    structural = set(fields) - PROFILE_FIELDS
    if actor is not None:
        allowed = (
            can_manage(actor, organization) if structural or tags is not None else can_edit_profile(actor, organization)
        )
        if not allowed:
            raise PermissionDenied(_("无权修改该组织"))
        new_parent = fields.get("parent")
        if new_parent is not None and not can_manage(actor, new_parent):
            raise PermissionDenied(_("无权将组织移到该上级组织下"))
    with audited("organization.update", actor=actor, target=organization, scope_path=organization.path) as record:
        record.before = organization_snapshot(organization)
        old_path = organization.path
        for name, value in fields.items():
            setattr(organization, name, value)
        if "name" in fields:
            _set_search_keys(organization)
        new_parent = organization.parent
        if new_parent is not None and is_within(new_parent, old_path):
            raise ValidationError({"parent": _("不能把组织移到它自己的下级组织之下")})
        organization.full_clean(exclude=["path"])
        organization.save()
        if "parent" in fields or "parent_id" in fields:
            organization_subtree_move(organization, old_path)
        if tags is not None:
            organization.tags.set(list(tags))
        if needs is not None:
            organization.needs.set(list(needs))
        if resources is not None:
            organization.resources.set(list(resources))
        record.after = organization_snapshot(organization)
    return organization


def organization_subtree_move(organization: Organization, old_path: str) -> None:
    """Rewrite the paths of a moved organization's whole subtree in one statement."""
    old_depth = organization.depth
    _set_path(organization)
    if organization.path == old_path:
        return
    subtree(old_path).exclude(pk=organization.pk).update(
        path=Concat(Value(organization.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (organization.depth - old_depth),
    )


@audits_refusals
def village_figure_set(*, actor: Actor | None, village: Organization, year: int, **values: Any) -> VillageFigure:
    """Create or replace a village's figures for one year."""
    if actor is not None and not can_edit_profile(actor, village):
        raise PermissionDenied(_("无权修改该村的村情数据"))
    if not village.is_village:
        raise ValidationError(_("只有村党组织有村情数据"))
    figure = VillageFigure.objects.filter(village=village, year=year).first()
    with audited("village_figure.set", actor=actor, target=village, scope_path=village.path) as record:
        fields = ["year", "households", "population", "party_members", "collective_income"]
        if figure is None:
            figure = VillageFigure(village=village, year=year)
        else:
            record.before = snapshot(figure, fields)
        for name, value in values.items():
            setattr(figure, name, value)
        figure.full_clean()
        figure.save()
        record.after = snapshot(figure, fields)
    return figure


def region_get_or_create(*, name: str, level: str, parent: Region | None, division_code: str | None = None) -> Region:
    """Find a region by name under its parent, creating it (reference data, not audited per row)."""
    region, created = Region.objects.get_or_create(
        parent=parent, name=name, defaults={"level": level, "division_code": division_code or None}
    )
    if not created and division_code and region.division_code != division_code:
        region.division_code = division_code
        region.full_clean()
        region.save(update_fields=["division_code"])
    return region


def _check_person(person: Person) -> None:
    if person.erased_at is not None:
        raise ValidationError(_("该人员的个人信息已删除，不能再修改"))
    # Optional (个人信息保护法 第六条: the practice may not need it); checked when given.
    problem = id_number_problem(person.id_number) if person.id_number else None
    if problem:
        raise ValidationError({"id_number": problem})
    person.full_clean()


@audits_refusals
def person_create(
    *,
    actor: Actor | None,
    organization: Organization,
    name: str,
    id_number: str | None = None,
    post: str = "",
    phone: str = "",
    is_party_member: bool = True,
) -> Person:
    """Register a person in an organization of the actor's scope; the ID number is optional
    (collected only where the practice needs it)."""
    if actor is not None and not in_scope(actor, organization):
        raise PermissionDenied(_("无权在该组织登记人员"))
    with audited("person.create", actor=actor, scope_path=organization.path) as record:
        person = Person(
            organization=organization,
            name=name,
            id_number=(id_number or "").upper() or None,
            post=post,
            phone=phone,
            is_party_member=is_party_member,
        )
        _set_search_keys(person)
        _check_person(person)
        person.save()
        record.target = person
        record.after = snapshot(person, PERSON_FIELDS)
    return person


@audits_refusals
def person_update(*, actor: Actor | None, person: Person, **fields: Any) -> Person:
    """Change a person's record; moving them needs the target organization in scope too."""
    if actor is not None and not in_scope(actor, person.organization):
        raise PermissionDenied(_("无权修改该人员"))
    target_org = fields.get("organization")
    if actor is not None and target_org is not None and not in_scope(actor, target_org):
        raise PermissionDenied(_("无权将人员调入该组织"))
    with audited("person.update", actor=actor, target=person, scope_path=person.organization.path) as record:
        record.before = snapshot(person, PERSON_FIELDS)
        for name, value in fields.items():
            setattr(person, name, value)
        if "name" in fields:
            _set_search_keys(person)
        person.id_number = (person.id_number or "").upper() or None
        _check_person(person)
        person.save()
        record.after = snapshot(person, PERSON_FIELDS)
    return person


# What erasure removes (the name too: with the organization it identifies the person).
ERASED_FIELDS = ("name", "phone", "id_number", "post", "name_pinyin", "name_initials")
# The name an erased person keeps: data (stored, searched, exported), not interface text, so the
# same whatever the language of the administrator who erased it.
ERASED_NAME = "（个人信息已删除）"


@audits_refusals
def person_erase(*, actor: Actor, person: Person) -> Person:
    """Erase a person's personal data (个人信息保护法 第四十七条) while keeping the record, so
    that the pairings, visits and reports that name them stay whole: the name becomes a
    placeholder, phone, ID number and post are emptied. Only an administrator of the
    person's organization holding ``orgs.erase_personal_data``; audited without the erased
    values (the audit log must not keep what was erased)."""
    with audited("person.erase", actor=actor, target=person, scope_path=person.organization.path) as record:
        if not (in_scope(actor, person.organization) and can_manage(actor, person.organization)):
            raise PermissionDenied(_("无权删除该人员的个人信息"))
        if not actor.has_perm("orgs.erase_personal_data"):  # type: ignore[union-attr]
            raise PermissionDenied(_("您没有删除个人信息的权限"))
        if person.erased_at is not None:
            raise ValidationError(_("该人员的个人信息已删除"))
        person.name = ERASED_NAME
        person.phone = person.post = person.name_pinyin = person.name_initials = ""
        person.id_number = None
        person.erased_at = timezone.now()
        person.save()
        record.after = {"erased": list(ERASED_FIELDS), "erased_at": person.erased_at}
    return person


def person_reveal(*, actor: Actor, person: Person) -> dict[str, str]:
    """The full phone and ID number, for a user with the permission; every call is audited."""
    if not can_view_personal_data(actor):
        audit_event(
            "person.view_full",
            actor=actor,
            target=person,
            scope_path=person.organization.path,
            success=False,
            reason="无查看完整个人信息的权限",
        )
        raise PermissionDenied(_("无权查看完整的个人信息"))
    audit_event(
        "person.view_full",
        actor=actor,
        target=person,
        scope_path=person.organization.path,
        after={"fields": ["phone", "id_number"]},
    )
    return {"phone": person.phone, "id_number": person.id_number or ""}

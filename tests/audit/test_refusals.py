"""Refusals raised before a service's audited block leave a failure row of the service's
action — who, what, the reason, from where — and the chain stays whole (issue 12 item 9)."""

from __future__ import annotations

import ast
import pathlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.audit.context import RequestOrigin, reset_origin, set_origin
from gongjian.audit.models import AuditEntry
from gongjian.audit.refusals import Plan, audits_refusals, plan_of
from gongjian.audit.retention import verify_log
from gongjian.audit.services import audit_event, audited
from gongjian.core.errors import Refused
from gongjian.orgs.models import Person
from gongjian.orgs.services import person_erase, person_update, village_figure_set
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2] / "gongjian"


@pytest.fixture
def from_address() -> Any:
    """As if serving a request from 10.1.2.3 (the middleware sets this for every request)."""
    token = set_origin(RequestOrigin(ip_address="10.1.2.3", user_agent="pytest"))
    yield
    reset_origin(token)


def test_an_outsiders_refused_update_is_one_failure_row(cast: Cast, from_address: None) -> None:
    person = Person.objects.get(organization=cast.village)
    with pytest.raises(PermissionDenied):
        person_update(actor=cast.outsider, person=person, post="村委会主任")  # refused before its block
    row = AuditEntry.objects.get(success=False)  # exactly one
    assert (row.action, row.actor_username) == ("person.update", "outsider")
    assert (row.object_type, row.object_id) == ("orgs.person", str(person.pk))
    assert row.scope_path == cast.village.path
    assert row.reason == "无权修改该人员"
    assert row.ip_address == "10.1.2.3"
    assert row.after == {"refused_before_write": True, "refusal": "PermissionDenied"}
    assert Person.objects.get(pk=person.pk).post == "党支部书记"
    assert verify_log().first_break is None


def test_a_rule_refusal_before_the_block_is_one_failure_row(cast: Cast, from_address: None) -> None:
    with pytest.raises(ValidationError):
        village_figure_set(actor=cast.city_admin, village=cast.unit, year=2026, households=10)  # not a village
    row = AuditEntry.objects.get(success=False)
    assert (row.action, row.actor_username, row.object_id) == ("village_figure.set", "city", str(cast.unit.pk))
    assert row.reason == "只有村党组织有村情数据"  # the message, not a ValidationError's repr
    assert row.ip_address == "10.1.2.3"
    assert verify_log().first_break is None


def test_a_refusal_inside_the_block_is_not_written_twice(cast: Cast) -> None:
    person = Person.objects.get(organization=cast.village)
    with pytest.raises(PermissionDenied):
        person_erase(actor=cast.outsider, person=person)
    assert AuditEntry.objects.filter(success=False).count() == 1


@audits_refusals
def thing_do(*, actor: Any, person: Person, by_hand: bool = False) -> None:
    """A service that records one refusal by hand and lets the decorator record the other."""
    if by_hand:
        audit_event("thing.do", actor=actor, target=person, success=False, reason="规则不允许")
        raise Refused("规则不允许")
    if person.erased_at is None:
        raise Refused("尚未删除")
    with audited("thing.do", actor=actor, target=person):
        pass


@pytest.mark.parametrize("by_hand", [True, False])
def test_one_row_whether_recorded_by_hand_or_by_the_decorator(cast: Cast, by_hand: bool) -> None:
    person = Person.objects.get(organization=cast.village)
    with pytest.raises(Refused):
        thing_do(actor=cast.city_admin, person=person, by_hand=by_hand)
    row = AuditEntry.objects.get(success=False)
    assert (row.action, row.object_id) == ("thing.do", str(person.pk))


def _calls_audited(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "audited" for n in ast.walk(function)
    )


def _acts(function: ast.FunctionDef) -> bool:
    """Someone acts (a service, or a view-level service given the request); a system task
    without an actor (a cleanup command) refuses nobody."""
    names = {a.arg for a in [*function.args.args, *function.args.kwonlyargs]}
    return bool(names & {"actor", "request"})


def _decorated(function: ast.FunctionDef) -> bool:
    return any(ast.unparse(d) == "audits_refusals" for d in function.decorator_list)


def test_every_service_with_an_audited_block_audits_its_refusals() -> None:
    """What keeps the mechanism whole: a new service cannot forget the decorator."""
    missing, astray = [], []
    for path in sorted(ROOT.rglob("*.py")):
        if path.parent.name == "audit" or "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            where = f"{path.relative_to(ROOT.parent)}::{node.name}"
            if not node.name.startswith("_") and _acts(node) and _calls_audited(node) and not _decorated(node):
                missing.append(where)
            if _decorated(node) and not _calls_audited(node):
                astray.append(where)  # no block to name its refusals after
    assert not missing, missing
    assert not astray, astray


def test_the_row_names_what_the_block_names() -> None:
    assert plan_of(person_update) == Plan("person.update", None, ("person",), ("person", "organization", "path"))
    assert plan_of(thing_do) == Plan("thing.do", None, ("person",), None)

"""Refusals raised before a service's audited block are audited too (issue 12 item 9).

A service checks the actor's scope or a rule first and opens ``with audited(...)`` only for
the write; a refusal raised before that block never reached the audit log (or reached it
only as the page's 403, without the action, the object or the reason). Wrapping the service
in :func:`audits_refusals` records any such refusal as a failure row of the service's own
action — who, what (action and object), the reason and from where (the request's address) —
whichever line of the service raised it, and lets it propagate unchanged.

The action, the object and the scope are read from the service's own ``audited(...)`` call
(its source parsed once, at the first refusal: nothing at import), so that the failure row
names what the success row would have named.
"""

from __future__ import annotations

import ast
import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from gongjian.audit.services import (
    AuditRecord,
    flush_failures,
    is_recorded,
    last_failure,
    mark_recorded,
    refusal_reason,
    save_failure,
)
from gongjian.core.errors import Refused
from gongjian.core.tabular import TableRejected

# What a service raises when it will not do what it was asked.
REFUSALS: tuple[type[Exception], ...] = (Refused, PermissionDenied, ValidationError, TableRejected, Http404)

P = ParamSpec("P")
R = TypeVar("R")

# A parameter and the attributes to follow from it: ("person", "organization", "path").
Steps = tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What a service's refusal row names, read from its ``audited(...)`` call."""

    action: str  # the literal action; or the fallback <entity>.<verb> of the function's name
    action_from: Steps | None  # the action is a parameter (``audited(action, …)``)
    target: Steps | None
    scope_path: Steps | None


def _path(node: ast.expr | None, parameters: set[str]) -> Steps | None:
    """``person.organization.path`` → ("person", "organization", "path") when ``person`` is a
    parameter of the service; anything else (a local variable, a call) → None."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.insert(0, node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in parameters:
        return (node.id, *attributes)
    return None


@functools.cache
def _functions_in(filename: str) -> dict[tuple[str, int], ast.FunctionDef]:
    """The functions of a source file by (name, first line with its decorators): each file
    is read and parsed once, and only when one of its services first refuses."""
    tree = ast.parse(Path(filename).read_text(encoding="utf-8"))
    return {
        (node.name, min([node.lineno, *(d.lineno for d in node.decorator_list)])): node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }


def plan_of(func: Callable[..., Any]) -> Plan:
    """Read the service's first ``audited(...)`` call; without one (or without its source),
    the action is the function's name as ``<entity>.<verb>`` and the object its first record."""
    code = inspect.unwrap(func).__code__
    entity, _, verb = func.__name__.partition("_")
    fallback = Plan(action=f"{entity}.{verb}", action_from=None, target=None, scope_path=None)
    try:
        function = _functions_in(code.co_filename).get((func.__name__, code.co_firstlineno))
    except (OSError, SyntaxError):
        return fallback
    parameters = set(inspect.signature(func).parameters)
    for node in ast.walk(function) if function is not None else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "audited":
            first = node.args[0] if node.args else None
            keywords = {k.arg: k.value for k in node.keywords}
            literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            return Plan(
                action=literal or fallback.action,
                action_from=None if literal else _path(first, parameters),
                target=_path(keywords.get("target"), parameters),
                scope_path=_path(keywords.get("scope_path"), parameters),
            )
    return fallback


def _follow(arguments: Mapping[str, Any], path: Steps | None) -> Any:
    if path is None or path[0] not in arguments:
        return None
    value = arguments[path[0]]
    try:
        for attribute in path[1:]:
            value = getattr(value, attribute)
    except (AttributeError, ObjectDoesNotExist):
        return None
    return value


def _record(plan: Plan, arguments: Mapping[str, Any], exc: BaseException) -> None:
    actor = arguments.get("actor")
    if actor is None and "request" in arguments:
        actor = getattr(arguments["request"], "user", None)
    if not isinstance(actor, AbstractBaseUser | AnonymousUser):
        actor = None
    target = _follow(arguments, plan.target)
    if not isinstance(target, models.Model):
        # The object to be written does not exist yet (a create) or is a local: the first
        # record the service was given (the organization a person was to be added to…).
        target = next(
            (v for k, v in arguments.items() if k != "actor" and isinstance(v, models.Model) and v.pk is not None),
            None,
        )
    scope_path = _follow(arguments, plan.scope_path)
    if not isinstance(scope_path, str):
        scope_path = getattr(target, "path", "") if isinstance(getattr(target, "path", None), str) else ""
    action = _follow(arguments, plan.action_from) if plan.action_from else None
    record = AuditRecord(
        action=action if isinstance(action, str) and action else plan.action,
        actor=actor,
        target=target,
        scope_path=scope_path,
    )
    record.extra = {"refused_before_write": True, "refusal": type(exc).__name__}
    flush_failures()
    save_failure(record.entry(success=False, reason=refusal_reason(exc)))


def audits_refusals(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service (``<entity>_<verb>(*, actor, …)`` with an ``audited`` block): a
    refusal it raises that no audit row records yet — raised before its block, or by a
    check it calls — is written as a failure row of its action, then re-raised."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def service(*args: P.args, **kwargs: P.kwargs) -> R:
        before = last_failure()
        try:
            return func(*args, **kwargs)
        except REFUSALS as exc:
            # Already on record: by the block itself (the exception is marked), by an inner
            # service, or by an explicit audit_event(success=False) just before the raise.
            latest = last_failure()
            by_hand = latest is not None and latest is not before and latest[1] == refusal_reason(exc)
            if not is_recorded(exc) and not by_hand:
                _record(plan_of(func), signature.bind_partial(*args, **kwargs).arguments, exc)
                mark_recorded(exc)
            raise

    service.audits_refusals = True  # type: ignore[attr-defined]
    return service

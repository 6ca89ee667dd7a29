"""Refusals raised before a service's audited block are audited too (issue 12 item 9).

A service checks the actor's scope or a rule first and opens ``with audited(...)`` only for
the write; a refusal raised before that block never reached the audit log (or reached it
only as the page's 403, without the action, the object or the reason). Wrapping the service
in :func:`audits_refusals` records any such refusal as a failure row of the service's own
action — who, what (action and object), the reason and from where (the request's address) —
whichever line of the service raised it, and lets it propagate unchanged.

The action, the object and the scope are read once, at import, from the service's own
``audited(...)`` call, so that the failure row names what the success row would have named.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
Path = tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What a service's refusal row names, read from its ``audited(...)`` call."""

    action: str  # the literal action; or the fallback <entity>.<verb> of the function's name
    action_from: Path | None  # the action is a parameter (``audited(action, …)``)
    target: Path | None
    scope_path: Path | None


def _path(node: ast.expr | None, parameters: set[str]) -> Path | None:
    """``person.organization.path`` → ("person", "organization", "path") when ``person`` is a
    parameter of the service; anything else (a local variable, a call) → None."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.insert(0, node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in parameters:
        return (node.id, *attributes)
    return None


def plan_of(func: Callable[..., Any]) -> Plan:
    """Read the service's first ``audited(...)`` call. A function without one is not a
    service this decorator is for: TypeError at import, not a silent gap."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    parameters = set(inspect.signature(func).parameters)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "audited":
            first = node.args[0] if node.args else None
            keywords = {k.arg: k.value for k in node.keywords}
            entity, _, verb = func.__name__.partition("_")
            literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            return Plan(
                action=literal or f"{entity}.{verb}",
                action_from=None if literal else _path(first, parameters),
                target=_path(keywords.get("target"), parameters),
                scope_path=_path(keywords.get("scope_path"), parameters),
            )
    raise TypeError(f"{func.__qualname__} has no audited(...) block to name its refusals after")


def _follow(arguments: Mapping[str, Any], path: Path | None) -> Any:
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
    plan = plan_of(func)
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
                _record(plan, signature.bind_partial(*args, **kwargs).arguments, exc)
                mark_recorded(exc)
            raise

    service.audits_refusals = plan  # type: ignore[attr-defined]
    return service

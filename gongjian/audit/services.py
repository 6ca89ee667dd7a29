"""Writing the audit log. Every service that writes calls :func:`audited`."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from gongjian.audit.context import current_origin
from gongjian.audit.models import AuditEntry
from gongjian.core.fields import EncryptedCharField

# Whoever acts: a signed-in user, an anonymous visitor, or None for the system itself.
Actor = AbstractBaseUser | AnonymousUser


def jsonable(value: Any) -> Any:
    """Turn a value into something JSON can hold, keeping it readable for auditors."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


@dataclass
class AuditRecord:
    """What a service fills in while it works; written when the block ends."""

    action: str
    actor: Actor | None
    target: models.Model | None = None
    scope_path: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def entry(self, *, success: bool, reason: str = "") -> AuditEntry:
        origin = current_origin()
        actor = self.actor if self.actor is not None and self.actor.is_authenticated else None
        target = self.target
        return AuditEntry(
            actor_id=actor.pk if actor else None,
            actor_username=actor.get_username() if actor else "",
            action=self.action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None and target.pk is not None else "",
            object_repr=str(target)[:255] if target is not None else "",
            scope_path=self.scope_path,
            before=jsonable(self.before),
            after=jsonable({**(self.after or {}), **self.extra}) if (self.after or self.extra) else None,
            ip_address=origin.ip_address if origin else None,
            user_agent=origin.user_agent if origin else "",
            success=success,
            reason=(reason or self.reason)[:4000],
        )


@contextmanager
def audited(
    action: str,
    *,
    actor: Actor | None,
    target: models.Model | None = None,
    scope_path: str = "",
) -> Iterator[AuditRecord]:
    """Run a write in one transaction that also writes its audit row.

    If the block raises, the write is rolled back and a failure row is written in its own
    transaction (so the failure is on record even though the change is not), then the
    exception propagates.
    """
    record = AuditRecord(action=action, actor=actor, target=target, scope_path=scope_path)
    try:
        with transaction.atomic():
            yield record
            record.entry(success=True).save()
    except Exception as exc:
        with transaction.atomic():
            record.entry(success=False, reason=str(exc) or type(exc).__name__).save()
        raise


def audit_event(
    action: str,
    *,
    actor: Actor | None,
    target: models.Model | None = None,
    scope_path: str = "",
    after: dict[str, Any] | None = None,
    success: bool = True,
    reason: str = "",
) -> AuditEntry:
    """Record an event that is not itself a write: a full view of personal data, a login, an export."""
    record = AuditRecord(action=action, actor=actor, target=target, scope_path=scope_path, after=after)
    entry = record.entry(success=success, reason=reason)
    entry.save()
    return entry


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of an instance, for before/after. An encrypted field (a phone, an ID
    number) is kept masked: the log is read by auditors, the full value only by the reveal."""
    return {name: jsonable(_audit_value(instance, name)) for name in fields}


def _audit_value(instance: models.Model, name: str) -> Any:
    value = getattr(instance, name)
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    return field.audit_value(value) if isinstance(field, EncryptedCharField) else value

"""Writing the audit log. Every service that writes calls :func:`audited`."""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.signals import request_finished
from django.db import OperationalError, connections, models, router, transaction

from gongjian.audit import chain
from gongjian.audit.context import current_origin
from gongjian.audit.models import AuditEntry
from gongjian.core.errors import Refused
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
    flush_failures()
    try:
        with transaction.atomic():
            yield record
            record.entry(success=True).save()
    except Exception as exc:
        save_failure(record.entry(success=False, reason=refusal_reason(exc)))
        mark_recorded(exc)
        raise


def refusal_reason(exc: BaseException) -> str:
    """The refusal in the words the user was shown (a ValidationError's messages, not its repr)."""
    if isinstance(exc, Refused):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or type(exc).__name__


def mark_recorded(exc: BaseException) -> None:
    """Note on the exception that its failure row is written, so that the service wrapping
    the block (gongjian.audit.refusals) does not write a second one."""
    exc.gongjian_audited = True  # type: ignore[attr-defined]


def is_recorded(exc: BaseException) -> bool:
    """Whether :func:`mark_recorded` noted the exception."""
    return bool(getattr(exc, "gongjian_audited", False))


# The last failure row this thread wrote: (a serial, its reason). A service that records its
# refusal by hand (audit_event(success=False), then raise) is not recorded twice.
_serial = itertools.count()
_last_failure: ContextVar[tuple[int, str] | None] = ContextVar("gongjian_last_failure", default=None)


def last_failure() -> tuple[int, str] | None:
    """The last failure row written in this context, as (serial, reason)."""
    return _last_failure.get()


# A second connection to the same database (settings.DATABASES), for failure rows that must
# outlive the caller's transaction.
FAILURE_ALIAS = "audit"
# How long the second connection waits for the chain's lock before the row goes the other way.
FAILURE_LOCK_TIMEOUT = "5s"


def _in_outer_transaction(using: str) -> bool:
    """Whether a transaction of the caller's is open and may roll back on its own. Inside a
    test case's wrapping transaction the answer is no: the whole test rolls back together,
    and a row committed elsewhere would outlive the test."""
    blocks = connections[using].atomic_blocks
    return bool(blocks) and not any(getattr(block, "_from_testcase", False) for block in blocks)


def save_failure(entry: AuditEntry) -> None:
    """Write a failure row so that it stays on record even when the transaction around the
    refused write rolls back (issue 12.9).

    - No transaction of the caller's open: written at once (autocommit).
    - One open (PostgreSQL): written and committed through the second connection
      :data:`FAILURE_ALIAS`, chained under the same advisory lock as every append.
    - That transaction already appended chained rows and so holds the lock (the second
      connection would wait for it forever): written inside it, so that the chain stays
      one line, and kept aside; if the transaction rolled back instead of committing, the
      row is written again after it (:func:`flush_failures`, run by the next audit write
      of the thread and at the end of every request).
    - The lock taken elsewhere for longer than :data:`FAILURE_LOCK_TIMEOUT` (that session
      may be waiting for a row this transaction holds): kept aside and written once this
      transaction has ended, whichever way.
    - SQLite (one writer at a time): inside the transaction, as before.
    """
    _last_failure.set((next(_serial), entry.reason))
    using = router.db_for_write(AuditEntry)
    connection = connections[using]
    if not _in_outer_transaction(using) or connection.vendor != "postgresql" or FAILURE_ALIAS not in connections:
        with transaction.atomic(using=using):
            entry.save(using=using)
        return
    if not chain.holds_chain_lock(using):
        try:
            with transaction.atomic(using=FAILURE_ALIAS):
                with connections[FAILURE_ALIAS].cursor() as cursor:
                    # Another session holding the chain's lock may itself wait for a row this
                    # thread's transaction holds: across two connections PostgreSQL cannot see
                    # that deadlock, so the wait is bounded and the row falls back below.
                    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [FAILURE_LOCK_TIMEOUT])
                entry.save(using=FAILURE_ALIAS)
            return
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", "") != "55P03":  # lock_not_available
                raise
            # Not written anywhere yet: kept aside and written once this transaction has
            # ended, committed or not (waiting here inside it could close that deadlock).
            entry.pk = entry.id = None
            connection.__dict__.setdefault("gongjian_failed_audit", []).append(entry)
            return
        except AssertionError as exc:
            if type(exc).__name__ != "DatabaseOperationForbidden":
                raise
            # A test that did not allow the second alias: the row stays in the transaction.
            with transaction.atomic(using=using):
                entry.save(using=using)
            return
    with transaction.atomic(using=using):
        entry.save(using=using)
    connection.__dict__.setdefault("gongjian_failed_audit", []).append(entry)


def flush_failures(**_signal: Any) -> None:
    """Once the transaction has ended, write the failure rows kept aside (see
    :func:`save_failure`): those it took with it when it rolled back, and those not written
    yet. A row still there was committed (ids are never reused: a missing id is a rollback)."""
    using = router.db_for_write(AuditEntry)
    connection = connections[using]
    pending: list[AuditEntry] = connection.__dict__.get("gongjian_failed_audit", [])
    if not pending or _in_outer_transaction(using):
        return
    kept = set(AuditEntry.objects.using(using).filter(pk__in=[e.pk for e in pending]).values_list("pk", flat=True))
    while pending:
        entry = pending.pop(0)
        if entry.pk in kept:
            continue
        entry.pk = entry.id = None  # a first copy rolled back with its transaction
        with transaction.atomic(using=using):
            entry.save(using=using)


request_finished.connect(flush_failures, dispatch_uid="gongjian.audit.flush_failures")


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
    flush_failures()
    if success:
        entry.save()
    else:
        save_failure(entry)  # a refusal stays on record whatever the caller's transaction does
    return entry


def export_recorded(
    action: str, *, actor: Actor | None, scope_path: str, target: models.Model | None = None, **facts: Any
) -> AuditEntry:
    """Put an export on record — the one writer of every export's audit row (tables, workbooks,
    ledgers, the audit log itself): who, which part of the tree, and what left (its format,
    whether personal data left unmasked, its counts, as ``facts``). Called by the module that
    builds the file, never by a view, so that a page, the API and a job exporting the same
    table write the same row."""
    return audit_event(action, actor=actor, target=target, scope_path=scope_path, after=facts or None)


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

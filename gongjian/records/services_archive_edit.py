"""Correcting and removing an archive entry (visit, 六个一, 五送) recorded by mistake.

The same rule as recording (only the unit side, only while the pairing is signed) and the
same checks as the matching ``*_create`` in :mod:`gongjian.records.services_archive`. Every
change is one transaction with its audit row, holding what the entry was (``before``) and
what it became (``after``), so a correction never erases what had been reported. Files
(photos, evidence) leave the storage only after the commit: a rollback must not leave a row
pointing at a file that is gone.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext

from gongjian.accounts.models import User
from gongjian.audit.services import AuditRecord, audited, snapshot
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import Delivery, SixMustRecord, Visit, VisitPhoto
from gongjian.records.services_archive import (
    _require_unit,
    check_photo_count,
    check_photos,
    delivery_values,
    six_must_values,
    visit_values,
)

VISIT_FIELDS = ["date", "visitor_level", "visitors", "content"]
SIX_MUST_FIELDS = ["date", "kind", "content", "evidence"]
DELIVERY_FIELDS = ["date", "kind", "content", "amount"]

M = TypeVar("M", bound=models.Model)


def _lock(model: type[M], pk: int) -> M:
    """The row, locked for the rest of the transaction (two phones editing one entry wait in turn)."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise RecordActionRefused(gettext("该记录已被删除"), code="gone") from exc


def _apply(locked: models.Model, values: dict[str, Any], *also: str) -> None:
    """Put the checked values on the locked row and save those columns (and ``also``)."""
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*values, *also])


def _delete_files_after_commit(files: Sequence[FieldFile]) -> None:
    for file in files:
        if file.name:
            transaction.on_commit(functools.partial(file.storage.delete, file.name))


def _photo_files(visit: Visit) -> list[FieldFile]:
    return [photo.image for photo in visit.photos.all()]


def _evidence_files(item: SixMustRecord) -> list[FieldFile]:
    return [item.evidence] if item.evidence else []


def _no_files(item: Delivery) -> list[FieldFile]:
    return []


@contextmanager
def _correcting(*, actor: User, item: M, action: str, fields: list[str]) -> Iterator[tuple[M, AuditRecord]]:
    """What the three updates share: one audited transaction around the locked row, with its
    fields before and after (a service adds its own facts to the record)."""
    pairing = item.pairing  # type: ignore[attr-defined]
    with audited(action, actor=actor, target=item, scope_path=pairing.village.path) as record:
        locked = _lock(type(item), item.pk)
        record.before = snapshot(locked, fields)
        yield locked, record
        record.after = snapshot(locked, fields)


def _delete_entry(
    *,
    actor: User,
    item: M,
    action: str,
    fields: list[str],
    files_of: Callable[[M], list[FieldFile]],
) -> None:
    """What the three deletes share: lock, keep the whole entry in the audit row, delete, and
    drop its files once committed."""
    pairing = item.pairing  # type: ignore[attr-defined]
    _require_unit(actor, pairing)
    with audited(action, actor=actor, target=item, scope_path=pairing.village.path) as record:
        locked = _lock(type(item), item.pk)
        files = files_of(locked)
        record.before = snapshot(locked, ["pairing_id", *fields]) | {"files": [f.name for f in files]}
        # Through the queryset: Model.delete() would blank the pk the audit row names.
        type(item)._default_manager.filter(pk=locked.pk).delete()
        _delete_files_after_commit(files)


def visit_update(
    *,
    actor: User,
    visit: Visit,
    date: datetime.date,
    visitor_level: str,
    visitors: str,
    content: str,
    photos: Sequence[UploadedFile] = (),
    remove_photos: Collection[int] = (),
) -> Visit:
    """The unit corrects a visit: its fields, new photos (at most MAX_PHOTOS in all) and the
    photos chosen for removal (ids of other visits' photos are ignored)."""
    _require_unit(actor, visit.pairing)
    values = visit_values(date=date, visitor_level=visitor_level, visitors=visitors, content=content)
    check_photos(photos)  # each file, before the transaction; the total once the row is locked
    with _correcting(actor=actor, item=visit, action="visit.update", fields=VISIT_FIELDS) as (locked, record):
        current = list(locked.photos.order_by("pk"))
        dropped = [photo for photo in current if photo.pk in set(remove_photos)]
        check_photo_count(len(photos), kept=len(current) - len(dropped))
        _apply(locked, values)
        VisitPhoto.objects.filter(pk__in=[photo.pk for photo in dropped]).delete()
        for photo in photos:
            VisitPhoto.objects.create(visit=locked, image=photo)
        _delete_files_after_commit([photo.image for photo in dropped])
        record.before = (record.before or {}) | {"photos": len(current)}
        record.extra["photos"] = len(current) - len(dropped) + len(photos)  # joins ``after``
    return locked


def visit_delete(*, actor: User, visit: Visit) -> None:
    """The unit removes a visit recorded by mistake, with its photos."""
    _delete_entry(actor=actor, item=visit, action="visit.delete", fields=VISIT_FIELDS, files_of=_photo_files)


def six_must_update(
    *,
    actor: User,
    item: SixMustRecord,
    date: datetime.date,
    kind: str,
    content: str,
    evidence: UploadedFile | None = None,
    remove_evidence: bool = False,
) -> SixMustRecord:
    """The unit corrects a 六个一 record; a new evidence file replaces the old one,
    ``remove_evidence`` drops it."""
    _require_unit(actor, item.pairing)
    values = six_must_values(date=date, kind=kind, content=content, evidence=evidence)
    with _correcting(actor=actor, item=item, action="six_must.update", fields=SIX_MUST_FIELDS) as (locked, _):
        old = _evidence_files(locked)
        if evidence is not None:
            locked.evidence = evidence  # type: ignore[assignment]
        elif remove_evidence:
            locked.evidence = ""  # type: ignore[assignment]
        else:
            old = []  # the evidence stays
        _apply(locked, values, "evidence")
        _delete_files_after_commit(old)
    return locked


def six_must_delete(*, actor: User, item: SixMustRecord) -> None:
    """The unit removes a 六个一 record recorded by mistake, with its evidence file."""
    _delete_entry(actor=actor, item=item, action="six_must.delete", fields=SIX_MUST_FIELDS, files_of=_evidence_files)


def delivery_update(
    *,
    actor: User,
    item: Delivery,
    date: datetime.date,
    kind: str,
    content: str,
    amount: Decimal | None = None,
) -> Delivery:
    """The unit corrects a 五送 record."""
    _require_unit(actor, item.pairing)
    values = delivery_values(date=date, kind=kind, content=content, amount=amount)
    with _correcting(actor=actor, item=item, action="delivery.update", fields=DELIVERY_FIELDS) as (locked, _):
        _apply(locked, values)
    return locked


def delivery_delete(*, actor: User, item: Delivery) -> None:
    """The unit removes a 五送 record recorded by mistake."""
    _delete_entry(actor=actor, item=item, action="delivery.delete", fields=DELIVERY_FIELDS, files_of=_no_files)

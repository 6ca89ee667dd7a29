"""Personal data encrypted at rest (GB/T 39786; issue 12.8): model fields whose column holds
SM4 ciphertext, with a keyed SM3 blind index beside it for exact lookups and uniqueness.

How a model uses them::

    class Person(EncryptedModel):
        phone = EncryptedCharField(_("手机号码"), max_length=20, blank=True, kind="phone", mask=mask_phone)
        phone_index = BlindIndexField(source="phone")

- In Python the attribute holds the plaintext; the column holds ``sm4:<key id>:<base64>``
  (:func:`gongjian.core.crypto.sm4_encrypt`), written on every save, ``update()`` and
  ``bulk_update()``, read back through :func:`gongjian.core.crypto.sm4_decrypt`.
  ``max_length`` limits the plaintext (forms, ``full_clean``); the column is ``text``.
- The index column holds HMAC-SM3 of the normalised value under the separate index key.
  **Lookups are compiled onto it**: ``exact`` and ``in`` on an encrypted field are custom
  lookups (``BlindExact``, ``BlindIn``) whose SQL compares the index column with the
  digests of the values, so ``Person.objects.filter(phone=…)``,
  ``filter(id_number__in=[…])`` and ``filter(person__id_number__in=[…])`` read as before.
  Every other lookup (``icontains``, ``startswith``, ordering comparisons) is refused with a
  ``FieldError``: the database cannot compare what it does not hold. Uniqueness is a
  unique index column.
- :class:`EncryptedModel` keeps the index in step where Django would not call the index
  field's ``pre_save``: ``save(update_fields=[…])``, ``QuerySet.update()`` and
  ``bulk_update()``. A system check (``gongjian.E101``/``E102``) refuses a model with an
  encrypted field that lacks its index or that mixin.
- An empty value stays empty (its index too); a nullable field stores an empty value as
  NULL, so that a unique index holds any number of them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib.auth.models import UserManager
from django.core import checks
from django.core.exceptions import NON_FIELD_ERRORS, EmptyResultSet, FieldError, ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Col
from django.dispatch import receiver

from gongjian.core.crypto import blind_index, data_keys, key_id_of, reset_data_keys, sm4_decrypt, sm4_encrypt

BATCH = 1000


def normalise(kind: str, value: str) -> str:
    """The form a value is indexed in: a phone without spaces and dashes, an ID number in
    capitals (the check character ``x``), anything else without surrounding blanks."""
    value = value.strip()
    if kind == "phone":
        return value.replace(" ", "").replace("-", "")
    if kind == "id_number":
        return value.upper()
    return value


class EncryptedCharField(models.CharField):  # type: ignore[type-arg]
    """A short text stored as SM4 ciphertext (see the module docstring).

    ``kind`` names what the value is (``phone``, ``id_number``): it chooses the
    normalisation and separates the blind indexes of different kinds. ``mask`` (not a
    database property, so not in migrations) turns a value into what the audit log may keep.
    """

    def __init__(self, *args: Any, kind: str, mask: Callable[[str], str] | None = None, **kwargs: Any) -> None:
        self.kind = kind
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        # Ciphertext is longer than the plaintext ``max_length`` allows for.
        return "TextField"

    @property
    def index_field(self) -> BlindIndexField | None:
        for field in self.model._meta.local_fields:
            if isinstance(field, BlindIndexField) and field.source == self.name:
                return field
        return None

    def from_db_value(self, value: str | None, expression: Any, connection: BaseDatabaseWrapper) -> str | None:
        if not value:
            return value
        return sm4_decrypt(data_keys(), value)

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        if hasattr(value, "as_sql"):
            return value  # an expression (bulk_update's CASE): its values are encrypted one by one
        value = self.get_prep_value(value)
        if value is None or value == "":
            return None if self.null else ""
        return sm4_encrypt(data_keys(), value)

    def digest(self, value: Any) -> str | None:
        """The blind index of ``value`` as this field stores it (None for a stored NULL)."""
        if value is None:
            return None
        value = str(value)
        if value == "":
            return None if self.null else ""
        return blind_index(data_keys(), self.kind, normalise(self.kind, value))

    def audit_value(self, value: Any) -> Any:
        """What the audit log keeps of a value: the mask, never the full value."""
        if not value:
            return value
        return self.mask(str(value)) if self.mask else "***"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"exact", "in", "isnull"}:
            return None  # Django answers with a FieldError naming the lookup
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed SM3 index of the encrypted field named ``source`` on the same model,
    computed whenever the row is written; never edited by hand."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def source_field(self) -> EncryptedCharField:
        field = self.model._meta.get_field(self.source)
        assert isinstance(field, EncryptedCharField)
        return field

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        source = self.source_field()
        value = source.digest(getattr(model_instance, source.attname))
        setattr(model_instance, self.attname, value)
        return value


def _index_column(lookup: models.Lookup) -> tuple[EncryptedCharField, Col]:
    lhs = lookup.lhs
    field = lhs.output_field
    if not isinstance(lhs, Col) or not isinstance(field, EncryptedCharField):
        raise FieldError("加密字段只能直接按值查询")
    index = field.index_field
    if index is None:
        raise FieldError(f"{field.model._meta.label}.{field.name} 没有盲索引，不能按值查询")
    return field, Col(lhs.alias, index)


def _plain(value: Any) -> str | None:
    if hasattr(value, "resolve_expression"):
        raise FieldError("加密字段只能与具体的值比较，不能与表达式或子查询比较")
    return None if value is None else str(value)


@EncryptedCharField.register_lookup
class BlindExact(models.Lookup):
    """``field=value`` as ``field_index = HMAC-SM3(value)``."""

    lookup_name = "exact"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return _plain(self.rhs)

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        field, column = _index_column(self)
        sql, params = compiler.compile(column)
        digest = field.digest(self.rhs)
        if digest is None:
            return f"{sql} IS NULL", tuple(params)
        return f"{sql} = %s", (*params, digest)


@EncryptedCharField.register_lookup
class BlindIn(models.Lookup):
    """``field__in=values`` as ``field_index IN (digests)``."""

    lookup_name = "in"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression") or isinstance(self.rhs, str):
            raise FieldError("加密字段的 __in 查询只能给出值的列表")
        return [v for v in (_plain(v) for v in self.rhs) if v is not None]

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        field, column = _index_column(self)
        digests = sorted({d for d in (field.digest(v) for v in self.rhs) if d is not None})
        if not digests:
            raise EmptyResultSet
        sql, params = compiler.compile(column)
        return f"{sql} IN ({', '.join(['%s'] * len(digests))})", (*params, *digests)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def _index_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The index fields that go with the encrypted fields among ``names``."""
    names = set(names)
    return [
        index.name
        for field in encrypted_fields(model)
        if (field.name in names or field.attname in names)
        and (index := field.index_field) is not None
        and index.name not in names
    ]


class EncryptedQuerySet(models.QuerySet[Any]):
    """``update()`` and ``bulk_update()`` that write the blind index with the value."""

    def update(self, **kwargs: Any) -> int:
        for field in encrypted_fields(self.model):
            index = field.index_field
            if field.name in kwargs and index is not None and index.name not in kwargs:
                kwargs[index.name] = field.digest(_plain(kwargs[field.name]))
        return super().update(**kwargs)

    def bulk_update(self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None) -> int:
        objs, fields = list(objs), list(fields)
        extra = _index_names(self.model, fields)
        for name in extra:
            index = self.model._meta.get_field(name)
            for obj in objs:
                index.pre_save(obj, False)
        return super().bulk_update(objs, [*fields, *extra], batch_size=batch_size)


class EncryptedManager(models.Manager.from_queryset(EncryptedQuerySet)):  # type: ignore[misc]
    """The default manager of a model with encrypted fields."""


class EncryptedUserManager(UserManager.from_queryset(EncryptedQuerySet)):  # type: ignore[misc]
    """The user model's manager with the same ``update()``/``bulk_update()``."""


class EncryptedModel(models.Model):
    """Base of a model with encrypted fields: its index goes with its value in
    ``save(update_fields=…)`` too."""

    objects: ClassVar[models.Manager[Any]] = EncryptedManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") is not None:
            fields = list(kwargs["update_fields"])
            kwargs["update_fields"] = [*fields, *_index_names(type(self), fields)]
        super().save(*args, **kwargs)

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        """Uniqueness through the blind index, reported on the encrypted field (a form that
        edits ``id_number`` gets "already exists" next to it, not a database error)."""
        excluded = set(exclude or ())
        for field in encrypted_fields(type(self)):
            index = field.index_field
            if index is None:
                continue
            index.pre_save(self, self._state.adding)
            if field.name not in excluded:
                excluded.discard(index.name)
        try:
            super().validate_unique(exclude=excluded)
        except ValidationError as exc:
            errors: dict[str, list[Any]] = {}
            for name, messages in exc.error_dict.items():
                target = self._meta.get_field(name) if name != NON_FIELD_ERRORS else None
                if isinstance(target, BlindIndexField):
                    errors.setdefault(target.source, []).append(self.unique_error_message(type(self), (target.source,)))
                else:
                    errors.setdefault(name, []).extend(messages)
            raise ValidationError(errors) from None


@checks.register(checks.Tags.models)
def check_encrypted_models(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every model with an encrypted field has its index and keeps it in step."""
    from django.apps import apps

    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        if not issubclass(model, EncryptedModel) or not isinstance(model._default_manager.all(), EncryptedQuerySet):
            errors.append(
                checks.Error(
                    "A model with encrypted fields must subclass EncryptedModel and keep an EncryptedQuerySet manager",
                    obj=model,
                    id="gongjian.E101",
                )
            )
        errors.extend(
            checks.Error(f"{field.name} has no BlindIndexField(source={field.name!r})", obj=model, id="gongjian.E102")
            for field in fields
            if field.index_field is None
        )
    return errors


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"GONGJIAN_DATA_KEYS", "GONGJIAN_DATA_KEY_FILE", "PRODUCTION"}:
        reset_data_keys()


# --- Rewriting whole columns: migrations (encrypt / decrypt) and key rotation ---------------


@dataclass(frozen=True)
class Column:
    """Where an encrypted field lives in the database."""

    label: str
    table: str
    pk: str
    column: str
    index: str | None
    kind: str
    null: bool

    @classmethod
    def of(cls, field: EncryptedCharField) -> Column:
        meta = field.model._meta
        index = field.index_field
        return cls(
            label=f"{meta.label}.{field.name}",
            table=meta.db_table,
            pk=str(meta.pk.column),  # type: ignore[union-attr]
            column=str(field.column),
            index=index.column if index is not None else None,
            kind=field.kind,
            null=field.null,
        )

    def digest(self, plaintext: str | None) -> str | None:
        if plaintext is None or plaintext == "":
            return None if self.null or plaintext is None else ""
        return blind_index(data_keys(), self.kind, normalise(self.kind, plaintext))


def _batches(connection: BaseDatabaseWrapper, col: Column) -> Iterator[list[tuple[Any, str]]]:
    q = connection.ops.quote_name
    last: Any = None
    while True:
        where = f"{q(col.column)} IS NOT NULL AND {q(col.column)} <> ''"
        params: list[Any] = []
        if last is not None:
            where += f" AND {q(col.pk)} > %s"
            params.append(last)
        with connection.cursor() as cursor:
            select = f"SELECT {q(col.pk)}, {q(col.column)} FROM {q(col.table)}"
            cursor.execute(f"{select} WHERE {where} ORDER BY {q(col.pk)} LIMIT {BATCH}", params)
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _write(connection: BaseDatabaseWrapper, col: Column, changes: Sequence[tuple[Any, str, str | None, str]]) -> None:
    """``changes``: (pk, new value, new index, old value); a row changed meanwhile is left."""
    if not changes:
        return
    q = connection.ops.quote_name
    sets = f"{q(col.column)} = %s" + (f", {q(col.index)} = %s" if col.index else "")
    sql = f"UPDATE {q(col.table)} SET {sets} WHERE {q(col.pk)} = %s AND {q(col.column)} = %s"
    params = [(value, index, pk, old) if col.index else (value, pk, old) for pk, value, index, old in changes]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _fill_empty(connection: BaseDatabaseWrapper, col: Column, *, forward: bool) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if forward and col.null:
            cursor.execute(f"UPDATE {q(col.table)} SET {q(col.column)} = NULL WHERE {q(col.column)} = ''")
        if col.index:
            value = "''" if forward and not col.null else "NULL"
            cursor.execute(f"UPDATE {q(col.table)} SET {q(col.index)} = {value} WHERE {q(col.column)} = ''")


def encrypt_column(connection: BaseDatabaseWrapper, col: Column) -> int:
    """Encrypt a column's plaintext rows in place and fill the index; rows already
    encrypted are left. Returns the rows encrypted."""
    done = 0
    for rows in _batches(connection, col):
        changes = []
        for pk, value in rows:
            if _is_cipher(value):
                continue
            changes.append((pk, sm4_encrypt(data_keys(), value), col.digest(value), value))
        _write(connection, col, changes)
        done += len(changes)
    _fill_empty(connection, col, forward=True)
    return done


def decrypt_column(connection: BaseDatabaseWrapper, col: Column) -> int:
    """Turn a column back into plaintext and empty its index (a migration's reverse)."""
    done = 0
    for rows in _batches(connection, col):
        changes = [(pk, sm4_decrypt(data_keys(), value), None, value) for pk, value in rows if _is_cipher(value)]
        _write(connection, col, changes)
        done += len(changes)
    _fill_empty(connection, col, forward=False)
    return done


def reencrypt_column(connection: BaseDatabaseWrapper, col: Column, *, everything: bool = False) -> int:
    """Re-encrypt the rows not under the current key (every row with ``everything``, which
    also recomputes every index after the index key changed). Returns the rows rewritten."""
    keys = data_keys()
    done = 0
    for rows in _batches(connection, col):
        changes = []
        for pk, value in rows:
            if everything or key_id_of(value) != keys.current:
                plaintext = sm4_decrypt(keys, value)
                changes.append((pk, sm4_encrypt(keys, plaintext), col.digest(plaintext), value))
        _write(connection, col, changes)
        done += len(changes)
    return done


def count_by_key(connection: BaseDatabaseWrapper, col: Column) -> dict[str, int]:
    """How many rows of a column each key id encrypted."""
    counts: dict[str, int] = {}
    for rows in _batches(connection, col):
        for _pk, value in rows:
            key_id = key_id_of(value)
            counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def _is_cipher(value: str) -> bool:
    return value.startswith("sm4:")


def encryption_operation(app_label: str, fields: Sequence[tuple[str, str]]) -> Any:
    """A reversible ``RunPython`` for a migration that has just turned ``fields``
    ((model, field) pairs of ``app_label``) into encrypted fields: forward encrypts the
    existing rows and fills their index, backward decrypts them."""
    from django.db import migrations

    def columns(apps: Any) -> list[Column]:
        return [Column.of(apps.get_model(app_label, model)._meta.get_field(name)) for model, name in fields]

    def settle(connection: BaseDatabaseWrapper) -> None:
        # Deferred foreign-key checks queued by the updates would stop the ALTER TABLE that
        # follows in the same transaction ("pending trigger events"): run them now.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def forward(apps: Any, schema_editor: Any) -> None:
        for col in columns(apps):
            encrypt_column(schema_editor.connection, col)
        settle(schema_editor.connection)

    def backward(apps: Any, schema_editor: Any) -> None:
        for col in columns(apps):
            decrypt_column(schema_editor.connection, col)
        settle(schema_editor.connection)

    return migrations.RunPython(forward, backward, elidable=False)

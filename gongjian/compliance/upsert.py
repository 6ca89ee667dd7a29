"""Bulk upsert of result rows: PostgreSQL ``COPY`` into a temporary table, then one
``INSERT … ON CONFLICT DO UPDATE`` (a province's 100,000 obligation results in a few
seconds, where ``bulk_create`` spends most of its time building model instances and SQL).
Other databases (SQLite for a first run) use ``bulk_create``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def upsert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    conflict: Sequence[str],
    batch_size: int = 5000,
) -> None:
    """Insert ``rows`` (values for ``columns``, database column names) into ``model``'s table,
    replacing every other column of a row whose ``conflict`` columns already exist."""
    update = [c for c in columns if c not in conflict]
    if connection.vendor != "postgresql":
        by_column = {f.column: f.name for f in model._meta.concrete_fields}
        attname = {f.column: f.attname for f in model._meta.concrete_fields}  # pairing_id, not pairing
        objects = [model(**{attname[c]: v for c, v in zip(columns, row, strict=True)}) for row in rows]
        model._default_manager.bulk_create(
            objects,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=[by_column[c] for c in conflict],
            update_fields=[by_column[c] for c in update],
        )
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    names = ", ".join(q(c) for c in columns)
    temp = q(f"upsert_{model._meta.db_table}")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {temp} AS SELECT {names} FROM {table} WITH NO DATA")
        # COPY takes JSON columns as text: those values are written as JSON (the others untouched).
        fields = {f.column: f for f in model._meta.concrete_fields}
        json_at = [i for i, c in enumerate(columns) if isinstance(fields[c], models.JSONField)]
        with cursor.copy(f"COPY {temp} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                if json_at:
                    row = tuple(json.dumps(v, ensure_ascii=False) if i in json_at else v for i, v in enumerate(row))
                copy.write_row(row)
        assignments = ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in update)
        keys = ", ".join(q(c) for c in conflict)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {temp} ON CONFLICT ({keys}) DO UPDATE SET {assignments}"
        )
        cursor.execute(f"DROP TABLE {temp}")

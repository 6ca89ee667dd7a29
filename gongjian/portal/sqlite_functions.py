"""SQL functions that PostgreSQL has and SQLite lacks, registered on every SQLite connection,
so that the dashboards run the *same* SQL on both databases (``make run`` uses SQLite).

A database-specific branch in a selector once grouped by the whole village path on SQLite
and folded the groups in Python, so each area kept only its last village's figures (issue
11.1); one expression everywhere leaves no second code path to go wrong.
"""

from __future__ import annotations

from typing import Any


def split_part(text: str | None, delimiter: str | None, n: int | None) -> str | None:
    """PostgreSQL's ``split_part(text, delimiter, n)``: the n-th field (1-based; a negative n
    counts from the end), ``''`` past the last field, NULL for a NULL argument."""
    if text is None or delimiter is None or n is None:
        return None
    if n == 0:
        raise ValueError("field position must not be zero")
    fields = text.split(delimiter) if delimiter else [text]
    index = n - 1 if n > 0 else len(fields) + n
    return fields[index] if 0 <= index < len(fields) else ""


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: add the functions to a new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("split_part", 3, split_part, deterministic=True)

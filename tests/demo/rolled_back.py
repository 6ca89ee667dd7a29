"""Demo data built once for a test module inside a transaction, rolled back after the module:
the pattern of the figure cross-checks, as a helper for a module-scoped fixture
(``yield from built_for_module(django_db_blocker, build)``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def built_for_module(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Run ``build`` in an open transaction, yield what it returns, then roll everything back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        cache.clear()

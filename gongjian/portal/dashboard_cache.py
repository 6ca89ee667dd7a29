"""The dashboard's figures, cached until the next write.

Every write of the platform goes through a service that writes its audit row in the same
transaction (records, funds, rounds, compliance evaluation — the cron's too — and the demo
and bulk generators), so the id of the newest audit entry that records a change is a
version of everything the dashboard counts: one backward scan of the primary key. Entries
that change no data do not count: sign-ins and sign-outs, exports and views of personal
data (reads the law asks us to log), and refused writes (their transaction rolled back) —
otherwise every login would send the next dashboard request down the slow path. A key
holds that version, the slice (round, year, area, unit) and the date (months fall due with
it). Any write makes a new key; the old entries expire. ``TIMEOUT`` bounds the one window
this cannot see: a long transaction that took an audit id before a later one committed.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Max

from gongjian.audit.models import AuditEntry
from gongjian.portal.dashboard_scope import Slice, today
from gongjian.portal.selectors_dashboard import Dashboard, dashboard

TIMEOUT = 120  # seconds


def write_version() -> int:
    """The id of the newest audit entry of a change that took effect (0 if none)."""
    changes = (
        AuditEntry.objects.filter(success=True)
        .exclude(action__startswith="account.")
        .exclude(action__contains="export")
        .exclude(action__endswith=".view_full")
    )
    value = changes.aggregate(m=Max("pk"))["m"]
    return int(value or 0)


def cache_key(slice_: Slice, version: int) -> str:
    parts = (
        slice_.round.pk, slice_.round.policy_key, slice_.year, slice_.area.pk, slice_.area.path,
        slice_.unit_path or "", slice_.leaf, today().isoformat(), version,
    )  # fmt: skip
    return "gongjian:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def dashboard_cached(*, slice_: Slice) -> Dashboard:
    """:func:`gongjian.portal.selectors_dashboard.dashboard`, from the cache while nothing
    has been written since it was computed."""
    key = cache_key(slice_, write_version())
    hit = cache.get(key)
    if hit is not None:
        rows, total, as_of, evaluated_at = hit
        return Dashboard(slice=slice_, rows=rows, total=total, as_of=as_of, evaluated_at=evaluated_at)
    board = dashboard(slice_=slice_)
    cache.set(key, (board.rows, board.total, board.as_of, board.evaluated_at), TIMEOUT)
    return board

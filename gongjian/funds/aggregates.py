"""Plain aggregate functions over the funds tables for other apps (compliance, dashboards).

No scope filtering here: callers pass pairing ids or a subtree path they already resolved
through their own scoped selectors. Every function is a fixed number of GROUP BY queries,
whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum

from gongjian.funds.ledger import ZERO
from gongjian.funds.models import Pledge, Receipt, Transfer
from gongjian.orgs.scope import under as in_subtree

# Postgres takes long IN lists well, but keep each statement's parameter count bounded.
CHUNK = 10_000


def paid_by_pairing(pairing_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
    """Amount the unit transferred for each pairing with ``start <= date <= end``
    (every requested id is in the result; 0.00 when nothing was paid)."""
    ids = list(pairing_ids)
    result = dict.fromkeys(ids, ZERO)
    for i in range(0, len(ids), CHUNK):
        rows = (
            Transfer.objects.filter(pairing_id__in=ids[i : i + CHUNK], date__range=(start, end))
            .values("pairing_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for row in rows:
            result[row["pairing_id"]] = row["total"]
    return result


@dataclass(frozen=True)
class PledgedPaid:
    """Funds of one subtree (e.g. a district): pledged for the year, paid and received in it."""

    path: str
    pledged: Decimal = ZERO
    paid: Decimal = ZERO
    received: Decimal = ZERO

    @property
    def paid_ratio(self) -> float | None:
        """Paid ÷ pledged, for a chart (a ratio, not money); None without a pledge."""
        return float(self.paid / self.pledged) if self.pledged else None


def ancestor_path(path: str, depth: int) -> str:
    """``ancestor_path("/1/4/17/30/", 1)`` → ``"/1/4/"`` (the node at tree depth ``depth``)."""
    parts = [p for p in path.split("/") if p]
    if len(parts) <= depth:
        return ""
    return "/" + "/".join(parts[: depth + 1]) + "/"


def pledged_and_paid_by_organization_path(
    *, root_path: str, depth: int, year: int, round_id: int | None = None
) -> dict[str, PledgedPaid]:
    """Pledged (pledges for ``year``), paid (transfers dated in ``year``) and received
    (receipts dated in ``year``) for the villages under ``root_path``, grouped by the
    villages' ancestor at tree depth ``depth`` (root depth + 1 = by district).

    The sums are GROUP BY village path in SQL (one row per village, never per transfer);
    the rows are then folded into their ancestor.
    """
    here, received_here = in_subtree(root_path, "pairing__village"), in_subtree(root_path, "transfer__pairing__village")
    if round_id is not None:
        here &= Q(pairing__round_id=round_id)
        received_here &= Q(transfer__pairing__round_id=round_id)
    columns = {
        "pledged": Pledge.objects.filter(here, year=year).values(p=F("pairing__village__path")),
        "paid": Transfer.objects.filter(here, date__year=year).values(p=F("pairing__village__path")),
        "received": Receipt.objects.filter(received_here, received_on__year=year).values(
            p=F("transfer__pairing__village__path")
        ),
    }
    totals: dict[str, dict[str, Decimal]] = {}
    for name, grouped in columns.items():
        for row in grouped.annotate(total=Sum("amount")).order_by():
            key = ancestor_path(row["p"], depth)
            if not key:
                continue
            bucket = totals.setdefault(key, {})
            bucket[name] = bucket.get(name, ZERO) + row["total"]
    return {key: PledgedPaid(path=key, **values) for key, values in sorted(totals.items())}

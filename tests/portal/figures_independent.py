"""Figures recomputed from the model rows in plain Python, for the cross-check of every
figure page (``test_figures_crosscheck``). Nothing here calls a selector under test: each
function reads rows with ``values_list`` and groups them itself, so that a wrong GROUP BY,
a wrong fold or a database-specific branch in the product shows up as a difference.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from gongjian.compliance.models import PairStatus, UnitScore
from gongjian.funds.models import Pledge, Receipt, Transfer, Use
from gongjian.orgs.models import Organization
from gongjian.records.models import PerformanceCard
from gongjian.rounds.models import DirectoryEntry, Pairing, Round

ZERO = Decimal("0")
MET_CARDS = {"countersigned"}
AT_RISK_CARDS = {"submitted", "returned"}


def pct(part: Decimal | int, whole: Decimal | int) -> float | None:
    """The product's rounding of a share (one decimal), computed here on its own."""
    return round(100.0 * float(part) / float(whole), 1) if whole else None


def parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def child_key(area_path: str, path: str) -> int | None:
    """The id of ``area``'s child on the way to the node at ``path`` (None: not below it)."""
    if not path.startswith(area_path):
        return None
    below = parts(path)
    depth = len(parts(area_path))
    return int(below[depth]) if len(below) > depth else None


@dataclass
class Expected:
    """One dashboard row (an area's child, a pair, or the total) recomputed."""

    villages: int = 0
    covered_villages: set[int] = field(default_factory=set)
    pairings: int = 0
    signed: int = 0
    visits_done: Decimal = ZERO
    visits_due: Decimal = ZERO
    pledged: Decimal = ZERO
    paid: Decimal = ZERO
    received: Decimal = ZERO
    statuses: Counter[str] = field(default_factory=Counter)
    cards: Counter[tuple[int, str]] = field(default_factory=Counter)

    @property
    def covered(self) -> int:
        return len(self.covered_villages)


def month_due(round_: Round, year: int, month: int, as_of: datetime.date) -> bool:
    start = datetime.date(year, month, 1)
    return (year, month) < (as_of.year, as_of.month) and round_.term_start.replace(day=1) <= start <= round_.term_end


def month_shares(e: Expected, round_: Round, year: int, as_of: datetime.date) -> list[tuple[Any, ...]]:
    """(month, met %, at risk %, missed %) of the signed pairs' monthly cards."""
    out = []
    for m in range(1, 13):
        met = sum(n for (month, status), n in e.cards.items() if month == m and status in MET_CARDS)
        risk = sum(n for (month, status), n in e.cards.items() if month == m and status in AT_RISK_CARDS)
        missed = max(0, e.signed - met - risk)
        due = month_due(round_, year, m, as_of)
        out.append((m, *(pct(x, e.signed) if due else None for x in (met, risk, missed))))
    return out


def dashboard_expected(
    round_: Round, year: int, area: Organization, *, by_pair: bool, visit_ids: list[str]
) -> tuple[dict[int, Expected], Expected]:
    """Rows (keyed like the dashboard: the child's id, or the pairing id) and the total,
    from the rows of pairs whose village lies under ``area``."""
    rows: dict[int, Expected] = defaultdict(Expected)
    total = Expected()
    pairs = Pairing.objects.filter(round=round_, village__path__startswith=area.path)
    pair_info = {
        pk: (status, vid, path)
        for pk, status, vid, path in pairs.values_list("id", "status", "village_id", "village__path")
    }
    # A town's pair (乡镇党委, coverage.towns_paired) is a pair but not a covered village.
    town_pairs = set(pairs.filter(entry__is_town=True).values_list("id", flat=True))

    def key_of_pair(pk: int) -> int | None:
        return pk if by_pair else child_key(area.path, pair_info[pk][2])

    def key_of_path(pk: int, path: str) -> int | None:
        return pk if by_pair else child_key(area.path, path)

    for pk, (status, vid, path) in pair_info.items():
        if status == "ended":
            continue
        for target in (rows[key_of_path(pk, path)], total):  # type: ignore[index]
            target.pairings += 1
            if status == "signed":
                target.signed += 1
                if pk not in town_pairs:
                    target.covered_villages.add(vid)
        if by_pair and status == "signed":
            rows[pk].villages = 1
    entries = DirectoryEntry.objects.filter(round=round_, village__path__startswith=area.path, is_town=False)
    for path in entries.values_list("village__path", flat=True):
        total.villages += 1
        if not by_pair:
            rows[child_key(area.path, path)].villages += 1  # type: ignore[index]
    signed_ids = {pk for pk, info in pair_info.items() if info[0] == "signed"}
    from gongjian.compliance.models import ObligationResult

    results = ObligationResult.objects.filter(
        pairing_id__in=signed_ids, year=year, kind="visits", obligation_id__in=visit_ids
    )
    for pk, done, required in results.values_list("pairing_id", "done", "required"):
        for target in (rows[key_of_pair(pk)], total):  # type: ignore[index]
            target.visits_done += min(done, required)
            target.visits_due += required
    for pk, status in PairStatus.objects.filter(pairing_id__in=list(pair_info), year=year).values_list(
        "pairing_id", "status"
    ):
        for target in (rows[key_of_pair(pk)], total):  # type: ignore[index]
            target.statuses[status] += 1
    for pk, amount in Pledge.objects.filter(pairing_id__in=list(pair_info), year=year).values_list(
        "pairing_id", "amount"
    ):
        for target in (rows[key_of_pair(pk)], total):  # type: ignore[index]
            target.pledged += amount
    for pk, day, amount in Transfer.objects.filter(pairing_id__in=list(pair_info)).values_list(
        "pairing_id", "date", "amount"
    ):
        if day.year == year:
            for target in (rows[key_of_pair(pk)], total):  # type: ignore[index]
                target.paid += amount
    receipts = Receipt.objects.filter(transfer__pairing_id__in=list(pair_info))
    for pk, day, amount in receipts.values_list("transfer__pairing_id", "received_on", "amount"):
        if day.year == year:
            for target in (rows[key_of_pair(pk)], total):  # type: ignore[index]
                target.received += amount
    cards = PerformanceCard.objects.filter(pairing_id__in=signed_ids)
    for pk, month, status in cards.values_list("pairing_id", "month", "status"):
        if month.year == year:
            for target in (rows[key_of_pair(pk)], total):  # type: ignore[index]
                target.cards[(month.month, status)] += 1
    return dict(rows), total


def today() -> datetime.date:
    return timezone.localdate()


def page_json(html: str, element_id: str) -> Any:
    """The JSON a page hands its script (``json_script``), as the browser reads it."""
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match is not None, f"no #{element_id} on the page"
    return json.loads(match.group(1))


# --- status board --------------------------------------------------------------------------


def board_expected(round_: Round, scope_path: str | None) -> dict[str, Any]:
    """Villages and signed villages by county and town (from the pairs, not the stage)."""
    entries = DirectoryEntry.objects.filter(round=round_, is_town=False)  # towns: rounds.coverage
    if scope_path is not None:
        entries = entries.filter(village__path__startswith=scope_path)
    signed_entries = set(Pairing.objects.filter(round=round_, status="signed").values_list("entry_id", flat=True))
    confirmed_entries = set(Pairing.objects.filter(round=round_, status="confirmed").values_list("entry_id", flat=True))
    counties: dict[str, Counter[str]] = defaultdict(Counter)
    towns: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    for pk, county, town in entries.values_list("id", "county", "town"):
        for c in (counties[county], towns[(county, town)], total):
            c["total"] += 1
            if pk in signed_entries:
                c["signed"] += 1
            if pk in signed_entries or pk in confirmed_entries:
                c["covered"] += 1
    return {"total": total, "counties": counties, "towns": towns}


# --- compliance ----------------------------------------------------------------------------


def statuses_in_scope(path: str, year: int) -> Counter[str]:
    """Pair statuses of the year whose unit or village lies under ``path``."""
    rows = PairStatus.objects.filter(year=year).values_list("unit__path", "village__path", "status")
    return Counter(
        status
        for unit_path, village_path, status in rows
        if unit_path.startswith(path) or village_path.startswith(path)
    )


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def unit_scores_expected(year: int) -> dict[int, tuple[int, Decimal, int]]:
    """unit → (pairs, mean pair score, competition rank within its committee)."""
    scores: dict[int, list[Decimal]] = defaultdict(list)
    for unit_id, score in PairStatus.objects.filter(year=year).values_list("unit_id", "score"):
        scores[unit_id].append(score)
    committee = dict(UnitScore.objects.filter(year=year).values_list("unit_id", "committee_id"))
    means = {u: money(sum(v, ZERO) / len(v)) for u, v in scores.items()}
    by_committee: dict[Any, list[int]] = defaultdict(list)
    for unit_id in means:
        by_committee[committee.get(unit_id)].append(unit_id)
    ranks: dict[int, int] = {}
    for members in by_committee.values():
        for unit_id in members:
            ranks[unit_id] = 1 + sum(1 for other in members if means[other] > means[unit_id])
    return {u: (len(scores[u]), means[u], ranks[u]) for u in means}


# --- funds ---------------------------------------------------------------------------------


def village_money(village_id: int) -> dict[str, Decimal]:
    """A village's ledger from its rows: pledged, transferred, received, used."""
    return {
        "pledged": sum(Pledge.objects.filter(pairing__village_id=village_id).values_list("amount", flat=True), ZERO),
        "transferred": sum(
            Transfer.objects.filter(pairing__village_id=village_id).values_list("amount", flat=True), ZERO
        ),
        "received": sum(
            Receipt.objects.filter(transfer__pairing__village_id=village_id).values_list("amount", flat=True), ZERO
        ),
        "used": sum(Use.objects.filter(village_id=village_id).values_list("amount", flat=True), ZERO),
    }


def pairing_money(pairing_id: int) -> dict[str, Decimal]:
    return {
        "pledged": sum(Pledge.objects.filter(pairing_id=pairing_id).values_list("amount", flat=True), ZERO),
        "transferred": sum(Transfer.objects.filter(pairing_id=pairing_id).values_list("amount", flat=True), ZERO),
        "received": sum(Receipt.objects.filter(transfer__pairing_id=pairing_id).values_list("amount", flat=True), ZERO),
        "used": sum(Use.objects.filter(pairing_id=pairing_id).values_list("amount", flat=True), ZERO),
    }


def period_money(village_id: int, start: datetime.date, end: datetime.date) -> tuple[Decimal, Decimal, Decimal]:
    """Received and used in the period, and the balance at its end, from the rows."""
    receipts = list(
        Receipt.objects.filter(transfer__pairing__village_id=village_id).values_list("received_on", "amount")
    )
    uses = list(Use.objects.filter(village_id=village_id).values_list("date", "amount"))
    received = sum((a for d, a in receipts if start <= d <= end), ZERO)
    used = sum((a for d, a in uses if start <= d <= end), ZERO)
    balance = sum((a for d, a in receipts if d <= end), ZERO) - sum((a for d, a in uses if d <= end), ZERO)
    return received, used, balance

"""Figures of the internal dashboards (issue 5 item 7): coverage, signing, visits done
versus due, funds pledged versus paid, and compliance by area and month, for one slice
(:mod:`gongjian.portal.dashboard_scope`) of a round.

Built for a province (20,000 pairs, a million records) in a fixed number of queries, each a
GROUP BY in SQL over indexed columns: an area's villages are found by the materialized
``path`` of their organization, and rows are grouped by the id of the area's child on that
path (``split_part``: PostgreSQL's, and on SQLite the same function registered by
:mod:`gongjian.portal.sqlite_functions`, so both run the same SQL). Rows that land on one key
are always *added* up (never assigned), so a fold can never keep only the last group. Visits
done versus due and the year's compliance are read from the stored compliance results
(``compliance_evaluate``), never evaluated here; monthly compliance comes from the
performance cards' status.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, F, Func, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Least

from gongjian.compliance.models import ComplianceStatus, ObligationResult, PairStatus
from gongjian.funds.models import Pledge, Transfer
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import under
from gongjian.policies import PolicyProfileError, load_profile
from gongjian.portal.dashboard_scope import Slice, today
from gongjian.records.choices import CardStatus
from gongjian.records.models import PerformanceCard
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingStatus

ZERO = Decimal("0.00")
STATUSES: tuple[str, ...] = tuple(ComplianceStatus.values)  # met, pending, at_risk, missed
# The same with their labels, for the page's legend and filters.
STATUS_CHOICES = ComplianceStatus.choices
# A month's performance card: countersigned = met; submitted or returned (waiting on one
# side) = at risk; a draft or no card once the month is over = missed.
CARD_MET = (CardStatus.COUNTERSIGNED,)
CARD_AT_RISK = (CardStatus.SUBMITTED, CardStatus.RETURNED)
MONTHS = tuple(range(1, 13))


class SplitPart(Func):
    """``split_part(text, delimiter, n)`` (PostgreSQL; registered on SQLite connections)."""

    function = "split_part"
    output_field = CharField()


def _percent(part: Decimal | int, whole: Decimal | int) -> float | None:
    return round(100.0 * float(part) / float(whole), 1) if whole else None


@dataclass
class MonthCell:
    """One month of one row of the heat map (counts of signed pairs by card status)."""

    month: int
    pairs: int
    met: int = 0
    at_risk: int = 0
    missed: int = 0
    due: bool = True  # False: the month is not over yet, or outside the term

    def share(self, status: str) -> float | None:
        return _percent(getattr(self, status), self.pairs) if self.due else None

    @property
    def met_pct(self) -> float | None:
        return self.share("met")

    @property
    def at_risk_pct(self) -> float | None:
        return self.share("at_risk")

    @property
    def missed_pct(self) -> float | None:
        return self.share("missed")


@dataclass
class Figures:
    """The figures of one row: an area (``key`` = its organization id) or a pair (``key`` =
    the pairing id), or the total."""

    key: int
    name: str = ""
    villages: int = 0  # directory villages
    covered: int = 0  # of which with a signed pair
    pairings: int = 0  # pairs not ended
    signed: int = 0
    visits_done: Decimal = ZERO  # counted toward the requirement (capped per obligation)
    visits_due: Decimal = ZERO
    pledged: Decimal = ZERO
    paid: Decimal = ZERO
    received: Decimal = ZERO
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    cards: dict[tuple[int, str], int] = field(default_factory=dict)  # (month, status) → cards
    # A pair row only:
    unit_name: str = ""
    village_name: str = ""
    village_id: int | None = None
    pairing_status: str = ""
    compliance: str = ""
    months: list[MonthCell] = field(default_factory=list)

    @property
    def pairing_status_label(self) -> str:
        """The pair's status in the reader's language (rows are cached for every reader, so
        they hold the code, not a label in the language of whoever computed them first)."""
        return str(PairingStatus(self.pairing_status).label) if self.pairing_status else ""

    def add(self, other: Figures) -> None:
        for name in ("villages", "covered", "pairings", "signed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("visits_done", "visits_due", "pledged", "paid", "received"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for cell, n in other.cards.items():
            self.cards[cell] = self.cards.get(cell, 0) + n

    @property
    def coverage_pct(self) -> float | None:
        return _percent(self.covered, self.villages)

    @property
    def signed_pct(self) -> float | None:
        return _percent(self.signed, self.pairings)

    @property
    def visits_pct(self) -> float | None:
        return _percent(self.visits_done, self.visits_due)

    @property
    def paid_pct(self) -> float | None:
        return _percent(self.paid, self.pledged)

    @property
    def evaluated(self) -> int:
        return sum(self.statuses.values())

    def status_pct(self, status: str) -> float | None:
        return _percent(self.statuses.get(status, 0), self.evaluated)

    @property
    def year_cell(self) -> dict[str, float | None]:
        """The whole year from the stored compliance results (the heat map's last column)."""
        return {s: self.status_pct(s) for s in STATUSES}

    def fill_months(self, year: int, as_of: datetime.date, term: tuple[datetime.date, datetime.date]) -> None:
        first_open = (as_of.year, as_of.month)
        self.months = []
        for m in MONTHS:
            start = datetime.date(year, m, 1)
            due = (year, m) < first_open and term[0].replace(day=1) <= start <= term[1]
            met = sum(self.cards.get((m, s), 0) for s in CARD_MET)
            at_risk = sum(self.cards.get((m, s), 0) for s in CARD_AT_RISK)
            missed = max(0, self.signed - met - at_risk)
            self.months.append(MonthCell(m, self.signed, met, at_risk, missed, due))


@dataclass
class Dashboard:
    """One dashboard page: the rows (sub-areas, or pairs at the bottom) and their total."""

    slice: Slice
    rows: list[Figures]
    total: Figures
    as_of: datetime.date
    evaluated_at: datetime.datetime | None

    @property
    def leaf(self) -> bool:
        return self.slice.leaf

    def chart_data(self) -> dict[str, Any]:
        """What the charts draw (the same numbers as the tables)."""
        rows = self.rows
        return {
            "leaf": self.leaf,
            "names": [r.name for r in rows],
            "keys": [r.key for r in rows],
            "coverage": [r.coverage_pct for r in rows],
            "signed": [r.signed_pct for r in rows],
            "visits_done": [float(r.visits_done) for r in rows],
            "visits_due": [float(r.visits_due) for r in rows],
            "pledged": [float(r.pledged) for r in rows],
            "paid": [float(r.paid) for r in rows],
            "heat": [
                [col, i, cell.met_pct, cell.at_risk_pct, cell.missed_pct]
                for i, r in enumerate(rows)
                for col, cell in enumerate(r.months)
            ]
            + [
                [12, i, r.status_pct("met"), r.status_pct("at_risk"), r.status_pct("missed")]
                for i, r in enumerate(rows)
            ],
        }


# --- grouping -------------------------------------------------------------------------------


class _Grouping:
    """Rows by the area's child (from a village path) or by pairing."""

    def __init__(self, slice_: Slice) -> None:
        self.by_pair = slice_.leaf
        self.part = slice_.child_part

    def expr(self, village_path: str, pairing_id: str) -> Any:
        if self.by_pair:
            return F(pairing_id)
        return SplitPart(F(village_path), Value("/"), Value(self.part))

    def key(self, raw: Any) -> int | None:
        if raw is None:
            return None
        if self.by_pair:
            return int(raw)
        text = str(raw)
        return int(text) if text.isdigit() else None


def _pair_filter(slice_: Slice, prefix: str) -> Q:
    """Pairs of the round whose village lies under the area (a unit user: the unit's)."""
    q = Q(**{f"{prefix}round": slice_.round}) & under(slice_.area, f"{prefix}village")
    if slice_.unit_path is not None:
        q &= under(slice_.unit_path, f"{prefix}unit")
    return q


def _grouped(
    qs: QuerySet[Any], grouping: _Grouping, village_path: str, pairing_id: str, extra: Iterable[str] = ()
) -> QuerySet[Any]:
    return qs.annotate(g=grouping.expr(village_path, pairing_id)).values("g", *extra).order_by()


class _Rows(dict[int, Figures]):
    def __init__(self) -> None:
        super().__init__()
        # By pair: the area's ended pairs. One gets a row only when it has figures of the year
        # (money pledged or paid, a stored status), so that a town's pairs add up to the
        # town's row one level up, where an ended pair's money counts with its area.
        self.ended: dict[int, Figures] = {}

    def at(self, key: int | None) -> Figures | None:
        if key is None:
            return None
        if key not in self:
            self[key] = Figures(key=key)
        return self[key]

    def of_fact(self, key: int | None) -> Figures | None:
        """The row a figure of ``key`` adds to (None: none, the figure is not shown)."""
        if key is None:
            return None
        if key not in self and key in self.ended:
            self[key] = self.ended.pop(key)
        return self.get(key)


# --- the queries ----------------------------------------------------------------------------


def _pairings(slice_: Slice, g: _Grouping, rows: _Rows) -> None:
    qs = Pairing.objects.filter(_pair_filter(slice_, ""))
    if g.by_pair:
        fields = ("id", "status", "unit__name", "village__name", "village_id", "entry__is_town")
        for pid, status, unit_name, village_name, village_id, is_town in qs.values_list(*fields):
            pair = Figures(key=pid, name=f"{village_name} · {unit_name}", unit_name=unit_name)
            pair.village_name, pair.village_id, pair.pairing_status = village_name, village_id, status
            if status == PairingStatus.ENDED:
                rows.ended[pid] = pair
                continue
            pair.pairings = 1
            pair.signed = pair.villages = int(status == PairingStatus.SIGNED)
            pair.covered = int(status == PairingStatus.SIGNED and not is_town)  # a town is not a covered village
            rows[pid] = pair
        return
    qs = qs.exclude(status=PairingStatus.ENDED)
    signed = Q(status=PairingStatus.SIGNED)
    # Villages covered: a town's pair (coverage.towns_paired) counts as a pair, not as a village.
    village_signed = signed & Q(entry__is_town=False)
    for r in _grouped(qs, g, "village__path", "id").annotate(
        n=Count("id"), s=Count("id", filter=signed), v=Count("village", distinct=True, filter=village_signed)
    ):
        row = rows.at(g.key(r["g"]))
        if row is not None:
            row.pairings += r["n"]
            row.signed += r["s"]
            row.covered += r["v"]


def _directory(slice_: Slice, g: _Grouping, rows: _Rows) -> None:
    # Villages only: towns listed where the profile pairs them are counted by rounds.coverage.
    qs = DirectoryEntry.objects.filter(under(slice_.area, "village"), round=slice_.round, is_town=False)
    for r in _grouped(qs, g, "village__path", "id").annotate(n=Count("id")):
        row = rows.at(g.key(r["g"]))
        if row is not None:
            row.villages += r["n"]


def _visit_obligations(slice_: Slice) -> list[str] | None:
    """The ids of the round profile's visit obligations (so that the stored results are read
    through their (year, obligation) index); None if the profile cannot be read."""
    try:
        return [o.id for o in load_profile(slice_.round.policy_key).visits]
    except PolicyProfileError:
        return None


def _visits(slice_: Slice, g: _Grouping, rows: _Rows) -> None:
    qs = ObligationResult.objects.filter(
        _pair_filter(slice_, "pairing__"), year=slice_.year, kind="visits", pairing__status=PairingStatus.SIGNED
    )
    ids = _visit_obligations(slice_)
    if ids is not None:
        qs = qs.filter(obligation_id__in=ids)
    for r in _grouped(qs, g, "pairing__village__path", "pairing_id").annotate(
        done=Sum(Least("done", "required")), due=Sum("required")
    ):
        row = rows.of_fact(g.key(r["g"]))
        if row is not None:
            row.visits_done += r["done"] or ZERO
            row.visits_due += r["due"] or ZERO


def _statuses(slice_: Slice, g: _Grouping, rows: _Rows) -> datetime.datetime | None:
    """The year's stored statuses; returns when they were last evaluated (None: never)."""
    qs = PairStatus.objects.filter(_pair_filter(slice_, ""), year=slice_.year)
    latest: datetime.datetime | None = None
    for r in _grouped(qs, g, "village__path", "pairing_id", ["status"]).annotate(n=Count("id"), at=Max("evaluated_at")):
        latest = r["at"] if latest is None or r["at"] > latest else latest
        row = rows.of_fact(g.key(r["g"]))
        if row is not None:
            row.statuses[r["status"]] = row.statuses.get(r["status"], 0) + r["n"]
            if g.by_pair:
                row.compliance = r["status"]
    return latest


def _funds(slice_: Slice, g: _Grouping, rows: _Rows) -> None:
    """Pledged for the year; paid (transfers dated in it) and received (receipts dated in it)
    in one pass over the transfers and their receipts."""
    year = slice_.year
    pledges = Pledge.objects.filter(_pair_filter(slice_, "pairing__"), year=year)
    for r in _grouped(pledges, g, "pairing__village__path", "pairing_id").annotate(total=Sum("amount")):
        row = rows.of_fact(g.key(r["g"]))
        if row is not None:
            row.pledged += r["total"] or ZERO
    in_year, received_in_year = Q(date__year=year), Q(receipt__received_on__year=year)
    transfers = Transfer.objects.filter(_pair_filter(slice_, "pairing__")).filter(in_year | received_in_year)
    for r in _grouped(transfers, g, "pairing__village__path", "pairing_id").annotate(
        paid=Sum("amount", filter=in_year), received=Sum("receipt__amount", filter=received_in_year)
    ):
        row = rows.of_fact(g.key(r["g"]))
        if row is not None:
            row.paid += r["paid"] or ZERO
            row.received += r["received"] or ZERO


def _cards(slice_: Slice, g: _Grouping, rows: _Rows) -> None:
    qs = PerformanceCard.objects.filter(
        _pair_filter(slice_, "pairing__"), month__year=slice_.year, pairing__status=PairingStatus.SIGNED
    )
    for r in _grouped(qs, g, "pairing__village__path", "pairing_id", ["month", "status"]).annotate(n=Count("id")):
        row = rows.of_fact(g.key(r["g"]))
        if row is not None:
            cell = (r["month"].month, r["status"])
            row.cards[cell] = row.cards.get(cell, 0) + r["n"]


def _names(rows: _Rows) -> None:
    names = dict(Organization.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    for key, row in rows.items():
        row.name = names.get(key, str(key))


def dashboard(*, slice_: Slice) -> Dashboard:
    """Every figure of the slice, by sub-area (or by pair at the bottom), and the total.

    Pass a slice from :func:`gongjian.portal.dashboard_scope.dashboard_slice` (it carries
    the user's scope). A fixed number of GROUP BY queries, whatever the number of records.
    """
    g = _Grouping(slice_)
    rows = _Rows()
    _pairings(slice_, g, rows)
    if not g.by_pair:
        _directory(slice_, g, rows)
    _visits(slice_, g, rows)
    evaluated_at = _statuses(slice_, g, rows)
    _funds(slice_, g, rows)
    _cards(slice_, g, rows)
    if not g.by_pair:
        _names(rows)
    as_of = today()
    term = (slice_.round.term_start, slice_.round.term_end)
    total = Figures(key=slice_.area.pk, name=slice_.area.name)
    for row in rows.values():
        total.add(row)
        row.fill_months(slice_.year, as_of, term)
    if g.by_pair:
        # A village with two units is one village: count villages, not pair rows.
        # A town's pair (coverage.towns_paired) is not a covered village (its row's ``covered`` is 0).
        total.covered = len({r.village_id for r in rows.values() if r.covered})
        total.villages = _directory_total(slice_)
    total.fill_months(slice_.year, as_of, term)
    ordered = sorted(rows.values(), key=lambda r: (r.name, r.key))
    return Dashboard(slice=slice_, rows=ordered, total=total, as_of=as_of, evaluated_at=evaluated_at)


def _directory_total(slice_: Slice) -> int:
    qs = DirectoryEntry.objects.filter(under(slice_.area, "village"), round=slice_.round, is_town=False)
    if slice_.unit_path is not None:
        pairs = Pairing.objects.filter(_pair_filter(slice_, "")).exclude(status=PairingStatus.ENDED)
        qs = qs.filter(village__in=pairs.values("village_id"))
    return qs.count()

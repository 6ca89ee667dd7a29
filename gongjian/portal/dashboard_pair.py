"""One pair on the dashboard: the year's visits and monthly cards by month, funds, and the
stored compliance result, with links to the records archive and the compliance detail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404

from gongjian.compliance.models import ObligationResult, PairStatus
from gongjian.funds.models import Pledge, Receipt, Transfer
from gongjian.portal.dashboard_scope import dashboard_slice, dashboard_year, round_years, today
from gongjian.records.access import pairings_in_scope
from gongjian.records.choices import CardStatus
from gongjian.records.models import PerformanceCard, Visit
from gongjian.rounds.models import Pairing

ZERO = Decimal("0.00")


@dataclass
class MonthRow:
    month: int
    visits: int = 0
    card_status: str = ""  # "" = no card
    card_label: str = ""
    due: bool = True


@dataclass
class PairPage:
    """What the pair page shows."""

    pairing: Pairing
    year: int
    years: list[int]
    status: PairStatus | None
    obligations: list[ObligationResult]
    months: list[MonthRow] = field(default_factory=list)
    visits: int = 0
    pledged: Decimal = ZERO
    paid: Decimal = ZERO
    received: Decimal = ZERO
    area_id: int | None = None  # the dashboard page of the pair's town, if the user may open it


def _sum(qs: Any) -> Decimal:
    value = qs.aggregate(total=Sum("amount"))["total"]
    return value if value is not None else ZERO


def pair_page(*, user: Any, pairing_id: int, year: Any) -> PairPage:
    """One pair the user may see (its unit or village in the user's subtree), or 404."""
    try:
        pairing = pairings_in_scope(user).select_related("round__scope", "unit", "village").get(pk=pairing_id)
    except (Pairing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("该结对不存在或不在您的管理范围内") from exc
    chosen = dashboard_year(round_=pairing.round, year=year)
    page = PairPage(
        pairing=pairing,
        year=chosen,
        years=round_years(pairing.round),
        status=PairStatus.objects.filter(pairing=pairing, year=chosen).first(),
        obligations=list(ObligationResult.objects.filter(pairing=pairing, year=chosen).order_by("obligation_id")),
    )
    visits = dict(
        Visit.objects.filter(pairing=pairing, date__year=chosen)
        .annotate(m=ExtractMonth("date"))
        .values_list("m")
        .annotate(n=Count("id"))
        .order_by()
    )
    month_cards = PerformanceCard.objects.filter(pairing=pairing, month__year=chosen).only("month", "status")
    cards = {c.month.month: c for c in month_cards}
    as_of = today()
    for m in range(1, 13):
        card = cards.get(m)
        page.months.append(
            MonthRow(
                month=m,
                visits=visits.get(m, 0),
                card_status=card.status if card else "",
                card_label=str(CardStatus(card.status).label) if card else "",
                due=(chosen, m) < (as_of.year, as_of.month)
                and pairing.round.term_start.replace(day=1) <= datetime.date(chosen, m, 1) <= pairing.round.term_end,
            )
        )
    page.visits = sum(visits.values())
    page.pledged = _sum(Pledge.objects.filter(pairing=pairing, year=chosen))
    page.paid = _sum(Transfer.objects.filter(pairing=pairing, date__year=chosen))
    page.received = _sum(Receipt.objects.filter(transfer__pairing=pairing, received_on__year=chosen))
    if pairing.village.parent_id is not None:
        try:
            dashboard_slice(user=user, round_=pairing.round, year=chosen, area_id=pairing.village.parent_id)
            page.area_id = pairing.village.parent_id
        except Http404:
            page.area_id = None
    return page

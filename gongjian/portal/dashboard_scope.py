"""Which part of which round a dashboard shows to whom (built on ``orgs.scope`` and
``rounds.access``, nothing of its own).

- an admin whose subtree holds the round's whole scope starts at the round's scope; an
  admin inside the round (a county committee in a city round) starts at their own node;
  either may drill down to any node below where they start (``area``), never above or
  beside it (404);
- a village user sees the pairs of their own village;
- a unit user sees the pairs of their own unit, wherever the villages lie;
- anyone else (auditor, outsider, a round they do not take part in): 404.

The figures count the pairs whose *village* lies under the area (the area's villages are
what coverage is about); a unit user's slice counts the unit's pairs instead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.compliance.models import PairStatus
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import UNIT_USER, Scope, ancestor_paths, subtree
from gongjian.rounds.models import Pairing, PairingStatus, Round
from gongjian.rounds.selectors import round_get, round_list


@dataclass(frozen=True)
class Slice:
    """What one dashboard page counts: a round, a year, and the villages under ``area``
    (and, for a unit user, only the pairs of the unit at ``unit_path``)."""

    round: Round
    year: int
    area: Organization
    unit_path: str | None = None
    leaf: bool = False  # rows are pairs (the area is a town or a village), not sub-areas
    trail: list[Organization] = field(default_factory=list)  # from where the user starts down to area

    @property
    def child_part(self) -> int:
        """The ``split_part(path, '/', n)`` index of the area's children in a village path:
        ``/1/4/`` has 3 slashes, its child's id is part 4."""
        return self.area.path.count("/") + 1


def dashboard_rounds(*, user: Any) -> QuerySet[Round]:
    """Rounds the user takes part in or runs, newest first (the round menu)."""
    return round_list(user=user)


def dashboard_round(*, user: Any, pk: Any) -> Round | None:
    """The chosen round (404 outside the user's rounds) or, without a choice, the newest
    one the user sees that has figures to show — a signed pair — else simply the newest
    (None: the user takes part in no round). A new round still in its choosing stage would
    otherwise hide last year's figures behind an empty page."""
    if pk not in (None, ""):
        return round_get(user=user, pk=pk)
    rounds = dashboard_rounds(user=user)
    signed = Pairing.objects.filter(round=OuterRef("pk"), status=PairingStatus.SIGNED)
    return rounds.filter(Exists(signed)).first() or rounds.first()


def round_years(round_: Round) -> list[int]:
    """The calendar years of the round's term up to this year, newest first."""
    last = min(round_.term_end.year, timezone.localdate().year)
    return list(range(last, round_.term_start.year - 1, -1)) or [round_.term_start.year]


def dashboard_year(*, round_: Round, year: Any) -> int:
    """The chosen year if it is one of the round's; else the newest year with stored
    compliance results, else the newest year of the term."""
    years = round_years(round_)
    try:
        chosen = int(year)
    except (TypeError, ValueError):
        chosen = 0
    if chosen in years:
        return chosen
    stored = PairStatus.objects.filter(round=round_).aggregate(y=Max("year"))["y"]
    return stored if stored in years else years[0]


def _top(user: Any, round_: Round) -> Organization:
    """Where the user's dashboard starts: the round's scope if their subtree holds it, else
    their own node (which then lies inside the round's scope)."""
    scope = Scope.of(user)
    if scope.root is None:
        raise Http404("不在您的管理范围内")
    return round_.scope if scope.contains(round_.scope) else scope.root


def dashboard_slice(*, user: Any, round_: Round, year: int, area_id: Any = None) -> Slice:
    """The slice of ``round_`` the user asked for (``area_id``: a node to drill into)."""
    top = _top(user, round_)
    if getattr(user, "role", "") == UNIT_USER:
        # A unit's villages lie anywhere in the round: its own pairs, as one list.
        return Slice(round=round_, year=year, area=round_.scope, unit_path=top.path, leaf=True)
    area = top
    if area_id not in (None, ""):
        try:
            area = subtree(top).get(pk=int(area_id))
        except (Organization.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404("该地区不在您的管理范围内") from exc
    leaf = area.kind in (OrgKind.VILLAGE, OrgKind.JOINT) or (
        Organization.objects.filter(parent=area, kind=OrgKind.VILLAGE).exists()
    )
    trail = list(subtree(top).filter(path__in=ancestor_paths(area.path)).order_by("depth"))
    return Slice(round=round_, year=year, area=area, leaf=leaf, trail=trail)


def today() -> datetime.date:
    return timezone.localdate()

"""Reads for allocation runs: the list, one run, its pairs with reasons, uncovered villages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongjian.matching import Language, Pair, Result, Uncovered, component_labels, describe, result_from_json
from gongjian.orgs.models import Organization
from gongjian.rounds.access import rounds_visible
from gongjian.rounds.models import (
    AllocationRun,
    Round,
)
from gongjian.rounds.selectors.directory import wished_pairs, wishes_by_village

# --- allocation runs -----------------------------------------------------------------------


def _runs(user: Any, round_: Round) -> QuerySet[AllocationRun]:
    """The runs of ``round_`` if the user sees the round (the one scope rule for runs)."""
    return AllocationRun.objects.filter(round=round_, round__in=rounds_visible(user))


def run_list(*, user: Any, round_: Round) -> QuerySet[AllocationRun]:
    """Runs of a visible round, newest first, without their stored input and result (the
    pages and the API let only the round's admins see them)."""
    return _runs(user, round_).defer("instance", "result").select_related("created_by").order_by("-number")


def run_get(*, user: Any, round_: Round, number: int | None = None, pk: int | None = None) -> AllocationRun:
    """One run of a visible round, by its number in the round (pages) or its id (the API),
    or 404."""
    qs = _runs(user, round_).select_related("round__scope")
    try:
        return qs.get(**({"number": number} if pk is None else {"pk": pk}))
    except (AllocationRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("该分配方案不存在")) from exc


def run_previous(*, user: Any, run: AllocationRun) -> AllocationRun | None:
    """The run before this one (what a what-if is compared with)."""
    return _runs(user, run.round).filter(number__lt=run.number).order_by("-number").first()


@dataclass(frozen=True)
class RunPair:
    unit_id: int
    unit_name: str
    village_id: int
    village_name: str
    score: int
    reasons: list[tuple[str, int]]
    pinned: bool
    wished: bool
    wishes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """``unit:village``, the value pin/forbid checkboxes send."""
        return f"{self.unit_id}:{self.village_id}"


@dataclass(frozen=True)
class RunUncovered:
    village_id: int
    village_name: str
    missing: int
    reason: str
    wishes: list[str] = field(default_factory=list)


def _language() -> Language:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def reason_labels(components: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """A pair's score components in the words of the department (the engine's wording):
    ``(("preference", 100), ("rule", 0))`` → ``[("志愿", 100), ("结对原则", 0)]``."""
    return component_labels(tuple(components), _language())


def uncovered_reason(item: Uncovered, name: Callable[[str, str], str] | None = None) -> str:
    """The sentence for a village short of its minimum, worded by the engine from the codes
    and counts it stored."""
    return describe(item.explanation(), _language(), name)


def run_result(run: AllocationRun) -> Result:
    """A run's stored result, read by the engine's reader (any format version it knows)."""
    return result_from_json(run.result)


def _names(ids: Iterable[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def run_pairs(*, user: Any, run: AllocationRun, raw: Sequence[Pair]) -> list[RunPair]:
    """A page of a run's pairs: names in one query, reasons worded by the engine, the village's wishes."""
    ids = [int(p.unit) for p in raw] + [int(p.village) for p in raw]
    names = _names(ids)
    wishes = wishes_by_village(user=user, round_=run.round, village_ids=[int(p.village) for p in raw])
    wished = wished_pairs(user=user, round_=run.round)
    return [
        RunPair(
            unit_id=int(p.unit),
            unit_name=names.get(int(p.unit), p.unit),
            village_id=int(p.village),
            village_name=names.get(int(p.village), p.village),
            score=p.score,
            reasons=reason_labels(p.components),
            pinned=p.pinned,
            wished=(int(p.unit), int(p.village)) in wished,
            wishes=wishes.get(int(p.village), []),
        )
        for p in raw
    ]


def run_uncovered(*, user: Any, run: AllocationRun, raw: Sequence[Uncovered]) -> list[RunUncovered]:
    """A page of the villages the run leaves below their minimum, each with the engine's reason."""
    names = _names(int(u.village) for u in raw)
    wishes = wishes_by_village(user=user, round_=run.round, village_ids=[int(u.village) for u in raw])
    return [
        RunUncovered(
            village_id=int(u.village),
            village_name=names.get(int(u.village), u.village),
            missing=u.missing,
            reason=uncovered_reason(u),
            wishes=wishes.get(int(u.village), []),
        )
        for u in raw
    ]


def run_difference_named(
    *, user: Any, difference: dict[str, list[tuple[str, str]]]
) -> dict[str, list[tuple[str, str]]]:
    """A run difference with unit and village names instead of ids (one query)."""
    ids = [int(x) for pairs in difference.values() for pair in pairs for x in pair]
    names = _names(ids)
    return {key: [(names.get(int(u), u), names.get(int(v), v)) for u, v in pairs] for key, pairs in difference.items()}

"""Reads for the published directory and for choosing: entries, intents, wishes.

The directory is public to every participant of a round (it is published); intents and
wishes are narrowed to the side the user speaks for."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.core.errors import Refused
from gongjian.orgs.models import Organization, Tag, VillageFigure
from gongjian.orgs.scope import Scope
from gongjian.orgs.search import filter_by_name
from gongjian.policies import load_profile
from gongjian.rounds.access import acting_unit, acting_village, can_administer, rounds_visible
from gongjian.rounds.models import (
    DirectoryEntry,
    Intent,
    IntentStatus,
    Round,
    RoundStatus,
    RoundUnit,
    VillageWish,
)
from gongjian.rounds.selectors.rounds import deadline_passed, round_get

# --- directory -----------------------------------------------------------------------------


def _with_village_details(qs: QuerySet[DirectoryEntry]) -> QuerySet[DirectoryEntry]:
    """Tags, needs and figures (newest year first, as ``village.figures_desc``) in four queries
    for the whole page, not four per row."""
    return qs.select_related("village").prefetch_related(
        "village__tags",
        "village__needs",
        Prefetch("village__figures", queryset=VillageFigure.objects.order_by("-year"), to_attr="figures_desc"),
    )


# --- the published directory (the public portal and the API read it too) --------------


def directory_entries(
    *,
    user: Any,
    round_: Round,
    county: str = "",
    town: str = "",
    tag: str = "",
    need: str = "",
    stage: str = "",
    query: str = "",
) -> QuerySet[DirectoryEntry]:
    """The round's published directory, filtered. It is public (units choose from all of
    it), so it is the same for every viewer of the round; pass a round from
    :func:`public_round` or :func:`round_get`. ``query`` matches the village's Chinese
    name, full pinyin or pinyin initials (``hjc`` finds 花家村)."""
    qs = DirectoryEntry.objects.filter(round=round_)
    if county:
        qs = qs.filter(county=county)
    if town:
        qs = qs.filter(town=town)
    if stage:
        qs = qs.filter(stage=stage)
    if tag:
        qs = qs.filter(village__tags__code=tag)
    if need:
        qs = qs.filter(village__needs__code=need)
    qs = filter_by_name(qs, query, prefix="village__")
    return (
        qs.select_related("village")
        .prefetch_related(
            Prefetch("village__tags", queryset=Tag.objects.only("code", "name")),
            "village__needs",
        )
        .order_by("county", "town", "id")
    )


def directory_counties(*, user: Any, round_: Round) -> list[str]:
    """The counties of the round's directory (for the filter menu)."""
    return list(
        DirectoryEntry.objects.filter(round=round_).values_list("county", flat=True).distinct().order_by("county")
    )


def directory_entry(*, user: Any, round_id: int, village_id: int) -> DirectoryEntry:
    """One directory village of a round the user sees, or 404 — in one query, since every
    intent submission starts here (visibility is checked on the fetched round's scope rather
    than by a subquery: the same rule, ~0.3 ms less CPU per submission)."""
    try:
        entry = DirectoryEntry.objects.select_related("round__scope", "village").get(
            round_id=round_id, village_id=village_id
        )
    except (DirectoryEntry.DoesNotExist, ValueError, TypeError) as exc:
        round_get(user=user, pk=round_id)  # say which is missing: the round or the village
        raise Http404("该村不在本轮名录中") from exc
    if not Scope.of(user).overlaps(entry.round.scope):
        raise Http404("轮次不存在或不在您的管理范围内")
    return entry


def directory_list(
    *,
    user: Any,
    round_: Round,
    county: str = "",
    town: str = "",
    tag: str = "",
    need: str = "",
    query: str = "",
) -> QuerySet[DirectoryEntry]:
    """The round's published directory, filtered (the status board's filters: county, town,
    tag, need, name / pinyin / initials); each entry with its village's tags, needs, latest
    figures, and ``intent_count`` / ``places_left``."""
    qs = directory_entries(user=user, round_=round_, county=county, town=town, tag=tag, need=need, query=query).filter(
        round__in=rounds_visible(user)
    )
    return qs.prefetch_related(
        Prefetch("village__figures", queryset=VillageFigure.objects.order_by("-year"), to_attr="figures_desc")
    ).order_by("county", "town", "village__name_pinyin", "pk")


def directory_entry_get(*, user: Any, round_: Round, pk: int) -> DirectoryEntry:
    """One directory entry of a visible round, or 404."""
    try:
        return directory_list(user=user, round_=round_).get(pk=pk)
    except (DirectoryEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def directory_facets(*, round_: Round, county: str = "") -> dict[str, list[str]]:
    """Counties and towns of the directory (the filter's choices; towns of the chosen county)."""
    rows = DirectoryEntry.objects.filter(round=round_).values_list("county", "town").distinct()
    counties = sorted({c for c, _t in rows if c})
    towns = sorted({t for c, t in rows if t and (not county or c == county)})
    return {"counties": counties, "towns": towns}


def unit_chosen(*, user: Any, round_: Round) -> dict[int, Intent]:
    """The acting unit's active intents by directory entry (to mark the directory's rows)."""
    unit = acting_unit(user)
    if unit is None:
        return {}
    return {i.entry_id: i for i in Intent.objects.filter(round=round_, unit=unit, status=IntentStatus.ACTIVE)}


def unit_intents(*, user: Any, round_: Round) -> QuerySet[Intent]:
    """The acting unit's own intents in the round (active first, by rank)."""
    unit = acting_unit(user)
    if unit is None:
        return Intent.objects.none()
    return (
        Intent.objects.filter(round=round_, unit=unit, round__in=rounds_visible(user))
        .select_related("entry__village")
        .order_by("status", "rank", "pk")
    )


def unit_intent_get(*, user: Any, round_: Round, pk: int) -> Intent:
    try:
        return unit_intents(user=user, round_=round_).get(pk=pk)
    except (Intent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unit_intent_limit(*, user: Any, round_: Round) -> int | None:
    """How many intents the acting unit may hold (capacity + the profile's extra), or None."""
    unit = acting_unit(user)
    round_unit = RoundUnit.objects.filter(round=round_, unit=unit).first() if unit is not None else None
    if round_unit is None:
        return None
    return round_unit.capacity + load_profile(round_.policy_key).round.extra_intents


def village_entry(*, user: Any, round_: Round) -> DirectoryEntry:
    """The acting village's own entry in the round's directory, or 404."""
    village = acting_village(user)
    if village is None:
        raise Http404
    try:
        return _with_village_details(DirectoryEntry.objects.filter(round=round_, village=village)).get()
    except DirectoryEntry.DoesNotExist as exc:
        raise Http404 from exc


def village_wishes(*, user: Any, entry: DirectoryEntry) -> QuerySet[VillageWish]:
    """The units a village said it would welcome; visible to the village and the round's admins."""
    village = acting_village(user)
    if not (can_administer(user, entry.round) or (village is not None and village.pk == entry.village_id)):
        return VillageWish.objects.none()
    return VillageWish.objects.filter(entry=entry).select_related("unit").order_by("unit__path")


def wishes_by_village(*, user: Any, round_: Round, village_ids: Iterable[int]) -> dict[int, list[str]]:
    """Welcomed unit names per village, for the admin's allocation page (one query)."""
    if not can_administer(user, round_):
        return {}
    found: dict[int, list[str]] = {}
    for village_id, name in (
        VillageWish.objects.filter(round=round_, entry__village_id__in=set(village_ids))
        .order_by("unit__path")
        .values_list("entry__village_id", "unit__name")
    ):
        found.setdefault(village_id, []).append(name)
    return found


def wished_pairs(*, user: Any, round_: Round) -> set[tuple[int, int]]:
    """(unit, village) pairs a village asked for, to mark them in a run."""
    if not can_administer(user, round_):
        return set()
    return set(VillageWish.objects.filter(round=round_).values_list("unit_id", "entry__village_id"))


class AmbiguousName(Refused):
    """A name typed for a pin that more than one organization of the round bears (the demo's
    two 宽坪村党支部): refused with where each one is, never resolved silently to one."""

    def __init__(self, text: str, places: list[str]) -> None:
        super().__init__(
            _("本轮有 %(n)s 个“%(t)s”（%(places)s），请填写代码以区分")
            % {"n": len(places), "t": text, "places": "；".join(places)},
            code="ambiguous_name",
        )


def _named(qs: QuerySet[Any], field: str, text: str, where: Callable[[Any], str]) -> Organization | None:
    """The organization at ``field`` of the row whose code or full name is ``text``; a name
    borne by several raises :class:`AmbiguousName` naming each one's place (``where(row)``)."""
    text = text.strip()
    found = list(qs.filter(Q(**{f"{field}__code": text}) | Q(**{f"{field}__name": text})).select_related(field)[:10])
    if len(found) > 1 and not any(getattr(row, field).code == text for row in found):
        raise AmbiguousName(text, [f"{where(row)}（{getattr(row, field).code}）" for row in found])
    exact = [row for row in found if getattr(row, field).code == text] or found
    return getattr(exact[0], field) if exact else None


def round_unit_lookup(*, user: Any, round_: Round, text: str) -> Organization | None:
    """A participating unit named by its code or full name (for a typed-in pin)."""
    return _named(
        RoundUnit.objects.filter(round=round_, round__in=rounds_visible(user)), "unit", text, lambda r: r.district
    )


def directory_village_lookup(*, user: Any, round_: Round, text: str) -> Organization | None:
    """A directory village named by its code or full name."""
    return _named(
        DirectoryEntry.objects.filter(round=round_, round__in=rounds_visible(user)),
        "village",
        text,
        lambda e: f"{e.county} {e.town}",
    )


PICK_LIMIT = 20


def round_unit_options(*, user: Any, round_: Round, text: str) -> list[tuple[str, str]]:
    """Participating units whose name or code holds ``text``, as (code, "name — district") for
    the pin form's list: two units of one name are told apart by their place and code."""
    qs = RoundUnit.objects.filter(round=round_, round__in=rounds_visible(user)).select_related("unit")
    text = text.strip()
    if text:
        qs = qs.filter(Q(unit__name__contains=text) | Q(unit__code__startswith=text))
    rows = qs.order_by("unit__name", "unit__code")[:PICK_LIMIT]
    return [(r.unit.code, f"{r.unit.name} — {r.district}") for r in rows]


def directory_village_options(*, user: Any, round_: Round, text: str) -> list[tuple[str, str]]:
    """Directory villages whose name or code holds ``text``, as (code, "name — county town")."""
    qs = DirectoryEntry.objects.filter(round=round_, round__in=rounds_visible(user), is_town=False)
    text = text.strip()
    if text:
        qs = qs.filter(Q(village__name__contains=text) | Q(village__code__startswith=text))
    rows = qs.select_related("village").order_by("village__name", "village__code")[:PICK_LIMIT]
    return [(e.village.code, f"{e.village.name} — {e.county} {e.town}") for e in rows]


def mark_chosen(*, user: Any, round_: Round, entries: Iterable[DirectoryEntry]) -> None:
    """Set ``entry.my_intent`` on a page of entries: the acting unit's active intent or None."""
    chosen = unit_chosen(user=user, round_=round_)
    for entry in entries:
        entry.my_intent = chosen.get(entry.pk)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ChoosingState:
    """Whether units may choose now, and the sentence the directory shows to say so."""

    open: bool
    note: str


def choosing_state(*, round_: Round) -> ChoosingState:
    """Choosing is open while the round is 选择中 and before the intent deadline (seed 004 (八)
    "4月30日前完成网上意向确认"). Publishing a run before that deadline ends choosing (the
    publish dialog warns of it); the directory then hides its forms and says why."""
    deadline = timezone.localtime(round_.intent_deadline)
    if round_.status == RoundStatus.PUBLISHED:
        if timezone.now() < round_.intent_deadline:
            return ChoosingState(
                False,
                _("分配方案已发布，本轮选择已提前结束（原定意向确认截止 %(d)s）。名录仅供查看，请在“结对”中确认。")
                % {"d": f"{deadline:%Y-%m-%d}"},
            )
        return ChoosingState(False, _("分配方案已发布，本轮选择已结束。名录仅供查看，请在“结对”中确认。"))
    if round_.status != RoundStatus.OPEN:
        return ChoosingState(False, _("本轮次当前不在选择阶段，名录仅供查看。"))
    if deadline_passed(round_.intent_deadline):
        return ChoosingState(False, _("意向确认已于 %(d)s 截止，名录仅供查看。") % {"d": f"{deadline:%Y-%m-%d}"})
    return ChoosingState(True, _("选择中：意向确认截止 %(d)s。") % {"d": f"{deadline:%Y-%m-%d %H:%M}"})


def unit_active_order(*, user: Any, round_: Round) -> list[int]:
    """The acting unit's active intents' ids, first choice first (for reordering)."""
    return list(unit_intents(user=user, round_=round_).filter(status=IntentStatus.ACTIVE).values_list("pk", flat=True))


# --- intents of every side (pages of admins, the API) -------------------------------------------


def intents_visible(*, user: Any, round_: Round, active_only: bool = False) -> QuerySet[Intent]:
    """Intents of the round the user may see: their unit's, their village's, their subtree's."""
    qs = Intent.objects.filter(round=round_).filter(Scope.of(user).pairings_q(village="entry__village"))
    if active_only:
        qs = qs.filter(status=IntentStatus.ACTIVE)
    return qs.select_related("entry__village", "unit").order_by("unit_id", "rank", "pk")


def intent_get(*, user: Any, round_: Round, pk: int) -> Intent:
    """One intent the user may see, or 404."""
    try:
        return intents_visible(user=user, round_=round_).select_related("round").get(pk=pk)
    except (Intent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("该意向不存在或不在您的管理范围内") from exc

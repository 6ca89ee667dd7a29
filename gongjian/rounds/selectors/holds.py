"""Reads for the run page: which villages a run did not offer because their places were
already held (renewal offers, published pairs), and every pair the run forbade — the
admin's own forbids and the automatic ones (a declined renewal, an adjustment) — with its
source, next to the admin's pins.

Read from what the run stored (its engine input: villages with the places left to it, and
forbids) and the round's pairings as they stood when the run was made, so that an old
run explains itself even after later confirmations or adjustments. Both stored layouts of
the engine input (before and after its format version) keep ``villages[].id/max_pairs``
and ``forbids[].unit/village``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongjian.orgs.models import Organization
from gongjian.rounds.access import can_administer, rounds_visible
from gongjian.rounds.models import AllocationRun, DirectoryEntry, Pairing, PairingOrigin, PairingStatus

# A pairing a later publication withdrew is not a ban (services_allocation writes this reason).
WITHDRAWN_BY_REPUBLISH = "重新分配后撤回"
DECLINED_RENEWAL_PREFIX = "不续签"  # services_pairing.pairing_decline_renewal's end reason


@dataclass(frozen=True)
class Holder:
    """A pair that held one of a village's places when the run was made."""

    unit_name: str
    label: str  # 续签待定 / 已续签 / 已分配待确认 / 双方已确认 / 已签约
    renewal_pending: bool = False


@dataclass(frozen=True)
class HeldVillage:
    village_id: int
    village_name: str
    county: str
    town: str
    places: int  # the village's max pairs in the directory
    offered: int  # places the run could still fill (0: the village took no part)
    holders: list[Holder] = field(default_factory=list)

    @property
    def renewal_pending(self) -> bool:
        return any(h.renewal_pending for h in self.holders)


@dataclass(frozen=True)
class PairRule:
    """A pin or forbid of the run, with where it came from."""

    unit_id: int
    unit_name: str
    village_id: int
    village_name: str
    kind: str  # "pin" | "forbid"
    source: str  # "admin" | "declined_renewal" | "adjustment"
    source_label: str
    detail: str = ""


def _standing_at(run: AllocationRun) -> QuerySet[Pairing]:
    """The round's pairings that stood when the run was made (created before it, not yet ended)."""
    return Pairing.objects.filter(round_id=run.round_id, created_at__lte=run.created_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=run.created_at)
    )


def _agreed_by(pairing: Pairing, moment: Any) -> bool:
    """Both sides had confirmed (a renewal: consented) by ``moment``."""
    return bool(
        pairing.unit_confirmed_at
        and pairing.village_confirmed_at
        and pairing.unit_confirmed_at <= moment
        and pairing.village_confirmed_at <= moment
    )


def _holder(pairing: Pairing, moment: Any) -> Holder:
    """The pair as it stood at ``moment`` (the run's time), from the confirmation times."""
    agreed = _agreed_by(pairing, moment)
    if pairing.origin == PairingOrigin.RENEWAL:
        if agreed:
            return Holder(pairing.unit.name, str(_("已续签")))
        return Holder(pairing.unit.name, str(_("续签待定")), renewal_pending=True)
    if not agreed:
        return Holder(pairing.unit.name, str(_("已分配待确认")))
    if pairing.status == PairingStatus.SIGNED:
        return Holder(pairing.unit.name, str(_("已签约")))
    return Holder(pairing.unit.name, str(_("双方已确认")))


def run_held_villages(*, user: Any, run: AllocationRun) -> list[HeldVillage]:
    """Villages whose places were (partly or wholly) held when the run was made, each with
    the pairs holding them; empty for anyone but the round's admins."""
    if not can_administer(user, run.round) or not rounds_visible(user).filter(pk=run.round_id).exists():
        return []
    offered = {int(v["id"]): int(v.get("max_pairs", 0)) for v in (run.instance or {}).get("villages", [])}
    entries = DirectoryEntry.objects.filter(round_id=run.round_id).values_list(
        "village_id", "max_pairs", "county", "town"
    )
    short = {vid: (most, county, town) for vid, most, county, town in entries if offered.get(vid, 0) < most}
    if not short:
        return []
    holders: dict[int, list[Holder]] = {}
    for pairing in _standing_at(run).filter(village_id__in=short).select_related("unit").order_by("pk"):
        holders.setdefault(pairing.village_id, []).append(_holder(pairing, run.created_at))
    names = dict(Organization.objects.filter(pk__in=short).values_list("pk", "name"))
    rows = [
        HeldVillage(
            village_id=vid,
            village_name=names.get(vid, str(vid)),
            county=county,
            town=town,
            places=most,
            offered=offered.get(vid, 0),
            holders=holders.get(vid, []),
        )
        for vid, (most, county, town) in short.items()
        if holders.get(vid)  # a village short of places for another reason is not "held"
    ]
    return sorted(rows, key=lambda h: (h.county, h.town, h.village_name))


def run_pair_rules(*, user: Any, run: AllocationRun) -> list[PairRule]:
    """Every pin and forbid of the run: the admin's own, and the forbids the round added by
    itself — a declined renewal (seed 004 (八): renewal only "在双方自愿基础上") or an
    adjustment that ended the pair — each with its source. Empty for non-admins."""
    if not can_administer(user, run.round) or not rounds_visible(user).filter(pk=run.round_id).exists():
        return []
    admin_pins = {(int(u), int(v)) for u, v in run.pins}
    admin_forbids = {(int(u), int(v)) for u, v in run.forbids}
    stored = {(int(f["unit"]), int(f["village"])) for f in (run.instance or {}).get("forbids", [])}
    automatic = stored - admin_forbids
    ended: dict[tuple[int, int], Pairing] = {}
    if automatic:
        for pairing in (
            Pairing.objects.filter(round_id=run.round_id, status=PairingStatus.ENDED, ended_at__lte=run.created_at)
            .exclude(end_reason=WITHDRAWN_BY_REPUBLISH)
            .order_by("ended_at")
        ):
            ended[(pairing.unit_id, pairing.village_id)] = pairing
    ids = {x for pair in admin_pins | stored | admin_forbids for x in pair}
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))

    def rule(pair: tuple[int, int], kind: str, source: str, label: str, detail: str = "") -> PairRule:
        u, v = pair
        return PairRule(u, names.get(u, str(u)), v, names.get(v, str(v)), kind, source, label, detail)

    rows = [rule(p, "pin", "admin", str(_("管理员指定"))) for p in sorted(admin_pins)]
    rows += [rule(p, "forbid", "admin", str(_("管理员禁止"))) for p in sorted(admin_forbids)]
    for pair in sorted(automatic):
        found = ended.get(pair)
        reason = found.end_reason if found is not None else ""
        if reason.startswith(DECLINED_RENEWAL_PREFIX):
            rows.append(rule(pair, "forbid", "declined_renewal", str(_("不续签")), reason))
        else:
            rows.append(rule(pair, "forbid", "adjustment", str(_("调整（结对已终止）")), reason))
    return rows


def run_coverage_explained(*, run: AllocationRun, held: list[HeldVillage]) -> str:
    """ "覆盖 C / R" in words: what the required places are, and what was left out because
    it was already held (so that "覆盖 0 / 0" reads as "nothing was left to allocate")."""
    villages = len((run.instance or {}).get("villages", []))
    asked = sum(1 for v in (run.instance or {}).get("villages", []) if int(v.get("min_pairs", 0)) > 0)
    pending = sum(1 for h in held if h.renewal_pending)
    parts = []
    if run.required_slots == 0:
        parts.append(_("本方案没有需要分配的名额（应覆盖 0 个）。"))
    else:
        parts.append(
            _("应覆盖 %(r)d 个名额：参与本次分配的 %(n)d 个村中，%(a)d 个村还差的结对单位数之和；已覆盖 %(c)d 个。")
            % {"r": run.required_slots, "n": villages, "a": asked, "c": run.covered_slots}
        )
    if held and pending == len(held):
        parts.append(
            _(
                "另有 %(h)d 个村的名额在运行时已被占用，不再分配："
                "都在等上一轮结对双方决定是否续签（续签待定，见“已占用名额的村”）。"
            )
            % {"h": len(held)}
        )
    elif held:
        parts.append(
            _(
                "另有 %(h)d 个村的名额在运行时已被占用，不再分配：其中 %(p)d 个村续签待定，"
                "%(o)d 个村已续签或已有发布的结对（见“已占用名额的村”）。"
            )
            % {"h": len(held), "p": pending, "o": len(held) - pending}
        )
    if run.required_slots == 0 and not held:
        parts.append(_("名录中没有需要结对的村。"))
    return "".join(str(p) for p in parts)

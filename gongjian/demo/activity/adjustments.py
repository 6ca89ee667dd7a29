"""Demo dynamic adjustments (动态调整, seed 004 doc 1 (八), doc 2 二、1): a few pairs whose year
shows the least work are replaced through the rounds service ``pairing_replace`` — the old pair
ends, the replacement has its own deadline, the adjustment is recorded, audited and notified —
only where the round's profile has an ``adjustment`` section.

All replacements but the last stand confirmed and signed (their organizations have no accounts
to act with, as the demo round's other pairs; one audit row records it); the last waits for
both sides' confirmation within its own deadline, as a replacement does after an adjustment.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Collection
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongjian.audit.services import audit_event
from gongjian.policies import load_profile
from gongjian.records.choices import VisitorLevel
from gongjian.records.models import Visit
from gongjian.rounds.models import Pairing, PairingAdjustment, PairingStatus, Round
from gongjian.rounds.services_adjustment import adjustment_candidates, pairing_replace
from gongjian.rounds.services_agreement_archive import agreements_record_signed
from gongjian.rounds.stage import refresh_stage

REASON = "{year}年走访{visits}次，党委主要领导和分管领导未到村，共建效果不好，经研究予以调整"


def flagged_pairs(round_: Round, year: int, count: int, keep: Collection[int]) -> list[Pairing]:
    """The signed pairs of ``round_`` with the least work in ``year``: no visit by the principal
    or the leader in charge, then the fewest visits. Pairs with an organization of ``keep``
    (the demo accounts' own) are left alone."""
    visits: Counter[int] = Counter()
    leaders: set[int] = set()
    rows = Visit.objects.filter(pairing__round=round_, date__year=year).values_list("pairing_id", "visitor_level")
    for pairing_id, level in rows:
        visits[pairing_id] += 1
        if level in (VisitorLevel.PRINCIPAL, VisitorLevel.IN_CHARGE):
            leaders.add(pairing_id)
    signed = (
        Pairing.objects.filter(round=round_, status=PairingStatus.SIGNED)
        .exclude(unit_id__in=keep)
        .exclude(village_id__in=keep)
        .select_related("round", "unit", "village", "entry")
    )
    laggards = [p for p in signed if p.pk not in leaders]
    return sorted(laggards, key=lambda p: (visits[p.pk], p.pk))[:count]


def generate_adjustments(
    round_: Round,
    actor: Any,
    *,
    today: datetime.date,
    seed: int = 7,
    count: int = 3,
    keep: Collection[int] = (),
) -> dict[str, int]:
    """Replace the units of ``count`` flagged pairs of ``round_`` (profile permitting); returns
    counts: ``adjusted`` and ``signed`` (replacements that stand signed)."""
    if load_profile(round_.policy_key).adjustment is None:
        return {"adjusted": 0, "signed": 0}
    rng = random.Random(seed)
    made: list[PairingAdjustment] = []
    for pairing in flagged_pairs(round_, today.year, count, keep):
        visits = Visit.objects.filter(pairing=pairing, date__year=today.year).count()
        candidates = [ru for ru in adjustment_candidates(round_, pairing) if ru.unit_id not in keep]
        if not candidates:
            continue
        new_unit = rng.choice(candidates).unit
        reason = REASON.format(year=today.year, visits=visits)
        made.append(pairing_replace(actor=actor, pairing=pairing, new_unit=new_unit, reason=reason))
    signed = _sign([a.new_pairing for a in made[:-1]], round_)
    return {"adjusted": len(made), "signed": signed}


def _sign(pairings: list[Pairing], round_: Round) -> int:
    """The replacements' organizations have no accounts: they stand confirmed and signed."""
    if not pairings:
        return 0
    now = timezone.now()
    ids = [p.pk for p in pairings]
    marked = Pairing.objects.filter(pk__in=ids, status=PairingStatus.PROPOSED).update(
        status=PairingStatus.SIGNED,
        unit_confirmed_at=Coalesce(F("unit_confirmed_at"), Value(now)),
        village_confirmed_at=Coalesce(F("village_confirmed_at"), Value(now)),
    )
    fresh = list(Pairing.objects.filter(pk__in=ids).select_related("round", "entry"))
    for pairing in fresh:
        refresh_stage(pairing.entry)
    agreements_record_signed(actor=None, pairings=fresh, signed_at=now, scope_path=round_.scope.path)
    audit_event(  # the action of the demo round's other pairs that stand signed (its label in audit.actions)
        "demo.round_signed",
        actor=None,
        target=round_,
        scope_path=round_.scope.path,
        after={"marked_signed": marked, "adjustment_replacements": ids},
    )
    return marked

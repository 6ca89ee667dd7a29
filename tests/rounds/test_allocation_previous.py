"""The renewal bonus goes to last round's signed pairs only (seed 004 (八): 结对关系 that
stood are renewed; a pair confirmed but never signed, or ended, is not)."""

from __future__ import annotations

from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, Round, RoundStatus
from gongjian.rounds.selectors.allocation import allocation_snapshot
from tests.conftest import Cast
from tests.rounds.conftest import make_round


def test_only_signed_pairs_of_the_previous_round_earn_the_renewal_bonus(cast: Cast) -> None:
    previous = make_round(cast)
    for unit, village, status in (
        (cast.unit, cast.village, PairingStatus.SIGNED),
        (cast.unit, cast.other_village, PairingStatus.CONFIRMED),  # never signed
        (cast.sibling_unit, cast.sibling_village, PairingStatus.ENDED),
    ):
        Pairing.objects.create(
            round=previous,
            entry=DirectoryEntry.objects.get(round=previous, village=village),
            unit=unit,
            village=village,
            origin=PairingOrigin.ALLOCATION,
            status=status,
        )
    Round.objects.filter(pk=previous.pk).update(status=RoundStatus.CLOSED)
    current = make_round(cast, previous_round=previous)
    snapshot = allocation_snapshot(current, pins=[], forbids=[], open_only=False)
    renewed = {(p.unit, p.village) for p in snapshot.instance.previous}
    assert renewed == {(str(cast.unit.pk), str(cast.village.pk))}

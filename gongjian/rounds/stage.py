"""Keeping a directory entry's ``stage`` true to its intents and pairings."""

from __future__ import annotations

from gongjian.rounds.models import DirectoryEntry, Pairing, PairingStatus, Stage

_ORDER = [Stage.ALLOCATED, Stage.CONFIRMED, Stage.SIGNED]
_BY_STATUS = {
    PairingStatus.PROPOSED: Stage.ALLOCATED,
    PairingStatus.CONFIRMED: Stage.CONFIRMED,
    PairingStatus.SIGNED: Stage.SIGNED,
}


def entry_stage(entry: DirectoryEntry) -> str:
    """A village is as far as its least advanced pair once it has its ``min`` of them;
    before that, "intent" if any unit chose it."""
    statuses = list(
        Pairing.objects.filter(entry=entry).exclude(status=PairingStatus.ENDED).values_list("status", flat=True)
    )
    if statuses and len(statuses) >= entry.min_pairs:
        return min((_BY_STATUS[PairingStatus(s)] for s in statuses), key=_ORDER.index)
    if statuses:
        return Stage.ALLOCATED
    return Stage.INTENT if entry.intent_count else Stage.NONE


def refresh_stage(entry: DirectoryEntry) -> None:
    """Recompute and store the stage (call inside the transaction that changed the entry)."""
    stage = entry_stage(entry)
    if stage != entry.stage:
        entry.stage = stage
        DirectoryEntry.objects.filter(pk=entry.pk).update(stage=stage)

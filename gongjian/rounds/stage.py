"""Keeping a directory entry's ``stage`` and ``renewal_held`` true to its intents and pairings."""

from __future__ import annotations

from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, Stage

_ORDER = [Stage.ALLOCATED, Stage.CONFIRMED, Stage.SIGNED]
_BY_STATUS = {
    PairingStatus.PROPOSED: Stage.ALLOCATED,
    PairingStatus.CONFIRMED: Stage.CONFIRMED,
    PairingStatus.SIGNED: Stage.SIGNED,
}


def _live(entry: DirectoryEntry) -> list[tuple[str, str]]:
    return list(
        Pairing.objects.filter(entry=entry).exclude(status=PairingStatus.ENDED).values_list("status", "origin")
    )


def entry_stage(entry: DirectoryEntry, live: list[tuple[str, str]] | None = None) -> str:
    """A village is as far as its least advanced pair once it has its ``min`` of them;
    before that, "intent" if any unit chose it."""
    statuses = [s for s, _o in (live if live is not None else _live(entry))]
    if statuses and len(statuses) >= entry.min_pairs:
        return min((_BY_STATUS[PairingStatus(s)] for s in statuses), key=_ORDER.index)
    if statuses:
        return Stage.ALLOCATED
    return Stage.INTENT if entry.intent_count else Stage.NONE


def refresh_stage(entry: DirectoryEntry) -> None:
    """Recompute and store the stage and the places held by renewals (call inside the
    transaction that changed the entry: a declined or ended renewal gives its place back)."""
    live = _live(entry)
    stage = entry_stage(entry, live)
    held = sum(1 for _s, origin in live if origin == PairingOrigin.RENEWAL)
    changed: dict[str, object] = {}
    if stage != entry.stage:
        changed["stage"] = entry.stage = stage
    if held != entry.renewal_held:
        changed["renewal_held"] = entry.renewal_held = held
    if changed:
        DirectoryEntry.objects.filter(pk=entry.pk).update(**changed)

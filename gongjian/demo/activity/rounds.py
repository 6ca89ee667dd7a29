"""Demo data for the later stages: a pairing round whose pairs are already signed, on an
existing demo registry (``gongjian demo``), so that records, funds, compliance and the
dashboards have something to hang on.

County scale goes through the rounds services (create, open, allocate, publish; the demo
accounts confirm and sign their own pair with the real agreement PDF). Province scale
(20,000 villages) writes the round with ``bulk_create`` in a few seconds: running the
engine and rendering 20,000 agreements is what the rounds benchmark measures, not a
fixture's job.

Every other signed pair gets its agreement as a round signed before the platform would
have it (``services_agreement_archive``): both sides' secretaries as signers, PDFs rendered
on first download — the archive holds an agreement for every signed pair, as after a real
round, without rendering a PDF per pair up front (about a second each).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongjian.audit.services import audit_event
from gongjian.orgs.models import NON_UNIT_KINDS, Organization, OrgKind
from gongjian.orgs.scope import subtree
from gongjian.rounds.models import (
    DirectoryEntry,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
    Stage,
)

BULK_ABOVE = 2000  # villages: above this the round is written in bulk
BATCH = 5000


@dataclass(frozen=True)
class DemoRound:
    """What :func:`demo_round_with_signed_pairings` made."""

    round: Round
    pairings: int
    villages: int
    units: int
    bulk: bool
    seconds: float


def _term(year: int, term_years: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 1, 1)
    return start, datetime.date(year + term_years, 1, 1) - datetime.timedelta(days=1)


def _backdate(round_: Round, year: int, term_years: int) -> None:
    """Put the (finished) round's term at 1 January of ``year`` so a year of records fits it;
    its deadlines passed before the term began."""
    start, end = _term(year, term_years)
    deadline = timezone.make_aware(datetime.datetime(year - 1, 12, 31, 23, 59))
    Round.objects.filter(pk=round_.pk).update(
        term_start=start, term_end=end, intent_deadline=deadline, signing_deadline=deadline
    )
    round_.refresh_from_db()


def demo_round_with_signed_pairings(
    *,
    scope: Organization,
    actor: Any,
    year: int,
    policy_key: str = "shanghai",
    name: str = "",
    seed: int = 1,
    bulk: bool | None = None,
    unit_user: Any = None,
    village_user: Any = None,
) -> DemoRound:
    """A round over ``scope`` (an existing demo subtree) whose pairings are all signed, with
    its term starting on 1 January of ``year``.

    ``actor`` is an admin of ``scope`` (the demo's ``city_admin``). ``bulk`` defaults to
    True above 2,000 villages. Without bulk the round goes through the services; the pair of
    ``unit_user``'s unit and ``village_user``'s village (pinned in the allocation) is
    confirmed and signed by those two accounts with the real agreement; the other pairs,
    whose organizations have no accounts, are marked signed directly. With bulk every row
    is written with ``bulk_create`` (every village paired with a unit, by capacity) and
    one audit row records it.
    """
    import time

    from gongjian.policies import load_profile

    started = time.perf_counter()
    profile = load_profile(policy_key)
    name = name or f"{year}年城乡基层党组织结对共建（演示）"
    villages = subtree(scope).filter(kind=OrgKind.VILLAGE, is_active=True)
    if bulk is None:
        bulk = villages.count() > BULK_ABOVE
    if bulk:
        round_, pairs = _bulk_round(scope, actor, year, policy_key, name, seed, profile.round.term_years)
    else:
        round_, pairs = _service_round(scope, actor, year, policy_key, name, unit_user, village_user)
        _backdate(round_, year, profile.round.term_years)
    return DemoRound(
        round=round_,
        pairings=pairs,
        villages=DirectoryEntry.objects.filter(round=round_).count(),
        units=RoundUnit.objects.filter(round=round_).count(),
        bulk=bulk,
        seconds=time.perf_counter() - started,
    )


def _service_round(
    scope: Organization, actor: Any, year: int, policy_key: str, name: str, unit_user: Any, village_user: Any
) -> tuple[Round, int]:
    from gongjian.rounds.services_agreement import agreement_generate, agreement_sign
    from gongjian.rounds.services_allocation import allocation_publish, allocation_run
    from gongjian.rounds.services_pairing import pairing_confirm
    from gongjian.rounds.services_setup import round_create, round_open

    today = timezone.localdate()
    round_ = round_create(
        actor=actor,
        scope=scope,
        name=name,
        policy_key=policy_key,
        intent_deadline=today + datetime.timedelta(days=1),
        signing_deadline=today + datetime.timedelta(days=2),
        term_start=today + datetime.timedelta(days=2),
        term_end=today + datetime.timedelta(days=2 + 365 * 3),
    )
    round_open(actor=actor, round_=round_)
    pins: list[tuple[int, int]] = []
    own = unit_user is not None and village_user is not None
    if own:
        pins = [(unit_user.organization_id, village_user.organization_id)]
    run = allocation_run(actor=actor, round_=round_, pins=pins)
    allocation_publish(actor=actor, run=run)
    if own:
        pairing = Pairing.objects.get(
            round=round_, unit_id=unit_user.organization_id, village_id=village_user.organization_id
        )
        pairing_confirm(actor=unit_user, pairing=pairing)
        pairing = pairing_confirm(actor=village_user, pairing=pairing)
        agreement_generate(actor=unit_user, pairing=pairing)
        agreement_sign(actor=unit_user, pairing=pairing, signer_name="张伟", signer_post="党委书记")
        agreement_sign(actor=village_user, pairing=pairing, signer_name="李秀英", signer_post="村党支部书记")
    # The other pairs' organizations have no accounts to act with: they stand signed.
    now = timezone.now()
    with transaction.atomic():
        rest = Pairing.objects.filter(round=round_, status__in=(PairingStatus.PROPOSED, PairingStatus.CONFIRMED))
        marked = rest.update(
            status=PairingStatus.SIGNED,
            unit_confirmed_at=Coalesce(F("unit_confirmed_at"), Value(now)),
            village_confirmed_at=Coalesce(F("village_confirmed_at"), Value(now)),
        )
        DirectoryEntry.objects.filter(round=round_, pairings__status=PairingStatus.SIGNED).update(stage=Stage.SIGNED)
        audit_event(
            "demo.round_signed",
            actor=None,
            target=round_,
            scope_path=scope.path,
            after={"marked_signed": marked},
        )
        _record_agreements(round_, scope, now)
    return round_, Pairing.objects.filter(round=round_, status=PairingStatus.SIGNED).count()


def _bulk_round(
    scope: Organization, actor: Any, year: int, policy_key: str, name: str, seed: int, term_years: int
) -> tuple[Round, int]:
    rng = random.Random(seed)
    start, end = _term(year, term_years)
    deadline = timezone.make_aware(datetime.datetime(year - 1, 12, 31, 23, 59))
    now = timezone.now()
    with transaction.atomic():
        round_ = Round.objects.create(
            name=name,
            scope=scope,
            policy_key=policy_key,
            status=RoundStatus.PUBLISHED,
            intent_deadline=deadline,
            signing_deadline=deadline,
            term_start=start,
            term_end=end,
            created_by_id=getattr(actor, "pk", None) or _any_admin_id(scope),
            opened_at=deadline,
        )
        in_scope = subtree(scope).filter(is_active=True)
        village_rows = list(
            in_scope.filter(kind=OrgKind.VILLAGE).values_list("id", "region__name", "region__parent__name")
        )
        unit_rows = list(in_scope.exclude(kind__in=NON_UNIT_KINDS).filter(capacity__gt=0).values_list("id", "capacity"))
        rng.shuffle(village_rows)
        slots = [unit_id for unit_id, capacity in unit_rows for _ in range(capacity)]
        rng.shuffle(slots)
        paired = min(len(slots), len(village_rows))
        entries = [
            DirectoryEntry(
                round=round_,
                village_id=vid,
                town=town or "",
                county=county or town or "",
                intent_count=1 if i < paired else 0,
                stage=Stage.SIGNED if i < paired else Stage.NONE,
            )
            for i, (vid, town, county) in enumerate(village_rows)
        ]
        DirectoryEntry.objects.bulk_create(entries, batch_size=BATCH)
        RoundUnit.objects.bulk_create(
            (RoundUnit(round=round_, unit_id=uid, capacity=cap) for uid, cap in unit_rows), batch_size=BATCH
        )
        Pairing.objects.bulk_create(
            (
                Pairing(
                    round=round_,
                    entry=entries[i],
                    unit_id=slots[i],
                    village_id=entries[i].village_id,
                    origin=PairingOrigin.ALLOCATION,
                    status=PairingStatus.SIGNED,
                    unit_confirmed_at=now,
                    village_confirmed_at=now,
                )
                for i in range(paired)
            ),
            batch_size=BATCH,
        )
        _record_agreements(round_, scope, now)
        audit_event(
            "demo.round_bulk",
            actor=None,
            target=round_,
            scope_path=scope.path,
            after={"villages": len(entries), "units": len(unit_rows), "pairings": paired},
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics after the bulk load
            for table in ("rounds_directoryentry", "rounds_roundunit", "rounds_pairing"):
                cursor.execute(f"ANALYZE {table}")
    return round_, paired


def _record_agreements(round_: Round, scope: Organization, signed_at: datetime.datetime) -> int:
    """An agreement for every signed pair of the round that has none (see the module doc)."""
    from gongjian.rounds.services_agreement_archive import agreements_record_signed

    pairings = Pairing.objects.filter(round=round_, status=PairingStatus.SIGNED).select_related("round")
    return agreements_record_signed(actor=None, pairings=pairings, signed_at=signed_at, scope_path=scope.path)


def _any_admin_id(scope: Organization) -> int:
    from gongjian.accounts.models import User

    user = User.objects.filter(organization__path__in=_ancestors(scope.path)).order_by("pk").first()
    if user is None:
        user = User.objects.order_by("pk").first()
    if user is None:
        raise ValueError("没有可作为轮次创建人的账号：请先生成演示账号")
    return int(user.pk)


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

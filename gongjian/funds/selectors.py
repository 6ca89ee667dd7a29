"""Reads of the funds app, always filtered to the acting user's scope (orgs.scope);
anything outside it is a 404. The public disclosure reads are at the end (no user)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from gongjian.funds.access import pairings_visible
from gongjian.funds.models import Disclosure, DonorFeedback, Pledge, Receipt, Transfer, Use
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import UNIT_USER, VILLAGE_USER, Scope, organizations_in_scope, scope_root
from gongjian.orgs.search import filter_by_name, name_condition
from gongjian.rounds.models import Pairing, PairingStatus


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def funds_pairings(*, user: Any, query: str = "") -> QuerySet[Pairing]:
    """Signed pairings (and ended ones, whose money stays on the books) the user may see."""
    qs = pairings_visible(user).filter(status__in=[PairingStatus.SIGNED, PairingStatus.ENDED])
    village_match, unit_match = name_condition(query, prefix="village__"), name_condition(query, prefix="unit__")
    if village_match is not None and unit_match is not None:
        qs = qs.filter(village_match | unit_match)
    return qs.select_related("unit", "village", "round").order_by("village__path", "unit__path", "pk")


def pairing_get(*, user: Any, pk: Any) -> Pairing:
    """One pairing whose funds the user may see, or 404."""
    return _get(pairings_visible(user).select_related("unit", "village", "round"), pk)  # type: ignore[no-any-return]


def funds_villages(*, user: Any, query: str = "") -> QuerySet[Organization]:
    """Villages in the user's subtree that have (had) a pairing."""
    qs = organizations_in_scope(user).filter(kind=OrgKind.VILLAGE)
    qs = qs.filter(Exists(Pairing.objects.filter(village=OuterRef("pk"))))
    if query:
        qs = filter_by_name(qs, query)
    return qs.order_by("path")


def village_get(*, user: Any, pk: Any) -> Organization:
    """A village in the user's subtree, or 404."""
    return _get(organizations_in_scope(user).filter(kind=OrgKind.VILLAGE), pk)  # type: ignore[no-any-return]


def own_village(user: Any) -> Organization | None:
    """The village a village user works for."""
    root = scope_root(user)
    if getattr(user, "role", "") == VILLAGE_USER and root is not None and root.is_village:
        return root
    return None


def transfer_get(*, user: Any, pk: Any) -> Transfer:
    visible = pairings_visible(user)
    qs = Transfer.objects.filter(pairing__in=visible).select_related("pairing__unit", "pairing__village")
    return _get(qs, pk)  # type: ignore[no-any-return]


def transfer_received(transfer: Transfer) -> bool:
    """Whether the village has confirmed this transfer's receipt (one receipt a transfer)."""
    return Receipt.objects.filter(transfer=transfer).exists()


def feedback_get(*, user: Any, pk: Any) -> DonorFeedback:
    qs = DonorFeedback.objects.filter(pairing__in=pairings_visible(user)).select_related(
        "pairing__unit", "pairing__village"
    )
    return _get(qs, pk)  # type: ignore[no-any-return]


def use_get(*, user: Any, pk: Any) -> Use:
    """A use of a village in the user's subtree, or of a pairing of the user's unit."""
    qs = Use.objects.filter(Q(village__in=organizations_in_scope(user)) | Q(pairing__in=pairings_visible(user)))
    return _get(qs.select_related("village", "pairing__unit"), pk)  # type: ignore[no-any-return]


def pairing_pledges(pairing: Pairing) -> QuerySet[Pledge]:
    """(The pairing was fetched through :func:`pairing_get`, so it is in scope.)"""
    return Pledge.objects.filter(pairing=pairing).order_by("-year", "-pledged_at", "-pk")


def pairing_transfers(pairing: Pairing) -> QuerySet[Transfer]:
    return Transfer.objects.filter(pairing=pairing).select_related("receipt").order_by("-date", "-pk")


def pairing_uses(pairing: Pairing) -> QuerySet[Use]:
    return Use.objects.filter(pairing=pairing).order_by("-date", "-pk")


def pairing_feedback(pairing: Pairing) -> QuerySet[DonorFeedback]:
    return DonorFeedback.objects.filter(pairing=pairing).select_related("sent_by").order_by("-date", "-pk")


def village_transfers_awaiting_receipt(village: Organization) -> QuerySet[Transfer]:
    """Transfers to the village it has not yet confirmed (在途)."""
    return (
        Transfer.objects.filter(pairing__village=village, receipt__isnull=True)
        .select_related("pairing__unit")
        .order_by("date", "pk")
    )


def village_receipts(village: Organization) -> QuerySet[Receipt]:
    return (
        Receipt.objects.filter(transfer__pairing__village=village)
        .select_related("transfer__pairing__unit")
        .order_by("-received_on", "-pk")
    )


def village_uses(village: Organization) -> QuerySet[Use]:
    return Use.objects.filter(village=village).select_related("pairing__unit").order_by("-date", "-pk")


def village_disclosures(village: Organization) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(village=village).order_by("-year", "-period_start")


def unread_feedback(*, user: Any) -> QuerySet[DonorFeedback]:
    """Feedback to the user's unit not yet acknowledged."""
    return (
        DonorFeedback.objects.filter(pairing__in=pairings_visible(user), read_at__isnull=True)
        .select_related("pairing__village", "pairing__unit")
        .order_by("-date")
    )


# --- Public (no login): only what a village has published. ------------------------------


def public_villages(query: str = "") -> QuerySet[Organization]:
    """Villages with at least one published disclosure."""
    qs = Organization.objects.filter(kind=OrgKind.VILLAGE, is_active=True, fund_disclosures__isnull=False).distinct()
    if query:
        qs = filter_by_name(qs, query)
    return qs.order_by("path")


def public_village(pk: Any) -> Organization:
    """A village with a published disclosure, or 404 (nothing else about it is public here)."""
    return _get(public_villages(), pk)  # type: ignore[no-any-return]


def public_disclosures(village: Organization) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(village=village).order_by("-year", "-period_start")


def unit_transfer_totals(*, user: Any, year: int) -> dict[str, Decimal]:
    """What the user's unit transferred in ``year`` by channel (a hint for the calculator)."""
    scope = Scope.of(user)
    if getattr(user, "role", "") != UNIT_USER or scope.root is None:
        return {}
    rows = (
        Transfer.objects.filter(scope.q("pairing__unit"), date__year=year)
        .values("channel")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["channel"]: row["total"] for row in rows}


def default_policy_key(user: Any) -> str:
    """The policy profile of the most recent round the user's pairings belong to."""
    pairing = pairings_visible(user).select_related("round").order_by("-round__created_at").first()
    return pairing.round.policy_key if pairing is not None else ""


def village_pairings(village: Organization) -> QuerySet[Pairing]:
    """The village's pairings a use of funds may be charged to."""
    return Pairing.objects.filter(village=village).select_related("unit", "round")

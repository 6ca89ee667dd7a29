"""Reading the joint appraisal (both sides of a pair assessed; the profile's ``joint_appraisal``)
from the stored rows, within the user's scope (``orgs.scope.Scope``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from gongjian.compliance.assess import money
from gongjian.compliance.models import PairStatus
from gongjian.orgs.scope import Scope
from gongjian.records.models_village_duties import VillageDutyKind


@dataclass(frozen=True)
class JointSummary:
    """The figures above the table: pairs appraised jointly, those whose village side is scored
    apart, how many of these villages met every duty, and the means of each side and the result."""

    pairs: int
    village_scored: int
    villages_all_met: int
    unit_mean: Decimal | None
    village_mean: Decimal | None
    joint_mean: Decimal | None

    @property
    def all_met_percent(self) -> Decimal | None:
        if not self.village_scored:
            return None
        return money(Decimal(100) * self.villages_all_met / self.village_scored)


def joint_pairs(*, user: Any, year: int) -> QuerySet[PairStatus]:
    """The user's pairs of ``year`` with a joint appraisal, lowest joint result first."""
    return (
        PairStatus.objects.filter(Scope.of(user).pairings_q(), year=year, joint_score__isnull=False)
        .select_related("unit", "village", "committee")
        .order_by("joint_score", "unit__name", "village__name", "pk")
    )


def joint_summary(*, user: Any, year: int) -> JointSummary:
    """One aggregate over the user's jointly appraised pairs of ``year``."""
    row = joint_pairs(user=user, year=year).aggregate(
        pairs=Count("id"),
        scored=Count("id", filter=Q(village_score__isnull=False)),
        all_met=Count("id", filter=Q(village_score__isnull=False, village_missed=0)),
        unit=Avg("score"),
        village=Avg("village_score"),
        joint=Avg("joint_score"),
    )
    mean = {k: None if row[k] is None else money(row[k]) for k in ("unit", "village", "joint")}
    return JointSummary(row["pairs"], row["scored"], row["all_met"], mean["unit"], mean["village"], mean["joint"])


def duty_label(kind: str) -> str:
    """A village duty's name in the active language (the row stores the kind)."""
    return str(dict(VillageDutyKind.choices).get(kind, kind))


def missed_duties(row: PairStatus) -> list[str]:
    """ "座谈交流：4 期中缺 2 期" per duty with a period missed, for the table and the workbook
    (a bare "2/4" read as two of four done)."""
    return [
        _("%(duty)s：%(periods)s 期中缺 %(missed)s 期")
        % {"duty": duty_label(d["kind"]), "periods": d["periods"], "missed": d["missed"]}
        for d in row.village_duties or []
        if d.get("missed")
    ]

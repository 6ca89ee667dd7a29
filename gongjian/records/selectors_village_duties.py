"""Reading what the village did for its unit and whether it met its profile's counts (seed 002:
每季度座谈交流、反映社情民意各一次，每年培养一名年轻党员，选派代表参与党员评议). Both sides of a
pair are assessed (双向受益; seed 004 doc 2 二、4 "考评一体进行"): the unit by compliance, the
village by :func:`village_duty_status`."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.policies import PolicyProfileError, load_profile
from gongjian.policies.village_duties import VillageDutyRules
from gongjian.records.models_village_duties import VillageDuty, VillageDutyKind
from gongjian.rounds.models import Pairing


def duties_of(pairing: Pairing) -> QuerySet[VillageDuty]:
    """The pair's village duties (the caller has checked the pair is visible)."""
    return VillageDuty.objects.filter(pairing=pairing).select_related("entered_by")


def rules_for(pairing: Pairing) -> VillageDutyRules | None:
    try:
        return load_profile(pairing.round.policy_key).village_duties
    except PolicyProfileError:
        return None


@dataclass(frozen=True)
class DutyLine:
    """One duty of one period: what the profile asks, what was done, whether it is met."""

    kind: str
    label: str
    period: str  # "2026年第1季度" or "2026年"
    required: int
    done: int
    due: datetime.date
    met: bool
    overdue: bool

    @property
    def starts(self) -> datetime.date:
        """The period's first day: its quarter's for the quarterly duties, else the year's."""
        if self.kind in (VillageDutyKind.FORUM, VillageDutyKind.OPINION):
            return datetime.date(self.due.year, self.due.month - 2, 1)
        return datetime.date(self.due.year, 1, 1)

    def in_term(self, term_start: datetime.date, term_end: datetime.date | None) -> bool:
        """Whether the period is owed under a term: nothing is owed for a period that ended
        before the term began or began after it ended (seed 002: the duties are owed to the
        共建单位, so not before the pair exists). The page and the joint appraisal both ask this."""
        return term_start <= self.due and (term_end is None or self.starts <= term_end)


def _quarters(year: int, today: datetime.date) -> list[tuple[int, datetime.date, datetime.date]]:
    out = []
    for q in (1, 2, 3, 4):
        start = datetime.date(year, 3 * q - 2, 1)
        end = (datetime.date(year + 1, 1, 1) if q == 4 else datetime.date(year, 3 * q + 1, 1)) - datetime.timedelta(
            days=1
        )
        if start <= today:
            out.append((q, start, end))
    return out


def village_duty_status(
    pairing: Pairing, year: int, today: datetime.date | None = None, *, within_term: bool = False
) -> list[DutyLine]:
    """The village's duties of ``year`` by period (quarters begun so far, and the year); with
    ``within_term`` only the periods of the pair's term, as the joint appraisal scores them."""
    rules = rules_for(pairing)
    if rules is None:
        return []
    dates: dict[str, list[datetime.date]] = {}
    for kind, date in VillageDuty.objects.filter(pairing=pairing, date__year=year).values_list("kind", "date"):
        dates.setdefault(kind, []).append(date)
    lines = duty_lines(rules, dates, year, today or timezone.localdate())
    if not within_term:
        return lines
    # A term signed on 1 July shows no overdue first quarter, as the joint appraisal scores it.
    term = pairing.round
    return [line for line in lines if line.in_term(term.term_start, term.term_end)]


def duty_lines(
    rules: VillageDutyRules, dates: dict[str, list[datetime.date]], year: int, today: datetime.date
) -> list[DutyLine]:
    """The duties' lines from the days each kind was done (pure: the compliance assessment
    scores the village side from these lines for all pairs at once)."""
    labels = dict(VillageDutyKind.choices)
    lines: list[DutyLine] = []
    quarterly = (
        (VillageDutyKind.FORUM, rules.forums_per_quarter),
        (VillageDutyKind.OPINION, rules.opinions_per_quarter),
    )
    for kind, required in quarterly:
        if not required:
            continue
        for q, start, end in _quarters(year, today):
            done = sum(start <= d <= end for d in dates.get(kind, []))
            quarter = _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": q}
            lines.append(
                DutyLine(kind, str(labels[kind]), quarter, required, done, end, done >= required,
                         done < required and end < today)
            )  # fmt: skip
    yearly = (
        (VillageDutyKind.YOUNG_MEMBER, rules.young_members_per_year),
        (VillageDutyKind.REVIEW_DELEGATES, rules.review_delegates_per_year),
    )
    end = datetime.date(year, 12, 31)
    for kind, required in yearly:
        if required:
            done = len(dates.get(kind, []))
            whole_year = _("%(year)s年") % {"year": year}
            lines.append(
                DutyLine(kind, str(labels[kind]), whole_year, required, done, end, done >= required,
                         done < required and end < today)
            )  # fmt: skip
    return lines


def village_duty_counts(pairing: Pairing, year: int) -> Counter[str]:
    return Counter(VillageDuty.objects.filter(pairing=pairing, date__year=year).values_list("kind", flat=True))

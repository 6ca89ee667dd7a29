"""Compliance evaluation, pure: facts about a pair + the profile's obligations + a date →
per obligation met / pending / at risk / missed, with the reason and the deadline.

No database access here (facts are gathered by :mod:`gongjian.compliance.facts`), so the
rules can be checked by hand against the seeds, and a year of 20,000 pairs is a loop.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from gongjian.policies import OBLIGATION_KINDS, PERIODS, Obligation
from gongjian.policies.practices import FiveOne
from gongjian.records.choices import FiveDelivery, SixMust, VisitorLevel

ZERO = Decimal(0)


class Status(enum.StrEnum):
    """Worst last: a pair's status is the worst of its obligations'."""

    MET = "met"
    PENDING = "pending"  # not done yet, but on track and the deadline is not near
    AT_RISK = "at_risk"
    MISSED = "missed"


STATUS_LABELS: dict[str, str] = {
    Status.MET: "已完成",
    Status.PENDING: "进行中",
    Status.AT_RISK: "有风险",
    Status.MISSED: "未完成",
}
SEVERITY: dict[str, int] = {Status.MET: 0, Status.PENDING: 1, Status.AT_RISK: 2, Status.MISSED: 3}
_VISITOR_NAMES: dict[str, str] = {c.value: str(c.label) for c in VisitorLevel}
_KIND_NAMES: dict[str, dict[str, str]] = {
    "six_musts": {c.value: str(c.label) for c in SixMust},
    "deliveries": {c.value: str(c.label) for c in FiveDelivery},
    "five_ones": {c.value: str(c.label) for c in FiveOne},
}


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


@dataclass(frozen=True)
class CardFact:
    """A month's performance card: when submitted and countersigned (None: not yet)."""

    submitted_on: datetime.date | None
    countersigned_on: datetime.date | None


@dataclass(frozen=True)
class FeedbackFact:
    """A villager's opinion: when the unit received it and when it answered (None: not yet)."""

    opened_on: datetime.date
    answered_on: datetime.date | None


@dataclass(frozen=True)
class PairFacts:
    """What the records say about one pair, for one assessment year, up to the as-of date."""

    pairing_id: int
    unit_id: int
    village_id: int
    term_start: datetime.date
    term_end: datetime.date
    village_tags: frozenset[str] = frozenset()
    # Counts by month (1–12) of the year, so that a deadline before the year's end counts
    # only what was done by then.
    visits_year: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # visitor level → month → visits
    visits_term: Mapping[str, int] = field(default_factory=dict)  # visitor level → visits since term start
    six_musts: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # kind → month → times
    deliveries: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # kind → month → times
    funds_paid: Mapping[int, Decimal] = field(default_factory=dict)  # month → transferred
    projects_with_progress: int = 0  # projects with progress or evidence in the year
    cards: Mapping[int, CardFact] = field(default_factory=dict)  # month 1–12 → card
    feedback: tuple[FeedbackFact, ...] = ()  # opinions received in the year
    reports: Mapping[int, datetime.date] = field(default_factory=dict)  # quarter → unit's report submitted on
    funds_first_received: datetime.date | None = None  # the village's first receipt of the pair's funds
    donor_feedback: tuple[datetime.date, ...] = ()  # days the village reported the funds' use to the donor
    # 五个一 (seed 000): target → (day its plan was entered, first day of its evidence), None: not yet
    five_ones: Mapping[str, tuple[datetime.date | None, datetime.date | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """One obligation of one pair in one year."""

    obligation_id: str
    kind: str
    label: str
    status: Status
    done: Decimal
    required: Decimal
    deadline: datetime.date | None
    reason: str
    points_lost: int = 0


@dataclass(frozen=True)
class PairResult:
    pairing_id: int
    unit_id: int
    village_id: int
    year: int
    outcomes: tuple[Outcome, ...]

    @property
    def status(self) -> Status:
        if not self.outcomes:
            return Status.PENDING
        return max((o.status for o in self.outcomes), key=lambda s: SEVERITY[s])

    @property
    def next_deadline(self) -> datetime.date | None:
        open_ = [o.deadline for o in self.outcomes if o.deadline and o.status in (Status.PENDING, Status.AT_RISK)]
        return min(open_) if open_ else None


@dataclass(frozen=True)
class _Window:
    """The part of the assessment year covered by the term."""

    start: datetime.date
    end: datetime.date


def _window(facts: PairFacts, year: int) -> _Window | None:
    start = max(datetime.date(year, 1, 1), facts.term_start)
    end = min(datetime.date(year, 12, 31), facts.term_end)
    return _Window(start, end) if start <= end else None


def _judge(
    ob: Obligation, done: Decimal, required: Decimal, *, start: datetime.date, deadline: datetime.date,
    as_of: datetime.date, whole: bool,
) -> Status:  # fmt: skip
    """Met, or else by the deadline and the at-risk rule of the profile."""
    if done >= required:
        return Status.MET
    if as_of > deadline:
        return Status.MISSED
    if (deadline - as_of).days <= ob.at_risk.lead_days:
        return Status.AT_RISK
    if ob.at_risk.pro_rata and as_of >= start:
        share = Decimal((as_of - start).days + 1) / Decimal((deadline - start).days + 1)
        expected = required * share
        if whole:  # counts: 2 visits a year are 1 behind only once half the year has gone
            expected = expected.to_integral_value(rounding=ROUND_FLOOR)
        if done < expected:
            return Status.AT_RISK
    return Status.PENDING


def _points(ob: Obligation, status: Status, shortfall: Decimal) -> int:
    if status != Status.MISSED:
        return 0
    if ob.points_each is None:
        return ob.points
    units = int(shortfall.to_integral_value(rounding=ROUND_CEILING))
    return min(ob.points, ob.points_each * max(units, 1))


def _year_deadline(ob: Obligation, year: int, window: _Window) -> datetime.date:
    return min(_month_day(ob.due, year), window.end)


@functools.lru_cache(maxsize=256)
def _month_day(text: str, year: int) -> datetime.date:
    month, day = (int(x) for x in text.split("-"))
    return datetime.date(year, month, day)


def _upto(monthly: Mapping[int, int], month: int) -> int:
    return sum(n for m, n in monthly.items() if m <= month)


def _counted(ob: Obligation, facts: PairFacts, year: int, window: _Window, as_of: datetime.date) -> Outcome:
    """Visits, six musts, deliveries, funds, projects: something done enough times by a deadline
    (counted by month: what was done in the deadline's month or before)."""
    unit = "次"
    missing = ""
    by = _year_deadline(ob, year, window).month
    if ob.kind == "visits":
        # Each listed level owes ``count`` visits of its own: a team member's visit is not the
        # principal leader's, and visits of different levels are not summed (seed 004 doc 1 (十)).
        if ob.period == "term":
            per_level = {level: facts.visits_term.get(level, 0) for level in ob.levels}
        else:
            per_level = {level: _upto(facts.visits_year.get(level, {}), by) for level in ob.levels}
        lacking_levels = [level for level, n in per_level.items() if n < ob.count]
        # A level's extra visits do not make up another's shortfall; once every level has its
        # due, the extra visits count (for the profile's bonus).
        capped = (min(n, ob.count) for n in per_level.values()) if lacking_levels else per_level.values()
        done, required = Decimal(sum(capped)), Decimal(ob.count * len(ob.levels))
        if len(ob.levels) > 1 and lacking_levels:
            names = _VISITOR_NAMES
            missing = f"，缺：{'、'.join(names[level] for level in lacking_levels)}"
    elif ob.kind in ("six_musts", "deliveries"):
        monthly = facts.six_musts if ob.kind == "six_musts" else facts.deliveries
        lacking = [k for k in ob.kinds if _upto(monthly.get(k, {}), by) < ob.count]
        done, required, unit = Decimal(len(ob.kinds) - len(lacking)), Decimal(len(ob.kinds)), "项"
        names = _KIND_NAMES[ob.kind]
        missing = f"，缺：{'、'.join(names[k] for k in lacking)}" if lacking else ""
    elif ob.kind == "funds":
        done = sum((v for m, v in facts.funds_paid.items() if m <= by), ZERO)
        required = ob.min_yuan
    else:  # projects
        done, required, unit = Decimal(facts.projects_with_progress), Decimal(ob.count), "个"
    if ob.period == "term":
        start, deadline = facts.term_start, facts.term_end
    else:
        start, deadline = window.start, _year_deadline(ob, year, window)
    status = _judge(ob, done, required, start=start, deadline=deadline, as_of=as_of, whole=ob.kind != "funds")
    progress = f"{yuan(done)}/{yuan(required)}" if ob.kind == "funds" else f"{int(done)}/{int(required)} {unit}"
    reason = f"{ob.label}（{PERIODS[ob.period]}）{progress}{missing}，截止 {chinese_date(deadline)}"
    shortfall = (required - done) / (ob.min_yuan if ob.kind == "funds" and ob.min_yuan else 1)
    return Outcome(
        ob.id, ob.kind, ob.label, status, done, required, deadline, reason, _points(ob, status, shortfall)
    )


def _add_days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _periodic(
    ob: Obligation, periods: Sequence[tuple[str, datetime.date, bool]], as_of: datetime.date, noun: str
) -> Outcome:
    """Monthly cards, quarterly reports: each period done by its own deadline. Missed if any
    past period was not; at risk if the next one is close and not done; else met so far."""
    late = [name for name, deadline, ok in periods if not ok and deadline < as_of]
    upcoming = [(deadline, name) for name, deadline, ok in periods if not ok and deadline >= as_of]
    done = sum(1 for _, _, ok in periods if ok)
    due_so_far = sum(1 for _, deadline, ok in periods if ok or deadline < as_of)
    if late:
        status = Status.MISSED
        deadline = max(d for n, d, ok in periods if n in late)
    elif upcoming and (min(upcoming)[0] - as_of).days <= ob.at_risk.lead_days:
        status, deadline = Status.AT_RISK, min(upcoming)[0]
    else:
        status, deadline = Status.MET, (min(upcoming)[0] if upcoming else None)  # type: ignore[assignment]
    reason = f"{ob.label}按时完成 {done}/{due_so_far} {noun}"
    if late:
        reason += f"，逾期：{'、'.join(late)}"
    if status == Status.AT_RISK:
        reason += f"；{min(upcoming)[1]}截止 {chinese_date(min(upcoming)[0])}"
    elif deadline and status == Status.MISSED:
        reason += f"，截止 {chinese_date(deadline)}"
    return Outcome(
        ob.id, ob.kind, ob.label, status, Decimal(done), Decimal(len(periods)), deadline, reason,
        _points(ob, status, Decimal(len(late))),
    )  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _card_deadlines(
    year: int, first: int, last: int, due_day: int, countersign_days: int
) -> tuple[tuple[int, str, datetime.date, datetime.date], ...]:
    """(month, name, submit-by, countersign-by) of each month; the same for thousands of pairs."""
    out = []
    for month in range(first, last + 1):
        nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        due = nxt.replace(day=min(due_day, calendar.monthrange(nxt.year, nxt.month)[1]))
        out.append((month, f"{year}年{month}月", due, _add_days(due, countersign_days)))
    return tuple(out)


def _months(ob: Obligation, facts: PairFacts, year: int, window: _Window, as_of: datetime.date) -> Outcome:
    """Month M's card is submitted by day ``due_day`` of M+1 and countersigned within
    ``countersign_days`` after that (seed 000: 每月……经所联村党组织签注意见，报上级党委)."""
    periods = []
    cards = facts.cards
    for month, name, due, sign_by in _card_deadlines(
        year, window.start.month, window.end.month, ob.due_day, ob.countersign_days
    ):
        card = cards.get(month)
        ok = bool(
            card
            and card.submitted_on
            and card.countersigned_on
            and card.submitted_on <= due
            and card.countersigned_on <= sign_by
        )
        periods.append((name, sign_by, ok))
    return _periodic(ob, periods, as_of, "个月")


def _quarters(ob: Obligation, facts: PairFacts, year: int, window: _Window, as_of: datetime.date) -> Outcome:
    """The unit reports each quarter within ``due_days`` after it ends (seed 004 doc 5)."""
    periods = []
    for quarter in range((window.start.month - 1) // 3 + 1, (window.end.month - 1) // 3 + 2):
        end_month = quarter * 3
        end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
        due = _add_days(end, ob.due_days)
        submitted = facts.reports.get(quarter)
        periods.append((f"{year}年第{quarter}季度", due, submitted is not None and submitted <= due))
    return _periodic(ob, periods, as_of, "个季度")


def _donor_feedback(ob: Obligation, facts: PairFacts, year: int, window: _Window, as_of: datetime.date) -> Outcome:
    """Once funds have arrived, the village reports their use to the donor every quarter, from
    the quarter's last month to ``due_days`` after it ends (seed 004 doc 1 (十一) 定期向援助单位
    反馈资金使用情况; the schedule is the profile's)."""
    first = facts.funds_first_received
    if first is None or first > min(as_of, window.end):
        reason = f"{ob.label}：尚未收到帮扶资金，无需反馈"
        return Outcome(ob.id, ob.kind, ob.label, Status.MET, Decimal(0), Decimal(0), None, reason)
    periods = []
    start = max(window.start, first)
    for quarter in range((start.month - 1) // 3 + 1, (window.end.month - 1) // 3 + 2):
        end_month = quarter * 3
        end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
        opens, due = datetime.date(year, end_month, 1), _add_days(end, ob.due_days)
        ok = any(opens <= day <= min(due, as_of) for day in facts.donor_feedback)
        periods.append((f"{year}年第{quarter}季度", due, ok))
    return _periodic(ob, periods, as_of, "个季度")


def _feedback(ob: Obligation, facts: PairFacts, as_of: datetime.date) -> Outcome:
    """Every opinion received is answered within ``due_days`` (seed 000 意见反馈卡)."""
    periods = []
    for item in sorted(facts.feedback, key=lambda f: f.opened_on):
        due = _add_days(item.opened_on, ob.due_days)
        # Answered late means answered after ``due`` (and by ``as_of``): already past due.
        ok = item.answered_on is not None and item.answered_on <= due
        periods.append((f"{chinese_date(item.opened_on)}收到的意见", due, ok))
    return _periodic(ob, periods, as_of, "件")


def five_ones_outcome(
    ob: Obligation, facts: PairFacts, *, year: int, window_start: datetime.date, window_end: datetime.date,
    as_of: datetime.date,
) -> Outcome:  # fmt: skip
    """五个一 (seed 000): every listed target has its plan by ``plan_due`` and evidence by
    ``due`` (both the profile's). A plan missing after its deadline is lost for the year; a
    pair whose term begins after ``plan_due`` plans by the evidence deadline."""
    evidence_by = min(_month_day(ob.due, year), window_end)
    plan_by = _month_day(ob.plan_due, year)
    if plan_by < window_start:
        plan_by = evidence_by
    plan_by = min(plan_by, window_end)
    unplanned, unproven = [], []
    for kind in ob.kinds:
        planned_on, proven_on = facts.five_ones.get(kind, (None, None))
        if planned_on is None or planned_on > min(plan_by, as_of):
            unplanned.append(kind)
        if proven_on is None or proven_on > min(evidence_by, as_of):
            unproven.append(kind)
    failing = set(unplanned) | set(unproven)
    required = Decimal(len(ob.kinds))
    done = required - len(failing)
    names = _KIND_NAMES["five_ones"]
    if not failing:
        status, deadline, lost_targets = Status.MET, evidence_by, 0
    elif as_of > evidence_by:
        status, deadline, lost_targets = Status.MISSED, evidence_by, len(failing)
    elif unplanned and as_of > plan_by:
        status, deadline, lost_targets = Status.MISSED, plan_by, len(unplanned)
    else:
        deadline = plan_by if unplanned else evidence_by
        near = (deadline - as_of).days <= ob.at_risk.lead_days
        status, lost_targets = (Status.AT_RISK if near else Status.PENDING), 0
    reason = (
        f"{ob.label}（{PERIODS[ob.period]}）有计划 {len(ob.kinds) - len(unplanned)}/{len(ob.kinds)} 项"
        f"（截止 {chinese_date(plan_by)}），有佐证 {len(ob.kinds) - len(unproven)}/{len(ob.kinds)} 项"
        f"（截止 {chinese_date(evidence_by)}）"
    )
    if unplanned:
        reason += f"，缺计划：{'、'.join(names[k] for k in unplanned)}"
    elif unproven:
        reason += f"，缺佐证：{'、'.join(names[k] for k in unproven)}"
    return Outcome(
        ob.id, ob.kind, ob.label, status, done, required, deadline, reason,
        _points(ob, status, Decimal(lost_targets)),
    )  # fmt: skip


def evaluate_pair(
    facts: PairFacts, obligations: Sequence[Obligation], *, year: int, as_of: datetime.date
) -> PairResult:
    """Every obligation that applies to the pair in ``year``, judged as of ``as_of``."""
    window = _window(facts, year)
    outcomes: list[Outcome] = []
    if window is not None and as_of >= facts.term_start:
        for ob in obligations:
            if not ob.applies_to(facts.village_tags):
                continue
            if ob.kind == "performance_cards":
                outcomes.append(_months(ob, facts, year, window, as_of))
            elif ob.kind == "quarterly_reports":
                outcomes.append(_quarters(ob, facts, year, window, as_of))
            elif ob.kind == "feedback":
                outcomes.append(_feedback(ob, facts, as_of))
            elif ob.kind == "funds_feedback":
                outcomes.append(_donor_feedback(ob, facts, year, window, as_of))
            elif ob.kind == "five_ones":
                outcomes.append(
                    five_ones_outcome(
                        ob, facts, year=year, window_start=window.start, window_end=window.end, as_of=as_of
                    )
                )
            else:
                outcomes.append(_counted(ob, facts, year, window, as_of))
    return PairResult(facts.pairing_id, facts.unit_id, facts.village_id, year, tuple(outcomes))


def kind_label(kind: str) -> str:
    return OBLIGATION_KINDS.get(kind, kind)

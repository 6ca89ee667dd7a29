"""A realistic year of co-building records for demo and benchmark pairings, written fast.

Each pair draws a temper: good (all six musts, visits at every level, every monthly card
countersigned, opinions answered in time), fair (most of it, one card returned or late), or
lagging (few visits, missing months, overdue opinions), so that compliance and the
dashboards have all three statuses to show. Rows go in with PostgreSQL ``COPY`` (about a
million rows a minute on a small machine) and with batched INSERTs elsewhere; nothing goes
through the services, so one audit row records the whole generation.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongjian.audit.services import audit_event
from gongjian.demo.activity import text
from gongjian.policies import RecordRules, load_profile
from gongjian.records.choices import CardStatus, FeedbackStatus, FiveDelivery, ProjectStatus, SixMust, VisitorLevel
from gongjian.records.models import Project
from gongjian.rounds.models import Pairing

COLUMNS: dict[str, tuple[str, ...]] = {
    "records_visit": ("pairing_id", "date", "visitor_level", "visitors", "content", "created_at"),
    "records_sixmustrecord": ("pairing_id", "date", "kind", "content", "evidence", "created_at"),
    "records_delivery": ("pairing_id", "date", "kind", "content", "amount", "created_at"),
    "records_feedbackcard": (
        "pairing_id",
        "villager_name",
        "opinion",
        "entered_at",
        "due",
        "answer",
        "answered_at",
        "closed_at",
        "status",
    ),
    "records_performancecard": (
        "pairing_id",
        "month",
        "work",
        "status",
        "submitted_at",
        "countersigned_at",
        "village_comment",
        "acknowledged_at",
        "return_comment",
        "created_at",
        "updated_at",
    ),
    "records_milestone": ("project_id", "title", "due", "done_on"),
}
TEMPERS = (("good", 0.5), ("fair", 0.3), ("lagging", 0.2))


class _Sink:
    """Rows per table, written in chunks by COPY (PostgreSQL) or executemany."""

    def __init__(self, chunk: int = 50_000) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        self.counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)
        self.chunk = chunk

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= self.chunk:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.rows):
            rows = self.rows[name]
            if not rows:
                continue
            cols = COLUMNS[name]
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(cols))
                    cursor.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})", rows)
            self.counts[name] += len(rows)
            rows.clear()


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return out


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, rng.randint(8, 18), rng.randint(0, 59)))


def _temper(rng: random.Random) -> str:
    roll, acc = rng.random(), 0.0
    for name, share in TEMPERS:
        acc += share
        if roll < acc:
            return name
    return TEMPERS[-1][0]


def generate_records(
    pairings: QuerySet[Pairing] | Iterable[Pairing],
    year: int,
    rng: random.Random,
    density: int = 40,
    *,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Write a year (``year``, up to ``today``) of records for each pairing and return the
    row counts per table plus ``total``.

    ``density`` is the average number of rows per pair (visits, 六个一, 五送, projects and
    their milestones, opinions and monthly cards together): 40 gives about 40 rows a pair,
    50 over 20,000 pairs about a million. Dates stay inside the pairing's term. The same
    ``rng`` seed gives the same records.
    """
    today = today or timezone.localdate()
    items: Sequence[Pairing] = (
        list(pairings.select_related("round")) if isinstance(pairings, QuerySet) else list(pairings)
    )
    sink = _Sink()
    rules: dict[str, RecordRules] = {}
    projects: list[tuple[Project, str]] = []
    with transaction.atomic():
        for pairing in items:
            key = pairing.round.policy_key
            if key not in rules:
                rules[key] = load_profile(key).records
            drawn = _pair(sink, pairing, year, today, rng, density, rules[key])
            if drawn is not None:
                projects.append(drawn)
        sink.flush()
        created = Project.objects.bulk_create([p for p, _t in projects], batch_size=5000)
        for project, temper in zip(created, (t for _p, t in projects), strict=True):
            _milestones(sink, project, temper, today, rng)
        sink.flush()
        counts = {name.removeprefix("records_"): n for name, n in sink.counts.items()}
        counts["project"] = len(created)
        counts["total"] = sum(counts.values())
        audit_event("demo.records", actor=None, after={"year": year, "pairs": len(items), "counts": counts})
    analyze(*COLUMNS, "records_project")
    return counts


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load: with the stale figures of an empty
    table PostgreSQL picks nested loops and a province-wide GROUP BY takes minutes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def _pair(
    sink: _Sink,
    pairing: Pairing,
    year: int,
    today: datetime.date,
    rng: random.Random,
    density: int,
    rules: RecordRules,
) -> tuple[Project, str] | None:
    term = pairing.round
    first = max(datetime.date(year, 1, 1), term.term_start)
    last = min(datetime.date(year, 12, 31), term.term_end, today - datetime.timedelta(days=1))
    if last < first:
        return None
    days = (last - first).days + 1
    temper = _temper(rng)
    pid = pairing.pk

    def day() -> datetime.date:
        return first + datetime.timedelta(days=rng.randrange(days))

    months = [m for m in _months(first, last) if m < today.replace(day=1)]
    six_kinds = list(SixMust.values) if temper == "good" else rng.sample(SixMust.values, 4 if temper == "fair" else 2)
    n_projects = 1
    fixed = len(months) + len(six_kinds) + 3 + n_projects * (1 + len(text.MILESTONES))
    # Above 1 for good and fair pairs so that, with lagging ones below, the mean is about `density`.
    factor = {"good": 1.35, "fair": 1.1, "lagging": 0.4}[temper]
    rest = max(0, density - fixed) * factor
    n_visits = max(1 if temper != "lagging" else 0, round(rest * 0.55))
    n_deliveries = round(rest * 0.45)

    # Visits: a good pair sees its principal leader and the leader in charge; a lagging one
    # sends only the department.
    levels = (
        [VisitorLevel.PRINCIPAL, VisitorLevel.IN_CHARGE, VisitorLevel.IN_CHARGE]
        if temper == "good"
        else [VisitorLevel.IN_CHARGE]
        if temper == "fair"
        else []
    )
    pool = [VisitorLevel.DEPARTMENT, VisitorLevel.DEPARTMENT, VisitorLevel.TEAM_MEMBER, VisitorLevel.IN_CHARGE]
    for i in range(n_visits):
        level = levels[i] if i < len(levels) else (VisitorLevel.DEPARTMENT if temper == "lagging" else rng.choice(pool))
        d = day()
        sink.add(
            "records_visit", (pid, d, level, text.visitors(rng, level), rng.choice(text.VISIT_TOPICS), _at(d, rng))
        )
    for kind in six_kinds:
        d = day()
        sink.add("records_sixmustrecord", (pid, d, kind, rng.choice(text.SIX_CONTENT[kind]), "", _at(d, rng)))
    kinds = FiveDelivery.values
    for _ in range(n_deliveries):
        kind = rng.choice(kinds)
        amount = Decimal(rng.randrange(2000, 50000, 500)) if kind in ("funds", "warmth") else None
        d = day()
        sink.add("records_delivery", (pid, d, kind, rng.choice(text.DELIVERY_CONTENT[kind]), amount, _at(d, rng)))
    _feedback(sink, pid, temper, day, today, rng, rules)
    _cards(sink, pid, temper, months, today, rng, rules)

    name, goal = rng.choice(text.PROJECTS)
    start = first + datetime.timedelta(days=rng.randrange(min(days, 90)))
    end = datetime.date(year, 12, 31)
    progress = {"good": rng.randint(60, 100), "fair": rng.randint(30, 80), "lagging": rng.randint(0, 30)}[temper]
    status = ProjectStatus.DONE if progress == 100 else ProjectStatus.IN_PROGRESS if progress else ProjectStatus.PLANNED
    budget = Decimal(rng.randrange(20_000, 500_000, 1000))
    project = Project(pairing_id=pid, name=name, goal=goal, budget=budget, start=start, end=end, status=status)
    project.progress = progress
    return project, temper


def _feedback(
    sink: _Sink, pid: int, temper: str, day: Any, today: datetime.date, rng: random.Random, rules: RecordRules
) -> None:
    for _ in range(3):
        entered = day()
        due = entered + datetime.timedelta(days=rules.feedback_answer_days)
        entered_at = _at(entered, rng)
        late = temper == "lagging" and rng.random() < 0.6
        row: tuple[Any, ...]
        if late and due < today:
            row = (pid, text.person(rng), rng.choice(text.OPINIONS), entered_at, due, "", None, None, "open")
        else:
            lag = rng.randint(1, rules.feedback_answer_days + (10 if temper == "fair" else 0))
            answered = entered + datetime.timedelta(days=lag)
            if answered >= today:
                row = (pid, text.person(rng), rng.choice(text.OPINIONS), entered_at, due, "", None, None, "open")
            else:
                closed = answered + datetime.timedelta(days=rng.randint(1, 7))
                closed_at = _at(closed, rng) if closed < today else None
                status = FeedbackStatus.CLOSED if closed_at else FeedbackStatus.ANSWERED
                answer = rng.choice(text.ANSWERS)
                row = (
                    pid,
                    text.person(rng),
                    rng.choice(text.OPINIONS),
                    entered_at,
                    due,
                    answer,
                    _at(answered, rng),
                    closed_at,
                    str(status),
                )
        sink.add("records_feedbackcard", row)


def _cards(
    sink: _Sink,
    pid: int,
    temper: str,
    months: list[datetime.date],
    today: datetime.date,
    rng: random.Random,
    rules: RecordRules,
) -> None:
    skip = {"good": 0.0, "fair": 0.08, "lagging": 0.45}[temper]
    # A month's card is late this often: never for a good pair, now and then for a fair one
    # (the temper's "one card late"), often for a lagging one.
    late = {"good": 0.0, "fair": 0.04, "lagging": 0.3}[temper]
    due_day = max(1, min(rules.performance_card_due_day, 25))
    for month in months:
        if rng.random() < skip:
            continue  # a missing month
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        day = rng.randint(due_day + 1, due_day + 3) if rng.random() < late else rng.randint(1, due_day)
        submitted = following.replace(day=day)
        if submitted >= today:
            submitted = today - datetime.timedelta(days=1)
        work = rng.choice(text.CARD_WORK).format(
            v=rng.randint(1, 4), n=rng.randint(1, 5), p=rng.choice(text.PROJECTS)[0], x=rng.randint(10, 100)
        )
        signed = submitted + datetime.timedelta(days=rng.randint(1, rules.countersign_days))
        roll = rng.random()
        comment = ""
        if temper != "good" and roll < 0.1:
            status, signed_at = CardStatus.RETURNED, None
            comment = "请补充本月走访的具体时间和解决问题的情况"
        elif temper == "lagging" and roll < 0.25:
            status, signed_at = CardStatus.DRAFT, None
        elif signed >= today:
            status, signed_at = CardStatus.SUBMITTED, None
        else:
            status, signed_at = CardStatus.COUNTERSIGNED, _at(signed, rng)
        submitted_at = _at(submitted, rng) if status != CardStatus.DRAFT else None
        created = _at(submitted, rng)
        # The village's comment on a countersigned card (签注意见) and the superior committee's
        # receipt a few days later (报上级党委, seed 000); chosen without the generator so that
        # the rest of the demo year stays as it was.
        village_comment, acknowledged_at = "", None
        if signed_at is not None:
            village_comment = text.VILLAGE_COMMENTS[(pid + month.month) % len(text.VILLAGE_COMMENTS)]
            if signed + datetime.timedelta(days=7) < today:
                acknowledged_at = signed_at + datetime.timedelta(days=3 + (pid + month.month) % 5)
        sink.add(
            "records_performancecard",
            (
                pid, month, work, str(status), submitted_at, signed_at, village_comment, acknowledged_at, comment,
                created, acknowledged_at or signed_at or created,
            ),
        )  # fmt: skip


def _milestones(sink: _Sink, project: Project, temper: str, today: datetime.date, rng: random.Random) -> None:
    span = max(1, (project.end - project.start).days)
    done_share = project.progress / 100
    for i, title in enumerate(text.MILESTONES):
        due = project.start + datetime.timedelta(days=span * (i + 1) // len(text.MILESTONES))
        done = (i + 1) / len(text.MILESTONES) <= done_share + 1e-9
        done_on = min(due + datetime.timedelta(days=rng.randint(-10, 10)), today - datetime.timedelta(days=1))
        sink.add("records_milestone", (project.pk, title, due, done_on if done and done_on >= project.start else None))

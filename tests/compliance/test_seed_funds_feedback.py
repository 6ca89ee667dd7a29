"""Issue 16 point 11 — seed 004 doc 1 (十一): "村党组织要将帮扶资金纳入村务公开范围，并定期向援助单位
反馈资金使用情况".

Read by hand, with the Shanghai profile's schedule (a local default: the seed says only
"定期"): once a village has received aid funds, it reports their use to the donor every
quarter, from the quarter's last month to 15 days after it ends. The check is an obligation
of the pair; it flags an overdue quarter and reminds the village before the deadline.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from gongjian.compliance.evaluate import PairFacts, Status, evaluate_pair
from gongjian.policies import load_profile

D = datetime.date


def facts(**extra: object) -> PairFacts:
    base = PairFacts(pairing_id=1, unit_id=10, village_id=20, term_start=D(2025, 7, 1), term_end=D(2028, 6, 30))
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def feedback_outcomes(pair: PairFacts, as_of: datetime.date) -> list[tuple[Status, datetime.date | None]]:
    profile = load_profile("shanghai")
    result = evaluate_pair(pair, profile.obligations, year=2026, as_of=as_of)
    return [(o.status, o.deadline) for o in result.outcomes if o.kind == "funds_feedback"]


def test_a_quarter_without_feedback_to_the_donor_is_overdue() -> None:
    # Funds arrived on 2026-02-10; the village reported on 2026-04-10 (Q1: 03-01 – 04-15), then
    # never again: Q2's report was due by 2026-07-15.
    pair = facts(funds_first_received=D(2026, 2, 10), donor_feedback=(D(2026, 4, 10),))
    assert feedback_outcomes(pair, D(2026, 7, 10)) == [(Status.AT_RISK, D(2026, 7, 15))]
    assert feedback_outcomes(pair, D(2026, 9, 1)) == [(Status.MISSED, D(2026, 7, 15))]
    # By 2026-10-20 the third quarter's report (due 10-15) is overdue too.
    profile = load_profile("shanghai")
    late = evaluate_pair(pair, profile.obligations, year=2026, as_of=D(2026, 10, 20))
    (outcome,) = [o for o in late.outcomes if o.kind == "funds_feedback"]
    assert outcome.status == Status.MISSED and "逾期：2026年第2季度、2026年第3季度" in outcome.reason


def test_no_funds_received_nothing_to_report() -> None:
    assert [s for s, _ in feedback_outcomes(facts(), D(2026, 12, 31))] in ([], [Status.MET])


def test_stored_flag_and_the_reminder_goes_to_the_village(world_factory: Any) -> None:
    from decimal import Decimal

    from gongjian.funds.models import DonorFeedback, Receipt
    from gongjian.notifications.models import Notification
    from tests.compliance.conftest import transfer
    from tests.compliance.helpers import run, stored

    w = world_factory("shanghai")
    money = transfer(w.a, D(2026, 2, 1), 20000, w.cast.unit_user)
    Receipt.objects.create(transfer=money, received_on=D(2026, 2, 10), amount=Decimal(20000),
                           confirmed_by=w.cast.village_user)  # fmt: skip
    DonorFeedback.objects.create(pairing=w.a, date=D(2026, 4, 10), body="用于茶园", sent_by=w.cast.village_user)
    run(w, D(2026, 7, 10), remind=True)  # Q2's report due 07-15: 5 ≤ 10 days → at risk, reminded
    assert stored(w.a).obligations["funds_feedback"] == "at_risk"
    assert stored(w.b).obligations["funds_feedback"] == "met"  # no funds received: nothing to report
    village_notes = Notification.objects.filter(organization=w.cast.village)
    assert village_notes.count() == 1 and "向援助单位反馈资金使用情况" in village_notes.get().body
    assert not Notification.objects.filter(organization=w.unit1, body__contains="向援助单位反馈").exists()
    run(w, D(2026, 9, 1))
    assert stored(w.a).obligations["funds_feedback"] == "missed"
    assert stored(w.a).deadlines["funds_feedback"] == D(2026, 7, 15)

"""Demo 五个一 targets and public commitments (with 述职 and 评议) for a few signed pairs, so
that the demo's archive pages show them. Written directly (as ``demo.activity.records``), one audit
row for the whole generation; a generator of its own so that the rest of the demo year
stays as it was."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from gongjian.audit.services import audit_event
from gongjian.records.choices_practices import CommitmentOutcome, FiveOne, FiveOneStatus, ReviewResult
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_five_ones import FiveOneTarget
from gongjian.rounds.models import Pairing

PLANS = {
    FiveOne.BRANCH_TEAM: (
        "帮助村党支部完善“三会一课”制度，开展班子成员谈心谈话",
        "支部班子已按期召开组织生活会，班子成员分工明确",
    ),
    FiveOne.MEMBER_TEAM: ("组织村党员参加机关党课和实用技术培训两期", "两期培训共 46 人次参加，发展入党积极分子 2 名"),
    FiveOne.DEVELOPMENT_IDEA: ("与村“两委”共同制定村集体经济三年发展规划", "发展规划经村民代表会议通过并公示"),
    FiveOne.INCOME_PATH: ("引进茶叶加工企业订单收购，组建种植合作社", "合作社已注册，签订收购协议 120 吨"),
    FiveOne.PROBLEMS: ("解决通组道路硬化和安全饮水两件实事", "通组道路 1.2 公里已硬化，饮水工程完工"),
}
COMMITMENTS = (
    "年内协调资金帮助新建或改造村级活动场所",
    "每季度到村开展一次走访座谈，反映一次社情民意",
    "帮助培养入党积极分子和后备干部各 2 名",
    "落实一个产业帮扶项目并按期完成",
)
REPORTS = {
    CommitmentOutcome.DONE: "已按承诺完成，相关材料已归档",
    CommitmentOutcome.PARTLY: "部分完成，剩余工作已列入明年计划",
    CommitmentOutcome.NOT_DONE: "因资金未到位未能完成，明年优先安排",
}


def generate_practices(
    pairings: Sequence[Pairing], year: int, *, seed: int = 16, today: datetime.date | None = None
) -> dict[str, int]:
    """五个一 and commitments of ``year`` for ``pairings`` (a few); returns row counts."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counts = {"five_one": 0, "commitment": 0, "commitment_review": 0}
    plan_day = min(datetime.date(year, 3, 15), today)
    with transaction.atomic():
        for pairing in pairings:
            done_share = rng.choice((1.0, 0.8, 0.4))
            for n, (kind, (plan, evidence)) in enumerate(PLANS.items()):
                proven = n < round(len(PLANS) * done_share) and today > plan_day
                FiveOneTarget.objects.update_or_create(
                    pairing=pairing,
                    year=year,
                    kind=kind,
                    defaults={
                        "plan": plan,
                        "plan_recorded_on": plan_day - datetime.timedelta(days=rng.randint(0, 40)),
                        "status": FiveOneStatus.DONE if proven else FiveOneStatus.IN_PROGRESS,
                        "evidence_text": evidence if proven else "",
                        "evidence_on": min(today, plan_day + datetime.timedelta(days=rng.randint(30, 200)))
                        if proven
                        else None,
                    },
                )
                counts["five_one"] += 1
            if Commitment.objects.filter(pairing=pairing, year=year).exists():
                continue
            outcomes = [rng.choice((CommitmentOutcome.DONE,) * 3 + (CommitmentOutcome.PARTLY,)) for _ in COMMITMENTS]
            reported = today.month >= 11  # the year-end report (述职) comes late in the year
            for position, content in enumerate(COMMITMENTS, start=1):
                outcome = outcomes[position - 1] if reported else ""
                Commitment.objects.create(
                    pairing=pairing,
                    year=year,
                    content=content,
                    position=position,
                    outcome=outcome,
                    report=REPORTS[CommitmentOutcome(outcome)] if outcome else "",
                    reported_at=timezone.now() if outcome else None,
                )
                counts["commitment"] += 1
            if reported:
                partly = outcomes.count(CommitmentOutcome.PARTLY)
                result = (
                    ReviewResult.GOOD
                    if partly == 0
                    else ReviewResult.FAIRLY_GOOD
                    if partly == 1
                    else ReviewResult.AVERAGE
                )
                CommitmentReview.objects.create(
                    pairing=pairing, year=year, result=result, participants=rng.randint(25, 60),
                    comment="承诺事项公开透明，落实较好", recorded_at=timezone.now(),
                )  # fmt: skip
                counts["commitment_review"] += 1
        audit_event("demo.practices", actor=None, after={"year": year, "pairs": len(pairings), "counts": counts})
    return counts

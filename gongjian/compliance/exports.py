"""The assessment workbook for the annual party-building responsibility assessment
(年度基层党建责任制考核, seed 004 doc 1 (10)): unit scores, pair scores, pairs to adjust, and
the ranking of the committees assessed (区县党委、市委各工作党委)."""

from __future__ import annotations

from typing import Any

from gongjian.audit.services import export_recorded
from gongjian.compliance import selectors
from gongjian.compliance.models import ComplianceStatus
from gongjian.compliance.selectors_joint import joint_pairs, missed_duties
from gongjian.core.tabular import write_xlsx
from gongjian.orgs.scope import scope_root, subtree_path
from gongjian.policies.joint_appraisal import SEPARATE, SHARED

UNIT_HEADERS = ["所属党委", "党委内排名", "结对单位", "结对数", "年度得分"]
PAIR_HEADERS = [
    "所属党委", "党委内排名", "结对单位", "村", "区县", "状态", "得分", "扣分", "加分",
    "未完成项数", "需调整", "调整原因", "评估基准日",
    # The public's evaluation and the commitments, where the pair's profile weighs them in (seed 002).
    "群众评议人数", "群众满意率（%）", "群众评议得分", "群众评议扣分", "承诺扣分",
]  # fmt: skip
ADJUST_HEADERS = ["结对单位", "村", "区县", "得分", "调整原因"]
# Both sides assessed (the profile's joint_appraisal: 双考核 seed 002, 四位一体 seed 004 doc 2 二、4).
JOINT_HEADERS = [
    "所属党委", "结对单位", "村", "区县", "考评方式", "单位方得分", "帮扶方案扣分", "村方得分", "村方扣分",
    "村方未完成期数", "村方未完成的义务", "结对考评结果",
]  # fmt: skip
COMMITTEE_HEADERS = [
    "排名", "党委", "结对数", "结对单位数", "平均得分", "全部完成的结对", "完成率（%）", "有未完成义务的结对",
    "需调整的结对",
]  # fmt: skip


def assessment_xlsx(*, user: Any, year: int) -> bytes:
    """The user's workbook of the year, its export on record with its row counts."""
    labels = dict(ComplianceStatus.choices)
    units = [
        [u.committee.name if u.committee else "", u.rank, u.unit.name, u.pairs, u.score]
        for u in selectors.unit_scores(user=user, year=year).iterator(chunk_size=2000)
    ]
    pairs = [
        [
            p.committee.name if p.committee else "", p.rank, p.unit.name, p.village.name, p.county,
            str(labels.get(p.status, p.status)), p.score, p.points_lost, p.bonus, p.missed,
            "是" if p.to_adjust else "否", p.adjust_reason, p.as_of,
            p.evaluation_respondents, p.evaluation_rate, p.evaluation_points, p.evaluation_lost, p.commitment_lost,
        ]
        for p in selectors.pair_scores(user=user, year=year).iterator(chunk_size=2000)
    ]
    adjust = [
        [p.unit.name, p.village.name, p.county, p.score, p.adjust_reason]
        for p in selectors.pairs_to_adjust(user=user, year=year).iterator(chunk_size=2000)
    ]
    modes = {SEPARATE: "双方分别考核", SHARED: "一体考评"}
    joint = [
        [
            p.committee.name if p.committee else "", p.unit.name, p.village.name, p.county,
            modes.get(p.joint_mode, p.joint_mode), p.score, p.plan_lost, p.village_score, p.village_lost,
            p.village_missed, "；".join(missed_duties(p)), p.joint_score,
        ]
        for p in joint_pairs(user=user, year=year).iterator(chunk_size=2000)
    ]  # fmt: skip
    committees = [
        [c.rank, c.committee.name, c.pairs, c.units, c.score, c.met, c.met_percent, c.missed, c.to_adjust]
        for c in selectors.committee_scores(user=user, year=year)
    ]
    data = write_xlsx(
        UNIT_HEADERS,
        units,
        sheet_title=f"{year}年单位得分",
        extra_sheets=[
            (f"{year}年结对得分", PAIR_HEADERS, pairs),
            ("需调整的结对", ADJUST_HEADERS, adjust),
            (f"{year}年党委考核排名", COMMITTEE_HEADERS, committees),
            # Only where some pair's profile appraises both sides (none under Shanghai's, say).
            *([(f"{year}年结对双方考评", JOINT_HEADERS, joint)] if joint else []),
        ],
    )
    # The joint sheet's pairs are among "pairs": the audit row's counts stay as they were.
    counts = {"units": len(units), "pairs": len(pairs), "to_adjust": len(adjust), "committees": len(committees)}
    export_recorded(
        "compliance.export",
        actor=user,
        target=scope_root(user),
        scope_path=subtree_path(user) or "",
        format="xlsx",
        year=year,
        **counts,
    )
    return data


OVERVIEW_HEADERS = [
    "结对单位", "村", "区县", "状态", "未完成项数", "有风险项数", "未完成或有风险的义务", "最近截止日期",
    "得分", "评估基准日",
]  # fmt: skip


def overview_xlsx(*, user: Any, filters: selectors.Filters) -> tuple[bytes, dict[str, int]]:
    """The compliance overview as the page lists it (same scope, year and filters, worst
    first), every pair rather than one page, with the reasons of its open or missed
    obligations; and its row count (for the audit row)."""
    labels = dict(ComplianceStatus.choices)
    statuses = list(selectors.pair_statuses(user=user, filters=filters))
    reasons: dict[int, list[str]] = {}
    for start in range(0, len(statuses), 2000):
        chunk = statuses[start : start + 2000]
        for pairing_id, items in selectors.reasons_for(statuses=chunk).items():
            reasons[pairing_id] = [f"{labels.get(r.status, r.status)}：{r.reason}" for r in items]
    rows = [
        [
            s.unit.name, s.village.name, s.county, str(labels.get(s.status, s.status)), s.missed, s.at_risk,
            "；".join(reasons.get(s.pairing_id, [])), s.next_deadline, s.score, s.as_of,
        ]
        for s in statuses
    ]  # fmt: skip
    data = write_xlsx(OVERVIEW_HEADERS, rows, sheet_title=f"{filters.year}年合规状态")
    return data, {"pairs": len(rows)}

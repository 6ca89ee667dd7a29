"""A loaded profile and the register of its sections — the one place a new section is added.

Each entry of :data:`SECTIONS` is a YAML key and the ``parse(file, value, done)`` of its
module; sections are parsed in this order, and ``done`` holds the sections parsed before
(obligations read ``records``' defaults, assessment checks obligation ids, dispatch falls
back to ``round``'s term). :class:`PolicyProfile` has one typed field per section, named
like the YAML key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gongjian.policies import (
    adjustment,
    allocation,
    assessment,
    coverage,
    dispatch,
    funds,
    helping_side,
    joint_appraisal,
    member_reports,
    members,
    obligations,
    records,
    round,
    secretaries,
    village_duties,
)
from gongjian.policies.adjustment import AdjustmentRules
from gongjian.policies.allocation import AllocationPolicy
from gongjian.policies.assessment import AssessmentRules
from gongjian.policies.coverage import CoverageRules
from gongjian.policies.dispatch import DispatchRules
from gongjian.policies.funds import FundsTaxRules
from gongjian.policies.helping_side import HelpingSideRules
from gongjian.policies.joint_appraisal import JointAppraisalRules
from gongjian.policies.member_reports import MemberReportRules
from gongjian.policies.members import MembersRules
from gongjian.policies.obligations import Obligation
from gongjian.policies.practices import (
    CommitmentRules,
    PublicEvaluationRules,
    parse_commitments,
    parse_public_evaluation,
)
from gongjian.policies.records import RecordRules
from gongjian.policies.round import RoundRules
from gongjian.policies.secretaries import SecretaryRules
from gongjian.policies.village_duties import VillageDutyRules

Parser = Callable[[str, Any, Mapping[str, Any]], Any]

# YAML key -> parser, in parsing order. Add a section here and as a field of PolicyProfile.
SECTIONS: dict[str, Parser] = {
    "allocation": allocation.parse,
    "round": round.parse,
    "records": records.parse,
    "obligations": obligations.parse,
    "assessment": assessment.parse,
    "secretaries": secretaries.parse,
    "funds_tax": funds.parse,
    "dispatch": dispatch.parse,
    "members": members.parse,
    "coverage": coverage.parse,
    "adjustment": adjustment.parse,
    "member_reports": member_reports.parse,
    "helping_side": helping_side.parse,
    "village_duties": village_duties.parse,
    "public_evaluation": parse_public_evaluation,
    "commitments": parse_commitments,
    "joint_appraisal": joint_appraisal.parse,
}

# The profile's own description: what place, which document.
HEADER_KEYS = ("name", "place", "version", "source")


@dataclass(frozen=True)
class PolicyProfile:
    key: str
    name: str
    place: str
    version: str
    source: str
    allocation: AllocationPolicy
    round: RoundRules = field(default_factory=RoundRules)
    records: RecordRules = field(default_factory=RecordRules)
    obligations: tuple[Obligation, ...] = ()
    assessment: AssessmentRules = field(default_factory=AssessmentRules)
    secretaries: SecretaryRules | None = None  # only where the place's document pays them so
    funds_tax: FundsTaxRules | None = None  # only where the profile sets the deduction rule
    dispatch: DispatchRules = field(default_factory=DispatchRules)
    members: MembersRules | None = None  # None: the profile has no members rules of its own
    public_evaluation: PublicEvaluationRules | None = None  # 群众评议 weighed in (seed 002)
    commitments: CommitmentRules | None = None  # 双承诺/双述职、承诺评议 weighed in (seed 002, 004 doc 2)
    coverage: CoverageRules = field(default_factory=CoverageRules)  # towns paired, city-side target
    adjustment: AdjustmentRules | None = None  # None: no replacement outside the schedule
    member_reports: MemberReportRules | None = None  # None: no member → organization report duty
    helping_side: HelpingSideRules = field(default_factory=HelpingSideRules)  # 机关+企业, named plan
    village_duties: VillageDutyRules | None = None  # None: the village owes its unit nothing checkable
    joint_appraisal: JointAppraisalRules | None = None  # None: only the unit is scored (双考核/四位一体)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.version}）"

    @property
    def visits(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.kind == "visits")

    @property
    def funds(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.kind == "funds")

    @property
    def projects_required(self) -> bool:
        return any(o.kind == "projects" for o in self.obligations)

    def obligation(self, obligation_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == obligation_id), None)

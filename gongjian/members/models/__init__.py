"""Models of the `members` app: individual pairings ("1+2", poor households, the branch's
double pairing) under a unit's village pairing, and mobile party members under dual
management (origin and host organization)."""

from gongjian.members.models.care import MemberCare, MemberLetter, WinterForum
from gongjian.members.models.mobile import (
    HalfYearReport,
    HostingPeriod,
    HostQuery,
    MemberAgreement,
    MemberStatus,
    MobileMember,
    ReminderKind,
    ReminderLog,
    ReportChannel,
    ServiceStation,
)
from gongjian.members.models.pairs import (
    Beneficiary,
    BranchPair,
    CadrePair,
    HelpPlan,
    HelpProgress,
    HouseholdPair,
    IndividualDelivery,
    PairStatus,
    Villager,
)

__all__ = [
    "Beneficiary",
    "BranchPair",
    "CadrePair",
    "HalfYearReport",
    "HelpPlan",
    "HelpProgress",
    "HostQuery",
    "HostingPeriod",
    "HouseholdPair",
    "IndividualDelivery",
    "MemberAgreement",
    "MemberCare",
    "MemberLetter",
    "MemberStatus",
    "MobileMember",
    "PairStatus",
    "ReminderKind",
    "ReminderLog",
    "ReportChannel",
    "ServiceStation",
    "Villager",
    "WinterForum",
]

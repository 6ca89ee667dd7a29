"""Villages' tags, needs and figures; units' resources and capacity."""

from __future__ import annotations

import random
from decimal import Decimal

from gongjian.demo.registry.plan import FigureDraft, OrgNode
from gongjian.orgs.models import AgencyLine, OrgKind, OrgLevel

RESOURCES = (
    "funds",
    "technology",
    "talent",
    "market",
    "medical",
    "education",
    "legal",
    "culture",
    "infrastructure",
    "employment",
)

# Shares of villages per tag. In Shangnan about 40 of 167 villages were economically weak.
TAG_SHARES = {"weak": 0.235, "lax": 0.06, "poor": 0.10, "disorder": 0.03, "demo": 0.06}
WEAK_INCOME_LIMIT = 100_000  # yuan a year: below it a village counts as economically weak

# What a unit can offer first, by kind (agencies by line), as the seeds pair them:
# 党群部门联软村, 政法部门联乱村, 经济部门联穷村, 涉农部门联产业示范村.
OFFERS: dict[str, tuple[str, ...]] = {
    AgencyLine.PARTY_MASS: ("talent", "culture", "education"),
    AgencyLine.LEGAL: ("legal", "culture"),
    AgencyLine.ECONOMIC: ("funds", "market", "infrastructure"),
    AgencyLine.AGRICULTURE: ("technology", "market", "funds"),
    AgencyLine.OTHER: ("education", "employment", "culture"),
    OrgKind.PUBLIC_INSTITUTION: ("education", "technology", "culture", "talent"),
    OrgKind.MEDICAL: ("medical", "talent"),
    OrgKind.STATE_ENTERPRISE: ("funds", "employment", "infrastructure", "market"),
    OrgKind.PRIVATE_ENTERPRISE: ("funds", "employment", "market", "technology"),
    OrgKind.FINANCE: ("funds", "market"),
    OrgKind.CULTURE_MEDIA: ("culture", "market", "education"),
    OrgKind.UNIVERSITY: ("education", "technology", "talent"),
    OrgKind.RESEARCH_INSTITUTE: ("technology", "talent"),
    OrgKind.COMMUNITY: ("culture", "employment", "market"),
}


def unit_profile(rng: random.Random, org: OrgNode) -> None:
    """Resources (one to three, led by what the kind offers) and capacity (1–3 villages)."""
    offers = OFFERS.get(org.line or org.kind, RESOURCES)
    chosen = rng.sample(offers, min(len(offers), rng.randint(1, 2)))
    if rng.random() < 0.3:
        extra = rng.choice(RESOURCES)
        if extra not in chosen:
            chosen.append(extra)
    org.resources = chosen
    big = org.level == OrgLevel.COMMITTEE
    org.capacity = rng.randint(2, 3) if big else rng.randint(1, 2)
    if org.kind == OrgKind.COMMUNITY:
        org.capacity = 1


def tag_villages(rng: random.Random, villages: list[OrgNode]) -> None:
    """Tag exact shares of the villages; the poor are mostly weak, the model villages never."""
    count = len(villages)
    shuffled = villages[:]
    rng.shuffle(shuffled)
    n_weak = round(TAG_SHARES["weak"] * count)
    weak, others = shuffled[:n_weak], shuffled[n_weak:]
    for v in weak:
        v.tags.append("weak")
    n_poor = round(TAG_SHARES["poor"] * count)
    poor_weak = min(len(weak), round(n_poor * 0.6))
    poor_other = n_poor - poor_weak
    for v in weak[:poor_weak] + others[:poor_other]:
        v.tags.append("poor")
    for v in others[poor_other : poor_other + round(TAG_SHARES["demo"] * count)]:
        v.tags.append("demo")
    for tag in ("lax", "disorder"):
        for v in rng.sample(villages, round(TAG_SHARES[tag] * count)):
            if "demo" not in v.tags:
                v.tags.append(tag)
    for v in villages:
        v.tags.sort(key=list(TAG_SHARES).index)


def village_needs(rng: random.Random, village: OrgNode) -> None:
    """Needs follow the tags: weak villages need funds, lax ones talent, disorderly ones legal help."""
    needs: list[str] = []
    for tag, need in (
        ("weak", "funds"),
        ("poor", "employment"),
        ("lax", "talent"),
        ("disorder", "legal"),
        ("demo", "market"),
    ):
        if tag in village.tags and need not in needs:
            needs.append(need)
    for need in rng.sample(RESOURCES, rng.randint(1, 3)):
        if need not in needs and len(needs) < 4:
            needs.append(need)
    village.needs = needs


def village_figures(rng: random.Random, village: OrgNode, years: tuple[int, int]) -> None:
    """Households, population, party members and collective income for two years.

    Weak villages stay under the weak-income line; model villages earn millions.
    """
    households = int(min(1500, max(90, rng.lognormvariate(5.8, 0.45))))
    if "weak" in village.tags:
        income = rng.uniform(5_000, WEAK_INCOME_LIMIT * 0.9)
    elif "demo" in village.tags:
        income = rng.uniform(1_000_000, 8_000_000)
    else:
        income = min(6_000_000, max(WEAK_INCOME_LIMIT * 1.1, rng.lognormvariate(12.9, 0.8)))
    figures = []
    for year in sorted(years):
        population = int(households * rng.uniform(2.7, 3.6))
        figures.append(
            FigureDraft(
                year=year,
                households=households,
                population=population,
                party_members=max(8, int(population * rng.uniform(0.025, 0.05))),
                collective_income=Decimal(round(income, -2)).quantize(Decimal("0.01")),
            )
        )
        households += rng.randint(-5, 8)
        growth = rng.uniform(1.0, 1.12)
        income = min(income * growth, WEAK_INCOME_LIMIT * 0.95) if "weak" in village.tags else income * growth
    village.figures = figures

"""Demo data for the dispatch app: a talent pool and villages' needs profiles on the demo
registry (``gongjian.demo.registry.generate``). Bulk inserts only: a province's 30,000
candidates take seconds, not minutes.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from gongjian.audit.services import audit_event
from gongjian.demo.registry.names import person_name
from gongjian.demo.registry.people import PersonFactory
from gongjian.dispatch.models import (
    Candidate,
    CandidatePreference,
    CandidateStatus,
    CandidateStep,
    NeedsProfile,
    Skill,
    StepKind,
)
from gongjian.dispatch.places import Committees
from gongjian.dispatch.vocabulary import ensure_skills
from gongjian.orgs.models import NON_UNIT_KINDS, Organization, OrgKind
from gongjian.orgs.search import search_keys

# Cooperatives send no cadres either.
NOT_UNITS = NON_UNIT_KINDS | {OrgKind.COOPERATIVE}
# What a village's tags call for (seed 000: cadres who can lead villagers to prosperity;
# seed 001: first secretaries for lax branches).
SKILLS_BY_TAG = {
    "weak": ("agriculture", "ecommerce", "finance"),
    "poor": ("agriculture", "ecommerce"),
    "lax": ("party", "governance"),
    "disorder": ("law", "governance"),
    "demo": ("tourism", "ecommerce", "planning"),
}
INDUSTRIES = ("茶叶", "核桃", "中药材", "食用菌", "生猪养殖", "蔬菜大棚", "乡村旅游", "光伏", "小杂粮", "劳务输出")
PROBLEMS_BY_TAG = {
    "weak": "村集体经济薄弱，缺少增收项目",
    "poor": "脱贫户收入不稳定，需防止返贫",
    "lax": "班子凝聚力不强，党组织软弱涣散",
    "disorder": "矛盾纠纷较多，治安形势复杂",
    "demo": "产业需要规模化、品牌化",
}
CADRE_TAGS = {"weak", "lax", "poor", "disorder"}
OTHER_VILLAGE_SHARE = 0.3  # untagged villages that also asked for a cadre
STATUS_SHARES = (
    (CandidateStatus.APPLIED, 0.05),
    (CandidateStatus.RECOMMENDED, 0.05),
    (CandidateStatus.REJECTED, 0.03),
)


def _needs_profiles(rng: random.Random, skills: dict[str, Skill]) -> tuple[int, list[tuple[int, str]]]:
    """A profile for every village without one; returns (created, [(village, path)] needing a cadre)."""
    tags: dict[int, list[str]] = {}
    for pk, code in Organization.tags.through.objects.filter(organization__kind=OrgKind.VILLAGE).values_list(
        "organization_id", "tag__code"
    ):
        tags.setdefault(pk, []).append(code)
    have = set(NeedsProfile.objects.values_list("village_id", flat=True))
    villages = list(
        Organization.objects.filter(kind=OrgKind.VILLAGE, is_active=True).order_by("pk").values_list("pk", "path")
    )
    profiles, wanted, codes = [], [], list(skills)
    for pk, path in villages:
        if pk in have:
            continue
        village_tags = tags.get(pk, [])
        needed = 1 if CADRE_TAGS.intersection(village_tags) or rng.random() < OTHER_VILLAGE_SHARE else 0
        chosen = {rng.choice(SKILLS_BY_TAG[t]) for t in village_tags if t in SKILLS_BY_TAG}
        target = rng.randint(1, 3)
        while len(chosen) < target:
            chosen.add(rng.choice(codes))
        profile = NeedsProfile(
            village_id=pk,
            population=rng.randint(400, 3500),
            industries="、".join(rng.sample(INDUSTRIES, rng.randint(1, 3))),
            problems="；".join(PROBLEMS_BY_TAG[t] for t in village_tags if t in PROBLEMS_BY_TAG),
            cadres_needed=needed,
        )
        profile._demo_skills = sorted(chosen)  # type: ignore[attr-defined]
        profiles.append(profile)
        if needed:
            wanted.append((pk, path))
    NeedsProfile.objects.bulk_create(profiles, batch_size=2000)
    through = NeedsProfile.skills.through
    through.objects.bulk_create(
        (
            through(needsprofile_id=p.pk, skill_id=skills[c].pk)
            for p in profiles
            for c in p._demo_skills  # type: ignore[attr-defined]
        ),
        batch_size=5000,
    )
    return len(profiles), wanted


def _status(rng: random.Random, pooled_share: float) -> str:
    if rng.random() < pooled_share:
        return CandidateStatus.POOLED
    roll, total = rng.random() * sum(s for _c, s in STATUS_SHARES), 0.0
    for status, share in STATUS_SHARES:
        total += share
        if roll <= total:
            return status
    return CandidateStatus.APPLIED


def generate_pool(n_candidates: int, rng: random.Random, *, pooled_share: float = 0.85) -> dict[str, int]:
    """Create ``n_candidates`` candidates on the demo registry's units, with skills, wishes
    (mostly their own county or one beside it in the same city; some name a village there)
    and the workflow steps of their status, plus a needs profile for every village that has
    none (tagged villages and some others ask for one cadre). ``pooled_share`` of the
    candidates are in the pool; the rest are at an earlier step or were rejected.
    Returns counts by kind. One transaction, bulk inserts, one audit row."""
    ensure_skills()
    with transaction.atomic():
        skills = {s.code: s for s in Skill.objects.all()}
        profiles, wanted = _needs_profiles(rng, skills)
        committees = Committees.load()
        by_county: dict[int, list[int]] = {}
        for pk, path in wanted:
            county = committees.county_of(path)
            if county is not None:
                by_county.setdefault(county, []).append(pk)
        units = list(
            Organization.objects.filter(is_active=True)
            .exclude(kind__in=NOT_UNITS)
            .order_by("pk")
            .values_list("pk", "path", "region__division_code")
        )
        if not units:
            raise ValueError("没有可报名的单位：请先生成演示组织（gongjian demo）")
        people = PersonFactory(rng, timezone.localdate().year)
        people.id_numbers = set(Candidate.objects.values_list("id_number", flat=True))
        codes = list(skills)
        candidates, wishes = [], []
        for _ in range(n_candidates):
            unit, path, division = rng.choice(units)
            male = rng.random() < 0.7
            age = rng.randint(26, 50)
            id_number = people.id_number((division or "610000")[:6], male=male, age=age)
            name = person_name(rng, male=male)
            pinyin, initials = search_keys(name)
            candidate = Candidate(
                name=name,
                gender="M" if male else "F",
                birth_date=datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])),
                id_number=id_number,
                phone=people.phone(),
                education=rng.choices(("postgraduate", "bachelor", "college"), (2, 6, 2))[0],
                political_status=rng.choices(("member", "probationary"), (19, 1))[0],
                unit_id=unit,
                post=rng.choice(("科员", "副科长", "科长", "主任科员", "技术员", "工程师", "副主任")),
                status=_status(rng, pooled_share),
                name_pinyin=pinyin,
                name_initials=initials,
            )
            candidate._demo_skills = rng.sample(codes, rng.randint(1, 3))  # type: ignore[attr-defined]
            candidates.append(candidate)
            region = committees.region_of(path)
            places: list[int] = []
            if region and rng.random() < 0.8:
                home = rng.choice(region)
                places.append(home)
                city = [c for c in committees.counties_of_city.values() if home in c]
                if city and rng.random() < 0.4:
                    other = rng.choice(city[0])
                    if other != home:
                        places.append(other)
                for county in list(places):
                    if by_county.get(county) and rng.random() < 0.3:
                        places.append(rng.choice(by_county[county]))
            wishes.append(places)
        Candidate.objects.bulk_create(candidates, batch_size=2000)
        through = Candidate.skills.through
        through.objects.bulk_create(
            (through(candidate_id=c.pk, skill_id=skills[s].pk) for c in candidates for s in c._demo_skills),  # type: ignore[attr-defined]
            batch_size=5000,
        )
        CandidatePreference.objects.bulk_create(
            (
                CandidatePreference(candidate_id=c.pk, rank=i, place_id=p)
                for c, places in zip(candidates, wishes, strict=True)
                for i, p in enumerate(dict.fromkeys(places), 1)
            ),
            batch_size=5000,
        )
        steps_for = {
            CandidateStatus.APPLIED: (StepKind.APPLY,),
            CandidateStatus.RECOMMENDED: (StepKind.APPLY, StepKind.RECOMMEND),
            CandidateStatus.POOLED: (StepKind.APPLY, StepKind.RECOMMEND, StepKind.APPROVE),
            CandidateStatus.REJECTED: (StepKind.APPLY, StepKind.RECOMMEND, StepKind.REJECT),
        }
        CandidateStep.objects.bulk_create(
            (
                CandidateStep(
                    candidate_id=c.pk,
                    kind=kind,
                    actor=None,
                    comment="考察中发现群众评价一般" if kind == StepKind.REJECT else "",
                )
                for c in candidates
                for kind in steps_for[c.status]  # type: ignore[index]
            ),
            batch_size=5000,
        )
        counts = {"candidates": len(candidates), "needs_profiles": profiles, "villages_needing": len(wanted)}
        counts |= {f"status_{k}": v for k, v in Counter(c.status for c in candidates).items()}
        audit_event("dispatch.demo.generate", actor=None, after=counts)
    return counts

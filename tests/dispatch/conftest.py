"""Fixtures of the dispatch tests: a policy profile with a ``dispatch`` section in a temporary
POLICY_DIR, skills, and helpers taking a candidate through the workflow."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from gongjian.dispatch.models import Candidate, NeedsProfile, Skill
from gongjian.dispatch.services_pool import candidate_apply, candidate_recommend, candidate_vet, needs_profile_save
from gongjian.dispatch.vocabulary import ensure_skills
from gongjian.orgs.models import Organization
from tests.conftest import Cast, fix_check

POLICY = """
name: 选派测试
place: 测试
version: "1"
allocation:
  need_points: 10
round:
  term_years: 3
dispatch:
  preference_points: [60, 40, 20]
  skill_points: 30
  priority_tags: [weak, lax]
  tag_points: {weak: 40, lax: 50}
  term_years: 2
  log_due_day: 10
"""
POLICY_KEY = "dispatchtest"


@pytest.fixture
def policy_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    (tmp_path / f"{POLICY_KEY}.yaml").write_text(POLICY, "utf-8")
    settings.POLICY_DIR = tmp_path
    return tmp_path


@pytest.fixture
def skills(db: None) -> dict[str, Skill]:
    ensure_skills()  # a transactional test before this one may have flushed them
    return {s.code: s for s in Skill.objects.all()}


_serial = itertools.count(1)


def id_number(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    return fix_check(f"61102319{80 + n % 20:02d}0101{n % 1000:03d}0")


MakeCandidate = Callable[..., Candidate]


@pytest.fixture
def make_candidate(cast: Cast, skills: dict[str, Skill]) -> MakeCandidate:
    """Apply (by the unit user), and optionally recommend and vet: stage is "applied",
    "recommended" or "pooled"."""

    def make(
        name: str = "赵志远",
        *,
        stage: str = "pooled",
        skill_codes: tuple[str, ...] = ("agriculture",),
        preferences: tuple[Organization, ...] = (),
    ) -> Candidate:
        candidate = candidate_apply(
            actor=cast.unit_user,
            unit=cast.unit,
            name=name,
            gender="M",
            birth_date=datetime.date(1988, 5, 1),
            id_number=id_number(),
            phone="13800001111",
            education="bachelor",
            political_status="member",
            skills=[skills[c] for c in skill_codes],
            preferences=list(preferences),
        )
        if stage in ("recommended", "pooled"):
            candidate = candidate_recommend(actor=cast.unit_user, candidate=candidate, comment="同意推荐")
        if stage == "pooled":
            candidate = candidate_vet(actor=cast.committee_admin, candidate=candidate, approve=True, comment="考察合格")
        return candidate

    return make


def needs(
    cast: Cast, village: Organization, skills: dict[str, Skill], codes: tuple[str, ...], count: int = 1
) -> NeedsProfile:
    """A needs profile written by the county admin."""
    return needs_profile_save(
        actor=cast.committee_admin,
        village=village,
        population=1200,
        industries="茶叶、核桃",
        problems="班子不强",
        skills=[skills[c] for c in codes],
        cadres_needed=count,
    )

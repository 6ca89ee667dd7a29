"""Policy profiles: every shipped profile loads, obligations are typed, and a bad profile is
refused with the file and the key named in Chinese."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from gongjian.policies import PolicyProfileError, load_profile, profile_keys

SHIPPED = Path(settings.POLICY_DIR)


def test_every_shipped_profile_loads_with_its_obligations() -> None:
    assert {"shanghai", "shangnan", "anhui", "town_quarterly", "jincheng", "suifenhe"} <= set(profile_keys())
    for key in profile_keys():
        profile = load_profile(key)
        ids = [o.id for o in profile.obligations]
        assert len(ids) == len(set(ids))
        # seed 004 doc 3: ¥50 a point is village secretaries' pay, never a unit's assessment.
        raw = yaml.safe_load((SHIPPED / f"{key}.yaml").read_text("utf-8"))
        assert "yuan_per_point" not in (raw.get("assessment") or {}), key


def test_shanghai_obligations_follow_the_seed() -> None:
    profile = load_profile("shanghai")
    principal, team, in_charge, department = profile.visits
    assert (principal.levels, principal.count, principal.period) == (("principal",), 1, "term")
    assert (team.levels, team.count, team.period) == (("team_member",), 1, "term")
    assert (in_charge.levels, in_charge.count, in_charge.period) == (("in_charge",), 2, "year")
    assert (department.levels, department.count, department.period) == (("department",), 2, "year")
    assert principal.sentence() == "党委主要领导协议期间走访不少于 1 次"
    (funds,) = profile.funds
    assert (funds.village_tag, funds.min_yuan_per_year) == ("weak", 20000)
    assert profile.projects_required
    projects = profile.obligation("projects")
    assert projects is not None and not projects.applies_to({"weak"}) and projects.applies_to({"lax"})


def test_anhui_has_the_six_annual_musts() -> None:
    (six,) = load_profile("anhui").obligations
    assert six.kind == "six_musts" and len(six.kinds) == 6 and six.count == 1


def _write(tmp_path: Path, text: str, name: str = "bad.yaml") -> None:
    base = (SHIPPED / "shangnan.yaml").read_text("utf-8")
    head = base[: base.index("obligations:")]
    (tmp_path / name).write_text(head + text, "utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("obligations:\n  - {id: a, kind: visits, label: 走访, levels: [mayor], count: 2}\n", "obligations[0].levels"),
        ("obligations:\n  - {id: a, kind: flying, label: x}\n", "obligations[0].kind 是未知的义务类型"),
        ("obligations:\n  - {id: a, kind: funds, label: 资金}\n", "obligations[0].min_yuan"),
        ("obligations:\n  - {id: a, kind: six_musts, label: x, period: month}\n", "obligations[0].period"),
        ("obligations:\n  - {id: a, kind: projects, label: x, count: yes}\n", "obligations[0].count"),
        ("obligations:\n  - {id: a, kind: projects, label: x, due: 13-40}\n", "obligations[0].due"),
        (
            "obligations:\n  - {id: a, kind: projects, label: x}\n  - {id: a, kind: projects, label: y}\n",
            "obligations[1].id 重复",
        ),
        (
            "obligations: []\nassessment:\n  bonus:\n    - {id: b, label: x, obligation: nope}\n",
            "assessment.bonus[0].obligation 指向不存在的义务",
        ),
        ("obligations: []\nassessment: {yuan_per_point: 50}\n", "assessment.yuan_per_point 是未知的键"),
        ("obligations: []\nsecretaries: {mark: 100}\n", "secretaries.yuan_per_point"),
        (
            "obligations: []\nsecretaries: {mark: 100, yuan_per_point: 50, contribution_percent: 110}\n",
            "secretaries.contribution_percent",
        ),
        ("obligations:\n  - {id: a, kind: projects, label: x, colour: red}\n", "obligations[0].colour 是未知的键"),
        ("obligations: []\ndispatch: {skill_points: -1}\n", "dispatch.skill_points"),
        ("obligations: []\ndispatch: {tag_points: {weak: x}}\n", "dispatch.tag_points.weak"),
        ("obligations: []\ndispatch: {log_due_day: 40}\n", "dispatch.log_due_day"),
        ("obligations: []\nmembers: {report_grace_days: 15}\n", "members.query_answer_days 缺失"),
        (
            "obligations: []\nmembers: {report_grace_days: 15, query_answer_days: 10, letter_due: 02-30,"
            " letter_lead_days: 30, forum_lead_days: 15, agreement_before_leaving: true}\n",
            "members.letter_due",
        ),
        ("obligations: []\nfunds_tax: {deduction_limit_percent: 120}\n", "funds_tax.deduction_limit_percent"),
        ("obligations: []\nfund_tax: {deduction_limit_percent: 12}\n", "fund_tax 是未知的配置节"),
    ],
)
def test_a_bad_profile_names_file_and_key(tmp_path: Path, settings: object, text: str, expected: str) -> None:
    settings.POLICY_DIR = tmp_path  # type: ignore[attr-defined]
    _write(tmp_path, text)
    with pytest.raises(PolicyProfileError) as caught:
        load_profile("bad")
    assert str(caught.value).startswith("bad.yaml：")
    assert expected in str(caught.value)


def test_a_changed_file_is_read_again(tmp_path: Path, settings: object) -> None:
    settings.POLICY_DIR = tmp_path  # type: ignore[attr-defined]
    shutil.copy(SHIPPED / "shanghai.yaml", tmp_path / "shanghai.yaml")
    assert load_profile("shanghai").funds[0].min_yuan == Decimal(20000)
    path = tmp_path / "shanghai.yaml"
    path.write_text(path.read_text("utf-8").replace("min_yuan: 20000", "min_yuan: 30000"), "utf-8")
    assert load_profile("shanghai").funds[0].min_yuan == Decimal(30000)

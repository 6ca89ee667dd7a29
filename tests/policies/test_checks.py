"""A bad profile is reported at start-up (the system check run by ``manage.py check`` and
runserver), and apps read typed sections without code defaults of their own."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from gongjian.dispatch.policy import dispatch_rules
from gongjian.members.policy import DEFAULT_PROFILE_KEY, rules_for_key
from gongjian.policies import PolicyProfileError, load_profile, profile_keys
from gongjian.policies.checks import check_profiles
from tests.conftest import profile_without

SHIPPED = Path(django_settings.POLICY_DIR)


def test_the_shipped_profiles_pass_the_start_up_check() -> None:
    assert check_profiles() == []
    for key in profile_keys():
        load_profile(key)


def test_a_bad_section_fails_the_start_up_check_naming_file_and_key(tmp_path: Path, settings: Any) -> None:
    settings.POLICY_DIR = tmp_path
    shutil.copy(SHIPPED / "shanghai.yaml", tmp_path / "shanghai.yaml")
    text = (SHIPPED / "anhui.yaml").read_text("utf-8").replace("skill_points: 30", "skill_points: 三十")
    (tmp_path / "anhui.yaml").write_text(text, "utf-8")
    (error,) = check_profiles()
    assert error.id == "policies.E001" and error.msg.startswith("anhui.yaml：dispatch.skill_points")
    with pytest.raises(SystemCheckError, match=r"anhui\.yaml：dispatch\.skill_points"):
        call_command("check")


def test_apps_read_the_typed_sections() -> None:
    anhui = load_profile("anhui")
    assert dispatch_rules("anhui") == anhui.dispatch and anhui.dispatch.tag_points["weak"] == 40
    assert anhui.funds_tax is not None and anhui.funds_tax.limit_percent == 12
    assert rules_for_key("suifenhe") == load_profile("suifenhe").members


def test_a_profile_without_members_rules_follows_the_default_profiles(tmp_path: Path, settings: Any) -> None:
    settings.POLICY_DIR = tmp_path
    shutil.copy(SHIPPED / f"{DEFAULT_PROFILE_KEY}.yaml", tmp_path / f"{DEFAULT_PROFILE_KEY}.yaml")
    text = profile_without((SHIPPED / "anhui.yaml").read_text("utf-8"), "members")
    (tmp_path / "anhui.yaml").write_text(text, "utf-8")
    assert load_profile("anhui").members is None
    assert rules_for_key("anhui") == load_profile(DEFAULT_PROFILE_KEY).members
    # and no code default stands in when the default profile has none either
    default = (SHIPPED / f"{DEFAULT_PROFILE_KEY}.yaml").read_text("utf-8")
    (tmp_path / f"{DEFAULT_PROFILE_KEY}.yaml").write_text(profile_without(default, "members"), "utf-8")
    with pytest.raises(PolicyProfileError, match="members 缺失"):
        rules_for_key("anhui")

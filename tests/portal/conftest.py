"""Fixtures of the portal tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

# The dashboard tests count visits done against visits due by hand, so their world needs a
# profile with a yearly visit duty; Shangnan (the world's place) sets none since seed 002
# names no number. The test profile is Shangnan's with the duty its earlier version had (for
# each of the two levels: levels are not summed).
DASHBOARD_POLICY = "dashboard_test"
VISIT_DUTY = {
    "id": "visit_in_charge",
    "kind": "visits",
    "label": "分管领导和具体负责部门走访",
    "levels": ["in_charge", "department"],
    "count": 2,
    "period": "year",
    "at_risk": {"lead_days": 60, "pro_rata": True},
    "points": 10,
    "points_each": 5,
}


@pytest.fixture
def dashboard_policy(settings: Any, tmp_path: Path) -> str:
    """A policy folder with the shipped profiles and ``dashboard_test`` (see above)."""
    folder = tmp_path / "policies"
    folder.mkdir()
    for path in Path(settings.POLICY_DIR).glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    profile = yaml.safe_load((folder / "shangnan.yaml").read_text(encoding="utf-8"))
    profile["name"] = "商南县（看板测试：每年走访 2 次）"
    profile["obligations"] = [VISIT_DUTY]
    (folder / f"{DASHBOARD_POLICY}.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    settings.POLICY_DIR = folder
    return DASHBOARD_POLICY

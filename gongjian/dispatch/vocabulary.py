"""The skills a dispatched cadre brings and a village needs. The vocabulary stays open."""

from __future__ import annotations

from typing import Any

SKILLS = [
    ("agriculture", "农业技术"),
    ("ecommerce", "电子商务"),
    ("governance", "基层治理"),
    ("party", "党建"),
    ("law", "法律"),
    ("medicine", "医疗卫生"),
    ("finance", "金融财务"),
    ("education", "教育"),
    ("tourism", "乡村旅游"),
    ("planning", "规划建设"),
]


def ensure_skills(skill_model: Any = None) -> None:
    """Create the standard skills if missing (migrations pass the historical model)."""
    if skill_model is None:
        from gongjian.dispatch.models import Skill

        skill_model = Skill
    for code, name in SKILLS:
        skill_model.objects.get_or_create(code=code, defaults={"name": name})

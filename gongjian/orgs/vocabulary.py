"""The seeds' village tags and kinds of help. The vocabularies stay open: admins add more."""

from __future__ import annotations

from typing import Any

TAGS = [("weak", "经济薄弱"), ("lax", "软弱涣散"), ("disorder", "治安乱"), ("poor", "贫困"), ("demo", "产业示范")]
RESOURCES = [
    ("funds", "资金"),
    ("technology", "技术"),
    ("talent", "人才"),
    ("market", "市场"),
    ("medical", "医疗"),
    ("education", "教育"),
    ("legal", "法律"),
    ("culture", "文化"),
    ("infrastructure", "基础设施"),
    ("employment", "就业"),
]


def ensure_vocabularies(tag_model: Any = None, resource_model: Any = None) -> None:
    """Create the standard tags and resources if missing (migrations pass historical models)."""
    if tag_model is None or resource_model is None:
        from gongjian.orgs.models import Resource, Tag

        tag_model, resource_model = Tag, Resource
    for code, name in TAGS:
        tag_model.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in RESOURCES:
        resource_model.objects.get_or_create(code=code, defaults={"name": name})

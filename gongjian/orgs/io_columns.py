"""The columns of the registry's spreadsheets and how a cell's text becomes a value."""

from __future__ import annotations

import re

from gongjian.core.cells import choices_by_label
from gongjian.core.cells import parse_count as parse_count
from gongjian.core.cells import parse_money as parse_money
from gongjian.orgs.models import AgencyLine, OrgKind, OrgLevel

ORG_COLUMNS = [
    "组织代码",
    "组织名称",
    "上级组织代码",
    "组织层级",
    "单位类型",
    "机关条线",
    "区县",
    "乡镇街道",
    "区划代码",
    "村标签",
    "需求清单",
    "资源清单",
    "可结对村数",
    "统计年度",
    "户数",
    "人口",
    "党员数",
    "村集体经济收入（元）",
]
ORG_REQUIRED = ["组织代码", "组织名称", "上级组织代码", "组织层级", "单位类型"]
FIGURE_COLUMNS = {"户数": "households", "人口": "population", "党员数": "party_members"}

PERSON_COLUMNS = ["姓名", "所在组织代码", "职务", "手机号码", "身份证号", "是否党员"]
# The ID number is optional (个人信息保护法 第六条: collect only what the practice needs).
PERSON_REQUIRED = ["姓名", "所在组织代码"]

LIST_SEPARATORS = re.compile(r"[、;；,，\s]+")
YES = {"是", "Y", "y", "yes", "1", "TRUE", "true"}
NO = {"否", "N", "n", "no", "0", "FALSE", "false", ""}


def level_choices() -> dict[str, str]:
    return choices_by_label(OrgLevel.choices)


def kind_choices() -> dict[str, str]:
    # Joint organizations are set up with their members on their own pages and file.
    mapping = choices_by_label([c for c in OrgKind.choices if c[0] != OrgKind.JOINT])
    # Users write either half of "农民专业合作社/协会".
    mapping.update({"农民专业合作社": OrgKind.COOPERATIVE, "协会": OrgKind.COOPERATIVE})
    return mapping


def line_choices() -> dict[str, str]:
    return choices_by_label(AgencyLine.choices)


def split_list(text: str) -> list[str]:
    return [item for item in LIST_SEPARATORS.split(text) if item]


def format_list(names: list[str]) -> str:
    return "、".join(names)

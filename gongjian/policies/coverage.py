"""``coverage:`` — who must have a pair (seed 004 doc 1 (二)(四): towns as well as villages;
doc 2 二、1: every type of city party organization).

A profile without the section pairs villages only and shows no city-side target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class CoverageRules:
    """What the round's directory lists and which coverage figures the boards show."""

    # 乡镇党委 are listed in the directory beside the villages and paired like them (seed 004
    # doc 1 (二) "社区（街道）党工委与远郊地区乡镇党委、村党组织结对共建"; (四) "确保远郊所有
    # 乡镇、村党组织都有结对单位"); their coverage is counted apart from the villages'.
    towns_paired: bool = False
    # The city side is to be covered too: the boards show which units have no pair (seed 004
    # doc 2 二、1 "实现对城市各类型党组织的全覆盖").
    city_side: bool = False


def parse(file: str, value: Any, done: Mapping[str, Any]) -> CoverageRules:
    if value is None:
        return CoverageRules()
    reader = Reader(file, value, "coverage")
    reader.only({"towns_paired", "city_side"})
    return CoverageRules(towns_paired=reader.boolean("towns_paired"), city_side=reader.boolean("city_side"))

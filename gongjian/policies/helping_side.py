"""``helping_side:`` — how a unit organizes its help (seed 004 doc 1 (三)(十); doc 5 三、1).

A profile without the section asks neither for a combined pairing nor for a named plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class HelpingSideRules:
    # "鼓励采取‘机关+企业（事业单位）’等形式，开展组合式帮扶" (seed 004 doc 1 (三)): an agency
    # may take an enterprise or institution along as co-helper of its pair.
    combined_pairing: bool = False
    # "要明确分管领导和负责部门，研究制定结对帮扶方案" (seed 004 doc 1 (十)): each unit names its
    # leader in charge and responsible department and writes its plan; the round's admins see
    # the units that have not.
    plan_required: bool = False


def parse(file: str, value: Any, done: Mapping[str, Any]) -> HelpingSideRules:
    if value is None:
        return HelpingSideRules()
    reader = Reader(file, value, "helping_side")
    reader.only({"combined_pairing", "plan_required"})
    return HelpingSideRules(
        combined_pairing=reader.boolean("combined_pairing"), plan_required=reader.boolean("plan_required")
    )

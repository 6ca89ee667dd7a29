"""The dispatch section of a policy profile: matching weights, priority villages, term length.

The numbers live in ``policies/*.yaml`` under ``dispatch:``; a profile without the section
scores nothing and prioritises nothing (the engine then only maximises coverage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongjian.core.policies import PolicyProfileError, load_profile


@dataclass(frozen=True)
class DispatchRules:
    """Weights and rules of the dispatch matching (see :func:`dispatch_rules`)."""

    preference_points: tuple[int, ...] = ()  # the candidate's 1st, 2nd... preferred village
    skill_points: int = 0  # each of the candidate's skills the village needs
    priority_tags: tuple[str, ...] = ()  # villages that are filled first (coverage before score)
    tag_points: dict[str, int] = field(default_factory=dict)  # extra points by village tag
    term_years: int = 2
    log_due_day: int = 10  # month M's work log is due by this day of month M+1
    max_preferences: int = 3


def _ints(value: Any, key: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise PolicyProfileError(f"dispatch.{key}：应为整数列表")
    return tuple(value)


def _int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PolicyProfileError(f"dispatch.{key}：应为非负整数")
    return value


def dispatch_rules(policy_key: str) -> DispatchRules:
    """The ``dispatch`` section of profile ``policy_key``; the term falls back to the round's."""
    profile = load_profile(policy_key)
    data = profile.raw.get("dispatch") or {}
    if not isinstance(data, dict):
        raise PolicyProfileError(f"{policy_key}：dispatch 应为键值映射")
    tags = data.get("tag_points") or {}
    if not isinstance(tags, dict):
        raise PolicyProfileError("dispatch.tag_points：应为“村标签: 分值”")
    priority = data.get("priority_tags") or []
    if not isinstance(priority, list) or not all(isinstance(t, str) for t in priority):
        raise PolicyProfileError("dispatch.priority_tags：应为村标签列表")
    return DispatchRules(
        preference_points=_ints(data.get("preference_points", []), "preference_points"),
        skill_points=_int(data.get("skill_points", 0), "skill_points"),
        priority_tags=tuple(priority),
        tag_points={str(k): _int(v, f"tag_points.{k}") for k, v in tags.items()},
        term_years=_int(data.get("term_years", profile.round.term_years), "term_years"),
        log_due_day=_int(data.get("log_due_day", 10), "log_due_day"),
        max_preferences=_int(data.get("max_preferences", 3), "max_preferences"),
    )

"""``dispatch:`` — matching of first secretaries and resident cadres to villages (seed 000 人才库,
seed 001 软弱涣散村): weights, priority villages, term length, work-log deadline.

A profile without the section scores nothing and prioritises nothing (the engine then only
maximises coverage); the term then follows the round's ``term_years``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class DispatchRules:
    """Weights and rules of the dispatch matching."""

    preference_points: tuple[int, ...] = ()  # the candidate's 1st, 2nd... preferred village
    skill_points: int = 0  # each of the candidate's skills the village needs
    priority_tags: tuple[str, ...] = ()  # villages that are filled first (coverage before score)
    tag_points: dict[str, int] = field(default_factory=dict)  # extra points by village tag
    term_years: int = 2
    log_due_day: int = 10  # month M's work log is due by this day of month M+1
    max_preferences: int = 3


_KEYS = {
    "preference_points", "skill_points", "priority_tags", "tag_points", "term_years", "log_due_day",
    "max_preferences",
}  # fmt: skip


def parse(file: str, value: Any, done: Mapping[str, Any]) -> DispatchRules:
    reader = Reader(file, value or {}, "dispatch")
    reader.only(_KEYS)
    term_years = done["round"].term_years
    return DispatchRules(
        preference_points=reader.integers("preference_points", []),
        skill_points=reader.integer("skill_points", 0),
        priority_tags=reader.words("priority_tags"),
        tag_points=reader.points_by_word("tag_points"),
        term_years=reader.integer("term_years", term_years, minimum=1),
        log_due_day=reader.integer("log_due_day", DispatchRules.log_due_day, minimum=1, maximum=28),
        max_preferences=reader.integer("max_preferences", DispatchRules.max_preferences, minimum=1),
    )

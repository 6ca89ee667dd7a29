"""Policy profiles: the numbers and rules that differ between places, one YAML file each
in ``policies/``, chosen per round. Nothing of this kind lives in code."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from gongjian.matching import Policy as AllocationPolicy

VISIT_LEVELS = {
    "principal": "党委主要领导和班子成员",
    "in_charge": "分管领导和具体负责部门",
}


class PolicyProfileError(ValueError):
    """A profile is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class VisitRule:
    level: str
    count: int
    per: str  # "year" or "term"

    def sentence(self) -> str:
        who = VISIT_LEVELS.get(self.level, self.level)
        when = "协议期间" if self.per == "term" else "每年"
        return f"{who}{when}走访不少于 {self.count} 次"


@dataclass(frozen=True)
class FundRule:
    village_tag: str
    min_yuan_per_year: int

    def sentence(self, tag_name: str) -> str:
        return f"帮扶{tag_name}村的，每年帮扶资金不低于 {self.min_yuan_per_year:,} 元"


@dataclass(frozen=True)
class RoundRules:
    intent_deadline: str = "04-30"  # month-day
    signing_deadline: str = "07-01"
    term_years: int = 3
    extra_intents: int = 2

    def default_schedule(self, year: int) -> dict[str, datetime.date]:
        """The schedule a new round of ``year`` starts from (the admin may change it)."""
        im, idd = (int(x) for x in self.intent_deadline.split("-"))
        sm, sd = (int(x) for x in self.signing_deadline.split("-"))
        return {
            "intent_deadline": datetime.date(year, im, idd),
            "signing_deadline": datetime.date(year, sm, sd),
            "term_start": datetime.date(year, sm, sd),
            "term_end": datetime.date(year + self.term_years, sm, sd) - datetime.timedelta(days=1),
        }


@dataclass(frozen=True)
class RecordRules:
    """Deadlines of the record-keeping duties (三卡, quarterly reports), in days."""

    feedback_answer_days: int = 15  # a villager's opinion is answered within this many days
    performance_card_due_day: int = 5  # month M's card is submitted by this day of month M+1
    countersign_days: int = 5  # the village countersigns or returns a card within this many days
    quarterly_report_due_days: int = 10  # a quarter's report is due this many days after it ends


@dataclass(frozen=True)
class PolicyProfile:
    key: str
    name: str
    place: str
    version: str
    source: str
    allocation: AllocationPolicy
    round: RoundRules = field(default_factory=RoundRules)
    visits: tuple[VisitRule, ...] = ()
    funds: tuple[FundRule, ...] = ()
    projects_required: bool = False
    records: RecordRules = field(default_factory=RecordRules)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.version}）"


def _policy_dir() -> Path:
    return Path(settings.POLICY_DIR)


def profile_keys() -> list[str]:
    """The shipped profiles, by file name without ``.yaml``."""
    return sorted(p.stem for p in _policy_dir().glob("*.yaml"))


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime: float) -> PolicyProfile:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyProfileError(f"{path.name}：无法读取（{exc}）") from exc
    if not isinstance(data, dict):
        raise PolicyProfileError(f"{path.name}：应为键值映射")
    try:
        rules = RoundRules(**(data.get("round") or {}))
        records = RecordRules(**(data.get("records") or {}))
        obligations = data.get("obligations") or {}
        visits = tuple(VisitRule(**v) for v in obligations.get("visits") or ())
        funds = tuple(FundRule(**f) for f in obligations.get("funds") or ())
        projects = bool((obligations.get("projects") or {}).get("required", False))
        allocation = AllocationPolicy.from_mapping(data.get("allocation") or {}, file=path.name)
    except (TypeError, ValueError) as exc:
        raise PolicyProfileError(f"{path.name}：{exc}") from exc
    return PolicyProfile(
        key=path.stem,
        name=str(data.get("name", path.stem)),
        place=str(data.get("place", "")),
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        allocation=allocation,
        round=rules,
        visits=visits,
        funds=funds,
        projects_required=projects,
        records=records,
        raw=data,
    )


def load_profile(key: str) -> PolicyProfile:
    """Load a shipped profile by key; re-read when the file changes (no code change, no restart)."""
    path = _policy_dir() / f"{key}.yaml"
    if not key.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        raise PolicyProfileError(f"没有名为 {key} 的政策配置")
    return _load(path, path.stat().st_mtime)


def profile_choices() -> list[tuple[str, str]]:
    return [(key, load_profile(key).label) for key in profile_keys()]

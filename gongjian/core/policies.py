"""Policy profiles: the numbers and rules that differ between places, one YAML file each
in ``policies/``, chosen per round. Nothing of this kind lives in code.

A profile's ``obligations`` list is the typed, validated obligation model that compliance
evaluates: change the file and the next evaluation follows it, without a code change.
Every error names the file and the key, in Chinese.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from gongjian.matching import Policy as AllocationPolicy
from gongjian.records.choices import FiveDelivery, SixMust, VisitorLevel

# What an obligation can be about, and the periods each kind may be counted over.
OBLIGATION_KINDS: dict[str, str] = {
    "visits": "走访",
    "six_musts": "六个一",
    "deliveries": "五送",
    "funds": "帮扶资金",
    "projects": "具体帮扶项目",
    "performance_cards": "工作实绩卡",
    "feedback": "意见反馈卡",
    "quarterly_reports": "季度报告",
    "funds_feedback": "向援助单位反馈资金使用情况",
}
PERIODS: dict[str, str] = {"year": "每年", "term": "协议期间", "quarter": "每季度", "month": "每月"}
_KIND_PERIODS: dict[str, tuple[str, ...]] = {
    "visits": ("year", "term"),
    "six_musts": ("year",),
    "deliveries": ("year",),
    "funds": ("year",),
    "projects": ("year",),
    "performance_cards": ("month",),
    "feedback": ("year",),
    "quarterly_reports": ("quarter",),
    "funds_feedback": ("quarter",),
}
_KIND_VOCABULARY: dict[str, dict[str, str]] = {
    "visits": {c.value: str(c.label) for c in VisitorLevel},
    "six_musts": {c.value: str(c.label) for c in SixMust},
    "deliveries": {c.value: str(c.label) for c in FiveDelivery},
}


class PolicyProfileError(ValueError):
    """A profile is missing or malformed; the message names the file and the key."""


class _Reader:
    """Reads one mapping of a profile, naming ``file`` and the key path in every error."""

    def __init__(self, file: str, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise PolicyProfileError(f"{file}：{path or '文件'} 应为键值映射")
        self.file, self.data, self.path = file, data, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> PolicyProfileError:
        return PolicyProfileError(f"{self.file}：{self.key(name)} {message}")

    def only(self, allowed: set[str]) -> None:
        for name in self.data:
            if str(name) not in allowed:
                raise self.fail(str(name), f"是未知的键（可用：{'、'.join(sorted(allowed))}）")

    def text(self, name: str, default: str | None = None) -> str:
        value = self.data.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "应为非空文字")
        return value.strip()

    def integer(self, name: str, default: int | None = None, *, minimum: int = 0) -> int:
        value = self.data.get(name, default)
        # bool is an int subclass: `count: yes` is a typo, not 1.
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(name, f"应为不小于 {minimum} 的整数（现为 {value!r}）")
        return value

    def decimal(self, name: str, default: Decimal | int | None = None) -> Decimal:
        value = self.data.get(name, default)
        try:
            if isinstance(value, bool) or value is None:
                raise InvalidOperation
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(name, f"应为金额或数值（现为 {value!r}）") from None
        if number < 0:
            raise self.fail(name, "不能为负数")
        return number

    def words(self, name: str, vocabulary: Mapping[str, str] | None = None) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "应为文字列表")
        for item in value:
            if vocabulary is not None and item not in vocabulary:
                raise self.fail(name, f"含未知取值 {item}（可用：{'、'.join(vocabulary)}）")
        return tuple(value)

    def month_day(self, name: str, default: str) -> str:
        value = str(self.data.get(name, default))
        try:
            month, day = (int(x) for x in value.split("-"))
            datetime.date(2024, month, day)
        except ValueError:
            raise self.fail(name, f"应为“月-日”，如 12-31（现为 {value!r}）") from None
        return value

    def child(self, name: str) -> _Reader:
        return _Reader(self.file, self.data.get(name) or {}, self.key(name))


@dataclass(frozen=True)
class AtRiskRule:
    """When a not-yet-met obligation is flagged before its deadline."""

    lead_days: int = 30  # the deadline is this close
    pro_rata: bool = False  # or progress is behind the share of the period already gone


@dataclass(frozen=True)
class Obligation:
    """One duty of a pair, evaluated per period; missing it costs ``points`` in the assessment."""

    id: str
    kind: str
    label: str
    period: str
    count: int = 1  # visits per period; six musts / deliveries: each listed kind this many times
    levels: tuple[str, ...] = ()  # visits: the visitor levels, each owing ``count`` (never summed)
    kinds: tuple[str, ...] = ()  # six musts / deliveries: the kinds required
    village_tags: tuple[str, ...] = ()  # applies only to villages with one of these tags (empty: all)
    except_village_tags: tuple[str, ...] = ()  # does not apply to villages with one of these tags
    min_yuan: Decimal = Decimal(0)  # funds per year
    due: str = "12-31"  # year obligations: month-day of the deadline
    due_day: int = 5  # monthly cards: submitted by this day of the next month
    countersign_days: int = 5  # monthly cards: countersigned within this many days of the due day
    due_days: int = 10  # quarterly reports: days after the quarter; feedback: days to answer
    at_risk: AtRiskRule = field(default_factory=AtRiskRule)
    remind_days: tuple[int, ...] = (30, 7)  # reminders this many days before the deadline
    points: int = 10  # most points lost when missed
    points_each: int | None = None  # points lost per shortfall unit (visit, kind, month...), capped

    def applies_to(self, village_tags: frozenset[str] | set[str]) -> bool:
        if self.village_tags and not set(self.village_tags) & set(village_tags):
            return False
        return not set(self.except_village_tags) & set(village_tags)

    def who(self) -> str:
        names = _KIND_VOCABULARY["visits"]
        return "和".join(names[level] for level in self.levels)

    def sentence(self, tag_name: str = "") -> str:
        """The rule in one Chinese sentence (written into the agreement)."""
        if self.kind == "visits":
            when = "协议期间" if self.period == "term" else "每年"
            each = "各" if len(self.levels) > 1 else ""  # levels are not summed (seed 004 doc 1 (十))
            return f"{self.who()}{when}{each}走访不少于 {self.count} 次"
        if self.kind == "funds":
            return f"帮扶{tag_name}村的，每年帮扶资金不低于 {self.min_yuan_per_year:,} 元"
        return f"{self.label}（{PERIODS[self.period]}）"

    # The agreement PDF reads funds rules by these names.
    @property
    def village_tag(self) -> str:
        return self.village_tags[0] if self.village_tags else ""

    @property
    def min_yuan_per_year(self) -> int:
        return int(self.min_yuan)


# The agreement PDF (rounds) knows visit and fund rules by these names.
VisitRule = Obligation
FundRule = Obligation


@dataclass(frozen=True)
class BonusRule:
    """Points for doing more than an obligation asks: ``points`` per ``per`` beyond it."""

    id: str
    label: str
    obligation: str
    per: Decimal
    points: int
    max_points: int


@dataclass(frozen=True)
class AdjustRule:
    """When a pair is listed for adjustment (seed 004 doc 2: 共建效果不太好的…及时优化调整)."""

    consecutive_missed_years: int = 2  # some obligation missed this many years running
    score_below: Decimal | None = None  # or the year's score below this


@dataclass(frozen=True)
class AssessmentRules:
    """The helping units' annual assessment (seed 004 doc 1 (十): 纳入年度基层党建责任制考核):
    base score, minus points for missed obligations, plus bonus. No money: the dual-hundred's
    ¥ a point is village secretaries' pay (:class:`SecretaryRules`), not the units'."""

    base: int = 100
    mark: int = 100
    bonus: tuple[BonusRule, ...] = ()
    adjust: AdjustRule = field(default_factory=AdjustRule)


@dataclass(frozen=True)
class DepartureRules:
    """离任补贴 of village secretaries (seed 004 doc 3): 连续任职 ``long_service_years`` or more →
    a yearly living subsidy of ``periodic_percent`` % of the village's current secretary's
    annual base subsidy; shorter (or only cumulative) service → a one-time grant."""

    long_service_years: int
    periodic_percent: Decimal


@dataclass(frozen=True)
class SecretaryRules:
    """The dual-hundred (双百分) performance pay of village party secretaries (seed 004 doc 3):
    every point above or below ``mark`` is worth ``yuan_per_point``; the contribution award
    (创收奖) is ``contribution_percent`` % of the village's created income; the city pays
    ``insurance_subsidy_percent`` % of the two insurances' premiums (两险)."""

    mark: int
    yuan_per_point: Decimal
    contribution_percent: Decimal
    insurance_subsidy_percent: Decimal
    departure: DepartureRules


@dataclass(frozen=True)
class RoundRules:
    """The round's schedule and choosing rules (``round:`` in a profile).

    Dates are month-day strings; ``None`` where the place's document gives no date (the
    admin then fills the date in when creating the round, nothing is copied from another
    place). ``term_end_month``: the term ends at the end of that month ``term_years`` after
    the round's year (seed 004 (八) "协议期限至2013年7月份结束"), not after a computed duration.
    """

    intent_deadline: str | None = None  # units' choices close (month-day)
    confirmation_deadline: str | None = None  # both sides confirm their pair (意向确认) by
    signing_deadline: str | None = None  # 正式签约 by; the term starts that day
    term_years: int = 3
    term_end_month: int | None = None
    extra_intents: int = 2
    joint_organizations_in_directory: bool = False  # 联建组织 listed as pairing partners

    def __post_init__(self) -> None:
        for name in ("intent_deadline", "confirmation_deadline", "signing_deadline"):
            value = getattr(self, name)
            if value is not None:
                _month_day(value, 2000, name)  # 2000: a leap year, so 02-29 is allowed
        if self.term_end_month is not None and not (
            isinstance(self.term_end_month, int) and 1 <= self.term_end_month <= 12
        ):
            raise ValueError(f"round.term_end_month 应为 1–12 的月份，而不是“{self.term_end_month}”")

    @property
    def undated(self) -> list[str]:
        """The schedule keys the profile leaves to the admin (its document gives no date)."""
        names = ("intent_deadline", "confirmation_deadline", "signing_deadline")
        return [n for n in names if getattr(self, n) is None]

    def default_schedule(self, year: int) -> dict[str, datetime.date | None]:
        """The schedule a new round of ``year`` starts from (the admin may change it); a
        date the profile does not give is ``None``."""

        def day(name: str) -> datetime.date | None:
            value = getattr(self, name)
            return None if value is None else _month_day(value, year, name)

        signing = day("signing_deadline")
        term_end = None
        if self.term_end_month is not None:
            end_year = year + self.term_years
            first_of_next = datetime.date(end_year + self.term_end_month // 12, self.term_end_month % 12 + 1, 1)
            term_end = first_of_next - datetime.timedelta(days=1)
        elif signing is not None:
            term_end = signing.replace(year=signing.year + self.term_years) - datetime.timedelta(days=1)
        return {
            "intent_deadline": day("intent_deadline"),
            "confirmation_deadline": day("confirmation_deadline"),
            "signing_deadline": signing,
            "term_start": signing,
            "term_end": term_end if signing is not None else None,
        }


def _month_day(value: Any, year: int, name: str) -> datetime.date:
    """``"04-30"`` in ``year``; a bad value is named in Chinese at load time."""
    try:
        month, day = (int(x) for x in str(value).split("-"))
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"round.{name} 应为“月-日”，如 04-30，而不是“{value}”") from exc


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
    obligations: tuple[Obligation, ...] = ()
    assessment: AssessmentRules = field(default_factory=AssessmentRules)
    records: RecordRules = field(default_factory=RecordRules)
    secretaries: SecretaryRules | None = None  # only where the place's document pays them so
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.version}）"

    @property
    def visits(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.kind == "visits")

    @property
    def funds(self) -> tuple[Obligation, ...]:
        return tuple(o for o in self.obligations if o.kind == "funds")

    @property
    def projects_required(self) -> bool:
        return any(o.kind == "projects" for o in self.obligations)

    def obligation(self, obligation_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == obligation_id), None)


_OBLIGATION_KEYS = {
    "id", "kind", "label", "period", "count", "levels", "kinds", "village_tags", "except_village_tags",
    "min_yuan", "due", "due_day", "countersign_days", "due_days", "at_risk", "remind_days", "points",
    "points_each",
}  # fmt: skip


def _obligation(reader: _Reader, records: RecordRules) -> Obligation:
    reader.only(_OBLIGATION_KEYS)
    kind = reader.text("kind")
    if kind not in OBLIGATION_KINDS:
        raise reader.fail("kind", f"是未知的义务类型 {kind}（可用：{'、'.join(OBLIGATION_KINDS)}）")
    allowed = _KIND_PERIODS[kind]
    period = reader.text("period", allowed[0])
    if period not in allowed:
        raise reader.fail("period", f"对“{OBLIGATION_KINDS[kind]}”只能是 {'、'.join(allowed)}（现为 {period}）")
    levels = reader.words("levels", _KIND_VOCABULARY["visits"]) if kind == "visits" else ()
    if kind == "visits" and not levels:
        raise reader.fail("levels", "应列出计入的走访人员层级")
    kinds: tuple[str, ...] = ()
    if kind in ("six_musts", "deliveries"):
        kinds = reader.words("kinds", _KIND_VOCABULARY[kind]) or tuple(_KIND_VOCABULARY[kind])
    if kind == "funds" and "min_yuan" not in reader.data:
        raise reader.fail("min_yuan", "帮扶资金义务应写明每年最低金额")
    risk = reader.child("at_risk")
    risk.only({"lead_days", "pro_rata"})
    pro_rata = risk.data.get("pro_rata", False)
    if not isinstance(pro_rata, bool):
        raise risk.fail("pro_rata", "应为 true 或 false")
    remind = reader.data.get("remind_days", [30, 7])
    if not isinstance(remind, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in remind):
        raise reader.fail("remind_days", "应为天数列表，如 [30, 7]")
    points = reader.integer("points", 10)
    each = reader.data.get("points_each")
    return Obligation(
        id=reader.text("id"),
        kind=kind,
        label=reader.text("label"),
        period=period,
        count=reader.integer("count", 1, minimum=1),
        levels=levels,
        kinds=kinds,
        village_tags=reader.words("village_tags"),
        except_village_tags=reader.words("except_village_tags"),
        min_yuan=reader.decimal("min_yuan", 0),
        due=reader.month_day("due", "12-31"),
        due_day=reader.integer("due_day", records.performance_card_due_day, minimum=1),
        countersign_days=reader.integer("countersign_days", records.countersign_days),
        due_days=reader.integer(
            "due_days", records.feedback_answer_days if kind == "feedback" else records.quarterly_report_due_days
        ),
        at_risk=AtRiskRule(lead_days=risk.integer("lead_days", 30), pro_rata=pro_rata),
        remind_days=tuple(sorted(set(remind), reverse=True)),
        points=points,
        points_each=None if each is None else reader.integer("points_each"),
    )


def _obligations(file: str, value: Any, records: RecordRules) -> tuple[Obligation, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PolicyProfileError(f"{file}：obligations 应为义务列表（每项含 id、kind、label…）")
    result = tuple(_obligation(_Reader(file, item, f"obligations[{i}]"), records) for i, item in enumerate(value))
    seen: set[str] = set()
    for i, item in enumerate(result):
        if item.id in seen:
            raise PolicyProfileError(f"{file}：obligations[{i}].id 重复：{item.id}")
        seen.add(item.id)
    return result


def _assessment(file: str, value: Any, obligation_ids: set[str]) -> AssessmentRules:
    reader = _Reader(file, value or {}, "assessment")
    reader.only({"base", "mark", "bonus", "adjust"})
    bonus = []
    for i, item in enumerate(reader.data.get("bonus") or []):
        b = _Reader(file, item, f"assessment.bonus[{i}]")
        b.only({"id", "label", "obligation", "per", "points", "max_points"})
        target = b.text("obligation")
        if target not in obligation_ids:
            raise b.fail("obligation", f"指向不存在的义务 {target}")
        per = b.decimal("per", 1)
        if per <= 0:
            raise b.fail("per", "应大于 0")
        bonus.append(
            BonusRule(
                id=b.text("id"),
                label=b.text("label"),
                obligation=target,
                per=per,
                points=b.integer("points", 1),
                max_points=b.integer("max_points", 5),
            )
        )
    adjust = reader.child("adjust")
    adjust.only({"consecutive_missed_years", "score_below"})
    below = adjust.data.get("score_below")
    return AssessmentRules(
        base=reader.integer("base", 100),
        mark=reader.integer("mark", 100),
        bonus=tuple(bonus),
        adjust=AdjustRule(
            consecutive_missed_years=adjust.integer("consecutive_missed_years", 2, minimum=1),
            score_below=None if below is None else adjust.decimal("score_below"),
        ),
    )


def _secretaries(file: str, value: Any) -> SecretaryRules | None:
    """The ``secretaries:`` section, every key required (the numbers are the place's own)."""
    if value is None:
        return None
    reader = _Reader(file, value, "secretaries")
    reader.only({"mark", "yuan_per_point", "contribution_percent", "insurance_subsidy_percent", "departure"})
    departure = reader.child("departure")
    departure.only({"long_service_years", "periodic_percent"})

    def percent(part: _Reader, name: str) -> Decimal:
        number = part.decimal(name)
        if number > 100:
            raise part.fail(name, "应在 0 到 100 之间")
        return number

    return SecretaryRules(
        mark=reader.integer("mark"),
        yuan_per_point=reader.decimal("yuan_per_point"),
        contribution_percent=percent(reader, "contribution_percent"),
        insurance_subsidy_percent=percent(reader, "insurance_subsidy_percent"),
        departure=DepartureRules(
            long_service_years=departure.integer("long_service_years", minimum=1),
            periodic_percent=percent(departure, "periodic_percent"),
        ),
    )


def _policy_dir() -> Path:
    return Path(settings.POLICY_DIR)


def profile_keys() -> list[str]:
    """The shipped profiles, by file name without ``.yaml``."""
    return sorted(p.stem for p in _policy_dir().glob("*.yaml"))


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, size: int) -> PolicyProfile:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyProfileError(f"{path.name}：无法读取（{exc}）") from exc
    if not isinstance(data, dict):
        raise PolicyProfileError(f"{path.name}：应为键值映射")
    try:
        rules = RoundRules(**(data.get("round") or {}))
        records = RecordRules(**(data.get("records") or {}))
        allocation = AllocationPolicy.from_mapping(data.get("allocation") or {}, file=path.name)
    except (TypeError, ValueError) as exc:
        raise PolicyProfileError(f"{path.name}：{exc}") from exc
    obligations = _obligations(path.name, data.get("obligations"), records)
    assessment = _assessment(path.name, data.get("assessment"), {o.id for o in obligations})
    return PolicyProfile(
        key=path.stem,
        name=str(data.get("name", path.stem)),
        place=str(data.get("place", "")),
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        allocation=allocation,
        round=rules,
        obligations=obligations,
        assessment=assessment,
        records=records,
        secretaries=_secretaries(path.name, data.get("secretaries")),
        raw=data,
    )


def load_profile(key: str) -> PolicyProfile:
    """Load a shipped profile by key; re-read when the file changes (no code change, no restart)."""
    path = _policy_dir() / f"{key}.yaml"
    if not key.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        raise PolicyProfileError(f"没有名为 {key} 的政策配置")
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


def profile_choices() -> list[tuple[str, str]]:
    return [(key, load_profile(key).label) for key in profile_keys()]

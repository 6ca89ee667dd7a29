"""``obligations:`` — the typed, validated obligation model that compliance evaluates (seed 004
doc 1 (十), seed 000 三卡, seed 004 doc 5 quarterly reports…): change the file and the next
evaluation follows it, without a code change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongjian.policies.errors import PolicyProfileError
from gongjian.policies.practices import FiveOne
from gongjian.policies.reader import Reader
from gongjian.policies.records import RecordRules
from gongjian.policies.vocabulary import FiveDelivery, SixMust, VisitorLevel

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
    "five_ones": "五个一",
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
    "five_ones": ("year",),
}
# Labels stay lazy: this module is imported while Django populates its apps.
_KIND_VOCABULARY: dict[str, dict[str, Any]] = {
    "visits": {c.value: c.label for c in VisitorLevel},
    "six_musts": {c.value: c.label for c in SixMust},
    "deliveries": {c.value: c.label for c in FiveDelivery},
    "five_ones": {c.value: c.label for c in FiveOne},
}


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
    plan_due: str = ""  # five_ones: each target's plan by this month-day (evidence by ``due``)
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
        return "和".join(str(names[level]) for level in self.levels)

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


_OBLIGATION_KEYS = {
    "id", "kind", "label", "period", "count", "levels", "kinds", "village_tags", "except_village_tags",
    "min_yuan", "due", "due_day", "countersign_days", "due_days", "at_risk", "remind_days", "points",
    "points_each", "plan_due",
}  # fmt: skip


def _obligation(reader: Reader, records: RecordRules) -> Obligation:
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
    if kind in ("six_musts", "deliveries", "five_ones"):
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
        plan_due=reader.month_day("plan_due") if kind == "five_ones" else "",
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
    result = tuple(_obligation(Reader(file, item, f"obligations[{i}]"), records) for i, item in enumerate(value))
    seen: set[str] = set()
    for i, item in enumerate(result):
        if item.id in seen:
            raise PolicyProfileError(f"{file}：obligations[{i}].id 重复：{item.id}")
        seen.add(item.id)
    return result


def parse(file: str, value: Any, done: Mapping[str, Any]) -> tuple[Obligation, ...]:
    return _obligations(file, value, done["records"])

"""半年督查通报: a committee's half-year notice on the co-building of its subtree (seed 004
doc 5: "各党委每半年对共建情况进行一次检查通报"), computed from the records and rendered as
a PDF in official-document layout with the agreement's fonts and helpers (imported from
``rounds.agreement_pdf``, not copied)."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.template.loader import render_to_string

from gongjian.orgs.models import Organization
from gongjian.orgs.scope import is_within
from gongjian.policies import RecordRules, load_profile
from gongjian.records.choices import CardStatus, ReportStatus
from gongjian.records.models import PerformanceCard, QuarterlyReport
from gongjian.records.selectors_cards import expected_months, missing_performance_months
from gongjian.records.selectors_member_reports import member_report_counts, member_report_due, member_rules
from gongjian.records.selectors_reports import (
    delivery_total,
    half_bounds,
    overdue_feedback,
    per_pair_counts,
    quarter_bounds,
    report_due,
    rules_for_units,
    subtree_pairings,
    visit_level_counts,
)
from gongjian.rounds.agreement_pdf import (
    _fonts_only_fetcher,
    chinese_date,
    chinese_number,
    font_face_css,
    font_package_dir,
)

TEMPLATE = "records/notice_pdf.html"
NAMED_PAIRS = 5  # how many good and lagging pairs the notice names


@dataclass
class PairLine:
    unit: str
    village: str
    visits: int
    six_kinds: int
    deliveries: int
    countersigned: int
    missing: int
    overdue: int

    @property
    def name(self) -> str:
        return f"{self.unit}与{self.village}"


@dataclass
class NoticeFigures:
    """Everything the notice states, as numbers and names (also stored with the notice)."""

    organization: str
    year: int
    half: int
    start: datetime.date
    end: datetime.date
    pairs: int = 0
    units: int = 0
    villages: int = 0
    visits: int = 0
    visits_by_level: dict[str, int] = field(default_factory=dict)
    six_pairs_all_done: int = 0
    deliveries: int = 0
    delivered_yuan: str = "0.00"
    cards_due: int = 0
    cards_submitted: int = 0
    cards_countersigned: int = 0
    cards_missing: int = 0
    overdue_feedback: int = 0
    units_not_reported: list[str] = field(default_factory=list)
    # The first link (seed 004 doc 5 三、3 党员每季度向所在党组织报告): the half's member reports
    # owed (quarters past their due day, units whose profile sets the rule) and made.
    member_reports_due: int = 0
    member_reports_made: int = 0
    good: list[PairLine] = field(default_factory=list)
    lagging: list[PairLine] = field(default_factory=list)

    def jsonable(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data


def notice_figures(organization: Organization, year: int, half: int, today: datetime.date) -> NoticeFigures:
    """The half-year's figures for the organization's subtree, as of ``today``."""
    start, end = half_bounds(year, half)
    figures = NoticeFigures(organization=organization.name, year=year, half=half, start=start, end=end)
    pairings = subtree_pairings(organization)
    items = list(pairings.select_related("unit", "village", "round").order_by("unit__name", "village__name"))
    figures.pairs = len(items)
    figures.units = len({p.unit_id for p in items})
    figures.villages = len({p.village_id for p in items})
    counts = per_pair_counts(pairings, start, end)
    figures.visits_by_level = visit_level_counts(pairings, start, end)
    figures.visits = sum(figures.visits_by_level.values())
    figures.deliveries = sum(c.get("deliveries", 0) for c in counts.values())
    figures.delivered_yuan = f"{delivery_total(pairings, start, end) or 0:,.2f}"
    figures.six_pairs_all_done = sum(1 for c in counts.values() if c.get("six_kinds", 0) >= 6)

    rules: dict[str, RecordRules] = {}
    missing = missing_performance_months(items, today=today)
    for p in items:
        rule = rules.setdefault(p.round.policy_key, load_profile(p.round.policy_key).records)
        figures.cards_due += sum(1 for m in expected_months(p, rule, today) if start <= m <= end)
    period_missing = {pk: [m for m in months if start <= m <= end] for pk, months in missing.items()}
    figures.cards_missing = sum(len(m) for m in period_missing.values())
    cards = PerformanceCard.objects.filter(pairing__in=pairings, month__gte=start, month__lte=end)
    figures.cards_submitted = cards.filter(status__in=(CardStatus.SUBMITTED, CardStatus.COUNTERSIGNED)).count()
    figures.cards_countersigned = cards.filter(status=CardStatus.COUNTERSIGNED).count()
    overdue = overdue_feedback(pairings, today)
    figures.overdue_feedback = overdue.count()
    overdue_by_pair: dict[int, int] = {}
    for pairing_id in overdue.values_list("pairing_id", flat=True):
        overdue_by_pair[pairing_id] = overdue_by_pair.get(pairing_id, 0) + 1

    # Units of the subtree that owe a quarterly report of this half whose due day has passed.
    units = {p.unit_id: p.unit for p in items if is_within(p.unit, organization)}
    unit_rules = rules_for_units(list(units))
    for quarter in (1, 2) if half == 1 else (3, 4):
        quarter_end = quarter_bounds(year, quarter)[1]
        if quarter_end >= today:
            continue
        done = set(
            QuarterlyReport.objects.filter(
                organization_id__in=list(units), year=year, quarter=quarter, status=ReportStatus.SUBMITTED
            ).values_list("organization_id", flat=True)
        )
        for unit_id, unit in sorted(units.items(), key=lambda kv: kv[1].name):
            if unit_id not in done and report_due(unit, year, quarter, unit_rules.get(unit_id)) < today:
                label = f"{unit.name}（第{chinese_number(quarter)}季度）"
                figures.units_not_reported.append(label)

    for unit_id, unit in units.items():
        member_rule = member_rules(unit)
        for quarter in (1, 2) if half == 1 else (3, 4):
            due = member_report_due(member_rule, year, quarter)
            if due is None or due >= today:
                continue
            owed, made = member_report_counts([unit_id], year, quarter)[unit_id]
            figures.member_reports_due += owed
            figures.member_reports_made += min(made, owed)

    lines = []
    for p in items:
        c = counts.get(p.pk, {})
        lines.append(
            PairLine(
                unit=p.unit.name,
                village=p.village.name,
                visits=c.get("visits", 0),
                six_kinds=c.get("six_kinds", 0),
                deliveries=c.get("deliveries", 0),
                countersigned=c.get("countersigned", 0),
                missing=len(period_missing.get(p.pk, [])),
                overdue=overdue_by_pair.get(p.pk, 0),
            )
        )
    good = [x for x in lines if x.visits > 0 and x.missing == 0 and x.overdue == 0]
    good.sort(key=lambda x: (-(x.visits + x.six_kinds + x.deliveries + x.countersigned), x.unit, x.village))
    lagging = [x for x in lines if x.visits == 0 or x.missing >= 2 or x.overdue > 0]
    lagging.sort(key=lambda x: (-x.missing, -x.overdue, x.visits, x.unit, x.village))
    figures.good, figures.lagging = good[:NAMED_PAIRS], lagging[:NAMED_PAIRS]
    return figures


def notice_context(figures: NoticeFigures, number: int, issued: datetime.date) -> dict[str, object]:
    half_name = "上半年" if figures.half == 1 else "下半年"
    return {
        "f": figures,
        "title": f"关于{figures.year}年{half_name}城乡基层党组织结对共建工作检查情况的通报",
        "document_number": f"共建督〔{figures.year}〕第 {number} 号",
        "half_name": half_name,
        "period": f"{chinese_date(figures.start)}至{chinese_date(figures.end)}",
        "issued": chinese_date(issued),
        "levels": list(figures.visits_by_level.items()),
    }


def _texts(figures: NoticeFigures, context: dict[str, object]) -> list[str]:
    out = [str(v) for v in context.values() if isinstance(v, str)]
    out.append(figures.organization)
    out += figures.units_not_reported
    out += [x.name for x in figures.good + figures.lagging]
    out += list(figures.visits_by_level)
    return out


def render_notice_pdf(figures: NoticeFigures, *, number: int, issued: datetime.date) -> bytes:
    """The notice as PDF bytes (GB/T 9704 layout, Noto Serif SC embedded as subsets)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    context = notice_context(figures, number, issued)
    html = render_to_string(TEMPLATE, context)
    fetcher = _fonts_only_fetcher(font_package_dir())
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_face_css(_texts(figures, context)), font_config=fonts, url_fetcher=fetcher)
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet], font_config=fonts)
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf

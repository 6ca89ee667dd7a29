"""The dashboard as a workbook: exactly the figures the page shows for one slice (the same
:class:`~gongjian.portal.selectors_dashboard.Dashboard` object the page renders), the table
of areas or pairs with its total row, and the monthly heat map."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongjian.audit.services import export_recorded
from gongjian.compliance.models import ComplianceStatus
from gongjian.core.tabular import write_xlsx
from gongjian.portal.selectors_dashboard import Dashboard, Figures


def _area_headers() -> list[str]:
    return [
        _("地区"), _("名录村数"), _("已签约村数"), _("覆盖率（%）"), _("结对数"), _("已签约结对数"),
        _("签约率（%）"), _("走访已完成（次）"), _("走访应完成（次）"), _("认捐（元）"), _("已拨付（元）"),
        _("已到账（元）"), _("合规已完成"), _("合规进行中"), _("合规有风险"), _("合规未完成"),
    ]  # fmt: skip


def _pair_headers() -> list[str]:
    return [
        _("村"), _("结对单位"), _("结对状态"), _("走访已完成（次）"), _("走访应完成（次）"), _("认捐（元）"),
        _("已拨付（元）"), _("已到账（元）"), _("合规"),
    ]  # fmt: skip


def _area_row(name: str, f: Figures) -> list[Any]:
    s = f.statuses
    return [
        name, f.villages, f.covered, f.coverage_pct, f.pairings, f.signed, f.signed_pct, f.visits_done,
        f.visits_due, f.pledged, f.paid, f.received, s.get("met", 0), s.get("pending", 0), s.get("at_risk", 0),
        s.get("missed", 0),
    ]  # fmt: skip


def _pair_row(f: Figures, labels: dict[str, str]) -> list[Any]:
    return [
        f.village_name, f.unit_name, f.pairing_status_label, f.visits_done, f.visits_due, f.pledged, f.paid,
        f.received, labels.get(f.compliance, _("未评估")),
    ]  # fmt: skip


def _heat_rows(board: Dashboard) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for f in [*board.rows, board.total]:
        name = _("合计") if f is board.total else (f.village_name if board.leaf else f.name)
        months = [cell.met_pct if cell.due else None for cell in f.months]
        rows.append([name, *months, f.status_pct("met") if f.evaluated else None])
    return rows


def dashboard_xlsx(board: Dashboard, *, actor: Any) -> bytes:
    """The board's figures as a workbook, its export on record (the area, round, year, rows)."""
    labels = {code: str(label) for code, label in ComplianceStatus.choices}
    if board.leaf:
        headers = _pair_headers()
        rows = [_pair_row(f, labels) for f in board.rows]
        total = board.total
        rows.append([_("合计"), "", f"{total.signed}/{total.pairings}", total.visits_done, total.visits_due,
                     total.pledged, total.paid, total.received, ""])  # fmt: skip
    else:
        headers = _area_headers()
        rows = [_area_row(f.name, f) for f in board.rows]
        rows.append(_area_row(_("合计"), board.total))
    heat_headers = [_("结对") if board.leaf else _("地区")]
    heat_headers += [_("%(m)s月已会签（%%）") % {"m": m} for m in range(1, 13)]
    heat_headers.append(_("全年合规已完成（%）"))
    year = board.slice.year
    data = write_xlsx(
        headers,
        rows,
        sheet_title=_("%(year)s年共建看板") % {"year": year},
        extra_sheets=[(_("各月合规情况"), heat_headers, _heat_rows(board))],
    )
    area = board.slice.area
    export_recorded(
        "dashboard.export",
        actor=actor,
        target=area,
        scope_path=area.path,
        format="xlsx",
        rows=len(board.rows),
        year=year,
        area=area.pk,
        round=board.slice.round.pk,
    )
    return data

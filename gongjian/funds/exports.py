"""The ledger of a pairing or of a village as an xlsx (one summary sheet, one sheet per kind
of entry). No personal data: organizations and amounts only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from gongjian.audit.services import export_recorded
from gongjian.core.tabular import write_xlsx
from gongjian.funds import selectors
from gongjian.funds.ledger import Ledger, pairing_ledger, village_ledger, yearly
from gongjian.funds.models import Receipt, Transfer
from gongjian.orgs.models import Organization
from gongjian.rounds.models import Pairing

LEDGER_HEADERS = ["项目", "认捐（元）", "已拨付（元）", "已到账（元）", "已使用（元）", "结余（元）", "在途（元）"]


def _ledger_row(label: str, ledger: Ledger) -> list[Any]:
    return [
        label,
        ledger.pledged,
        ledger.transferred,
        ledger.received,
        ledger.used,
        ledger.balance,
        ledger.in_transit,
    ]


def receipt_of(transfer: Transfer) -> Receipt | None:
    """The transfer's receipt, or None while it is in transit."""
    try:
        return transfer.receipt
    except ObjectDoesNotExist:
        return None


def _transfer_rows(transfers: Any) -> list[list[Any]]:
    rows = []
    for t in transfers:
        receipt = receipt_of(t)
        rows.append(
            [
                t.date,
                t.pairing.village.name,
                t.amount,
                t.get_channel_display(),
                t.foundation_name,
                t.reference,
                receipt.received_on if receipt else "",
                receipt.amount if receipt else "",
                t.note,
            ]
        )
    return rows


TRANSFER_HEADERS = [
    "拨付日期",
    "受帮扶村",
    "拨付金额（元）",
    "拨付渠道",
    "公益组织",
    "凭证号",
    "到账日期",
    "到账金额（元）",
    "备注",
]
USE_HEADERS = ["使用日期", "资金来源单位", "使用金额（元）", "用途"]


def pairing_ledger_xlsx(*, actor: Any, pairing: Pairing) -> bytes:
    """A pairing's ledger: summary and years, pledges, transfers with receipts, uses."""
    summary = [_ledger_row("合计", pairing_ledger(pairing))]
    summary += [_ledger_row(f"{year}年", ledger) for year, ledger in yearly(pairing_id=pairing.pk)]
    pledges = [[p.year, p.pledged_at, p.amount, p.purpose] for p in selectors.pairing_pledges(pairing)]
    transfers = _transfer_rows(selectors.pairing_transfers(pairing).select_related("pairing__village"))
    uses = [[u.date, pairing.unit.name, u.amount, u.purpose] for u in selectors.pairing_uses(pairing)]
    export_recorded("funds.export.pairing", actor=actor, target=pairing, scope_path=pairing.village.path, format="xlsx")
    return write_xlsx(
        LEDGER_HEADERS,
        summary,
        sheet_title="台账汇总",
        extra_sheets=[
            ("认捐", ["年度", "认捐日期", "认捐金额（元）", "用途"], pledges),
            ("拨付与到账", TRANSFER_HEADERS, transfers),
            ("资金使用", USE_HEADERS, uses),
        ],
    )


def village_ledger_xlsx(*, actor: Any, village: Organization) -> bytes:
    """A village's ledger: one line per donor pairing, pooled uses, totals; receipts; uses;
    disclosures."""
    ledger = village_ledger(village.pk)
    summary = [_ledger_row(f"{p.unit.name}（{p.round.name}）", line) for p, line in ledger.lines]
    summary.append(_ledger_row("统筹使用（未指定结对单位）", Ledger(used=ledger.pooled_used)))
    summary.append(_ledger_row("合计", ledger.total))
    receipts = [
        [r.received_on, r.transfer.pairing.unit.name, r.transfer.get_channel_display(), r.amount, r.note]
        for r in selectors.village_receipts(village)
    ]
    uses = [
        [u.date, u.pairing.unit.name if u.pairing else "统筹使用", u.amount, u.purpose]
        for u in selectors.village_uses(village)
    ]
    disclosures = [
        [d.period_label, d.received_total, d.used_total, d.balance_at_end, d.published_at.date()]
        for d in selectors.village_disclosures(village)
    ]
    export_recorded("funds.export.village", actor=actor, target=village, scope_path=village.path, format="xlsx")
    return write_xlsx(
        LEDGER_HEADERS,
        summary,
        sheet_title="台账汇总",
        extra_sheets=[
            ("到账", ["到账日期", "援助单位", "拨付渠道", "到账金额（元）", "备注"], receipts),
            ("资金使用", USE_HEADERS, uses),
            ("村务公开", ["公开期间", "本期到账（元）", "本期使用（元）", "期末结余（元）", "公开日期"], disclosures),
        ],
    )

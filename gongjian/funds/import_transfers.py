"""Importing a unit's transfers from its finance office's xlsx/CSV. Every row is checked
like a transfer typed in the form; one bad cell and nothing is imported."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongjian.audit.models import AuditEntry
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import AuditRecord, audited, snapshot
from gongjian.core.cells import parse_date, parse_money
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, Row, TableRejected, read_table
from gongjian.funds.access import pairings_visible
from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.models import Channel, Transfer
from gongjian.funds.services import TRANSFER_FIELDS, check_transfer_values
from gongjian.orgs.scope import UNIT_USER, Scope, scope_root
from gongjian.rounds.models import Pairing, PairingStatus

COLUMNS = [
    "受帮扶村组织代码",
    "受帮扶村名称",
    "拨付日期",
    "拨付金额（元）",
    "拨付渠道",
    "公益组织名称",
    "凭证号",
    "备注",
]
REQUIRED = ["受帮扶村组织代码", "拨付日期", "拨付金额（元）"]
FIELD_COLUMN = {
    "date": "拨付日期",
    "amount": "拨付金额（元）",
    "channel": "拨付渠道",
    "foundation_name": "公益组织名称",
    "reference": "凭证号",
}
CHANNEL_WORDS: dict[str, str] = {
    "": Channel.DIRECT,
    "直接拨付": Channel.DIRECT,
    "直接": Channel.DIRECT,
    "通过公益基金会": Channel.FOUNDATION,
    "公益基金会": Channel.FOUNDATION,
    "基金会": Channel.FOUNDATION,
    "慈善组织": Channel.FOUNDATION,
}


@dataclass
class ParsedTransfer:
    row: int
    pairing: Pairing
    date: datetime.date
    amount: Decimal
    channel: str
    foundation_name: str
    reference: str
    note: str


def _unit_pairings(actor: Any) -> dict[str, Pairing]:
    """The actor's signed pairings by village code (the latest round's when there are several)."""
    qs = (
        pairings_visible(actor)
        .filter(Scope.of(actor).q("unit"), status=PairingStatus.SIGNED)
        .select_related("village", "unit")
        .order_by("round_id")
    )
    return {p.village.code: p for p in qs}


def _parse_row(row: Row, pairings: dict[str, Pairing], errors: list[CellError]) -> ParsedTransfer | None:
    def error(column: str, reason: str) -> None:
        errors.append(CellError(row.number, column, reason))

    before = len(errors)
    code = row.get("受帮扶村组织代码").upper()
    pairing = pairings.get(code)
    if pairing is None:
        error("受帮扶村组织代码", "找不到本单位与该村已签约的结对")
    elif row.get("受帮扶村名称") and row.get("受帮扶村名称") not in pairing.village.name:
        error("受帮扶村名称", f"与组织代码不符（该代码是{pairing.village.name}）")
    day: datetime.date | None = None
    amount: Decimal | None = None
    try:
        day = parse_date(row.get("拨付日期"))
    except ValueError as exc:
        error("拨付日期", str(exc))
    try:
        amount = parse_money(row.get("拨付金额（元）"))
    except ValueError as exc:
        error("拨付金额（元）", str(exc))
    channel: str | None = CHANNEL_WORDS.get(row.get("拨付渠道"))
    if channel is None:
        error("拨付渠道", "应填“直接拨付”或“通过公益基金会”")
    foundation = row.get("公益组织名称")
    if len(foundation) > 128:
        error("公益组织名称", "不能超过 128 个字")
    if len(errors) > before or pairing is None or day is None or amount is None or channel is None:
        return None
    try:
        amount, channel, foundation = check_transfer_values(
            date=day, amount=amount, channel=channel, foundation_name=foundation
        )
    except FundsActionRefused as exc:
        error(FIELD_COLUMN.get(exc.field, ""), str(exc))
        return None
    reference = row.get("凭证号")[:64]
    return ParsedTransfer(row.number, pairing, day, amount, channel, foundation, reference, row.get("备注")[:255])


def _check_references(parsed: list[ParsedTransfer], errors: list[CellError]) -> None:
    seen: dict[tuple[int, str], int] = {}
    for item in parsed:
        if not item.reference:
            continue
        key = (item.pairing.pk, item.reference)
        if key in seen:
            errors.append(CellError(item.row, "凭证号", f"与第 {seen[key]} 行重复"))
        seen.setdefault(key, item.row)
    pairs = {p for p, _r in seen}
    existing = set(
        Transfer.objects.filter(pairing_id__in=pairs, reference__in={r for _p, r in seen}).values_list(
            "pairing_id", "reference"
        )
    )
    for item in parsed:
        if (item.pairing.pk, item.reference) in existing:
            errors.append(CellError(item.row, "凭证号", "该凭证号已登记过，请勿重复导入"))


@audits_refusals
def transfer_import(*, actor: Any, data: bytes, filename: str) -> int:
    """Validate and import a unit's transfers; reject the whole file on any bad row.
    Returns the number of transfers created."""
    root = scope_root(actor)
    if getattr(actor, "role", "") != UNIT_USER or root is None:
        raise FundsActionRefused(_("只有结对单位可以导入拨付记录"), code="role")
    with audited("funds.transfer.import", actor=actor, target=root, scope_path=root.path) as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=COLUMNS, required=REQUIRED)
        pairings = _unit_pairings(actor)
        errors: list[CellError] = []
        parsed = [item for row in rows if (item := _parse_row(row, pairings, errors)) is not None]
        _check_references(parsed, errors)
        if errors:
            errors.sort(key=lambda e: (e.row, e.column))
            raise TableRejected(errors)
        transfers = [
            Transfer(
                pairing=item.pairing,
                date=item.date,
                amount=item.amount,
                channel=item.channel,
                foundation_name=item.foundation_name,
                reference=item.reference,
                note=item.note,
                recorded_by=actor,
            )
            for item in parsed
        ]
        Transfer.objects.bulk_create(transfers)
        entries = []
        for transfer in importing(transfers):
            entry = AuditRecord("funds.transfer.create", actor, transfer, transfer.pairing.village.path)
            entry.after = {**snapshot(transfer, TRANSFER_FIELDS), "import": filename}
            entries.append(entry.entry(success=True))
        AuditEntry.objects.bulk_create(entries)
        record.after = {"created": len(transfers)}
    return len(transfers)


def template_rows() -> tuple[list[str], list[list[str]]]:
    """Headers and one example row for the downloadable template."""
    return COLUMNS, [
        ["C0004", "花家村党支部", "2026-03-05", "20000.00", "通过公益基金会", "市慈善基金会", "HD-2026-001", ""]
    ]

""" "1+2" pairs as xlsx/CSV: export (masked unless the user may see personal data; audited)
and import (every row valid or nothing imported). A pair's unit and village name the signed
pairing; the cadre and the needy member are found by ID number in the unit's and the
village's registry; the needy villager is found by name (and ID number when given) among
the village's registered villagers, or registered anew."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, export_recorded
from gongjian.core.cells import CellValueError, optional_phone, parse_date
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, Row, TableRejected, read_table, write_table
from gongjian.members.access import can_write_pairs, pairings_visible
from gongjian.members.models import CadrePair, PairStatus, Villager
from gongjian.members.selectors_pairs import cadre_pair_list
from gongjian.members.services_pairs import cadre_pair_create, villager_create
from gongjian.orgs.models import Person
from gongjian.orgs.personal_data import id_number_problem, mask_id_number, mask_phone
from gongjian.orgs.scope import can_view_personal_data, is_within, scope_root, subtree_path
from gongjian.rounds.models import Pairing

TITLE = "“1+2”结对"
COLUMNS = [
    "结对单位代码",
    "结对单位",
    "村组织代码",
    "村",
    "干部姓名",
    "干部身份证号",
    "困难党员姓名",
    "困难党员身份证号",
    "困难群众姓名",
    "困难群众身份证号",
    "困难群众电话",
    "困难情况",
    "结对日期",
]
REQUIRED = ["结对单位代码", "村组织代码", "干部身份证号", "困难党员身份证号", "困难群众姓名"]


def _rows(user: Any, full: bool) -> Iterator[list[Any]]:
    def idn(value: str) -> str:
        return value if full else mask_id_number(value)

    qs = cadre_pair_list(user=user).filter(status=PairStatus.ACTIVE).order_by("pairing__unit__path", "pk")
    for p in qs.iterator(chunk_size=2000):
        v = p.needy_villager
        yield [
            p.pairing.unit.code,
            p.pairing.unit.name,
            p.pairing.village.code,
            p.pairing.village.name,
            p.cadre.name,
            idn(p.cadre.id_number or ""),
            p.needy_member.name,
            idn(p.needy_member.id_number or ""),
            v.name,
            idn(v.id_number) if v.id_number else "",
            (v.phone if full else mask_phone(v.phone)) if v.phone else "",
            v.difficulty,
            p.started_on,
        ]


def export_pairs(*, user: Any, fmt: str, full: bool = False) -> bytes:
    full = full and can_view_personal_data(user)
    export_recorded(
        "cadre_pair.export", actor=user, scope_path=subtree_path(user) or "", format=fmt, full_personal_data=full
    )
    return write_table(fmt, COLUMNS, _rows(user, full), sheet_title=TITLE, required=REQUIRED)


def template_pairs(*, fmt: str) -> bytes:
    return write_table(fmt, COLUMNS, [], sheet_title=TITLE, required=REQUIRED)


def _parse(actor: Any, rows: list[Row]) -> tuple[list[dict[str, Any]], list[CellError]]:
    errors: list[CellError] = []
    out: list[dict[str, Any]] = []
    pairings = {(p.unit.code, p.village.code): p for p in pairings_visible(actor).select_related("unit", "village")}
    ids = {r.get(c).upper() for r in rows for c in ("干部身份证号", "困难党员身份证号")}
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=ids).select_related("organization")}
    cadres_seen: dict[tuple[int, int], int] = {}
    for row in rows:
        before = len(errors)

        def error(column: str, reason: str, row: Row = row) -> None:
            errors.append(CellError(row.number, column, reason))

        pairing: Pairing | None = pairings.get((row.get("结对单位代码").upper(), row.get("村组织代码").upper()))
        if pairing is None:
            error("村组织代码", "找不到该单位与该村已签约的结对，或不在您的管理范围内")
        elif not can_write_pairs(actor, pairing):
            error("结对单位代码", "只有结对单位及其上级可以导入个人结对")
        found: dict[str, Person | None] = {}
        for column, side in (("干部身份证号", "unit"), ("困难党员身份证号", "village")):
            id_number = row.get(column).upper()
            person = people.get(id_number)
            found[column] = person
            if problem := id_number_problem(id_number):
                error(column, problem)
            elif pairing is not None:
                root = pairing.unit if side == "unit" else pairing.village
                if person is None or not is_within(person.organization, root):
                    error(column, f"{root.name}的人员名册中没有该身份证号")
                elif side == "village" and not person.is_party_member:
                    error(column, "该人员不是党员")
        villager_id = row.get("困难群众身份证号").upper()
        if villager_id and (problem := id_number_problem(villager_id)):
            error("困难群众身份证号", problem)
        phone = ""
        try:
            phone = optional_phone(row.get("困难群众电话"), mobile_only=True)
        except CellValueError as exc:
            error("困难群众电话", str(exc))
        if not row.get("困难群众姓名"):
            error("困难群众姓名", "不能为空")
        started_on: datetime.date | None = None
        if row.get("结对日期"):
            try:
                started_on = parse_date(row.get("结对日期"))
            except CellValueError as exc:
                error("结对日期", str(exc))
        cadre = found["干部身份证号"]
        if pairing is not None and cadre is not None and len(errors) == before:
            key = (pairing.pk, cadre.pk)
            if key in cadres_seen:
                error("干部身份证号", f"与第 {cadres_seen[key]} 行重复：每名干部在一个结对村只有一个“1+2”")
            elif CadrePair.objects.filter(pairing=pairing, cadre=cadre, status=PairStatus.ACTIVE).exists():
                error("干部身份证号", f"{cadre.name}已有“1+2”结对")
            cadres_seen.setdefault(key, row.number)
        if len(errors) == before:
            out.append(
                {
                    "pairing": pairing,
                    "cadre": cadre,
                    "needy_member": found["困难党员身份证号"],
                    "name": row.get("困难群众姓名"),
                    "id_number": villager_id,
                    "phone": phone,
                    "difficulty": row.get("困难情况"),
                    "started_on": started_on or timezone.localdate(),
                }
            )
    return out, errors


@audits_refusals
def import_pairs(*, actor: Any, data: bytes, filename: str) -> int:
    """Create every row's "1+2" pair, or none; returns how many were created."""
    root = scope_root(actor)
    with audited("cadre_pair.import", actor=actor, scope_path=root.path if root else "") as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=COLUMNS, required=REQUIRED)
        parsed, errors = _parse(actor, rows)
        if errors:
            raise TableRejected(sorted(errors, key=lambda e: (e.row, e.column)))
        for item in importing(parsed):
            pairing = item["pairing"]
            villager = Villager.objects.filter(
                village=pairing.village, name=item["name"], id_number=item["id_number"]
            ).first() or villager_create(
                actor=actor,
                pairing=pairing,
                name=item["name"],
                phone=item["phone"],
                id_number=item["id_number"],
                difficulty=item["difficulty"],
            )
            cadre_pair_create(
                actor=actor,
                pairing=pairing,
                cadre=item["cadre"],
                needy_member=item["needy_member"],
                needy_villager=villager,
                started_on=item["started_on"],
            )
        record.after = {"created": len(parsed)}
    return len(parsed)

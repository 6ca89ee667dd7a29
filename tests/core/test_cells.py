"""One parser per kind of cell: every format people type in Excel and WPS, and the refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from gongjian.core.cells import (
    CellValueError,
    id_number_check_char,
    mask_id_number,
    mask_phone,
    optional_date,
    parse_count,
    parse_date,
    parse_id_number,
    parse_money,
    parse_phone,
)

MARCH_5 = datetime.date(2026, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05",
        "2026-3-5",
        "2026/3/5",
        "2026/03/05",
        "2026.3.5",
        "2026年3月5日",
        "2026 年 3 月 5 日",
        "2026年03月05日",
        " 2026-03-05 ",
        "2026-03-05 00:00:00",  # an Excel date-time cell as tabular reads it
        "2026-03-05 08:30",
        "20260305",
        "46086",  # the same day as an Excel serial (a date cell formatted as a number)
        "46086.0",
        "2026／3／5",  # full-width slashes from a Chinese input method
    ],
)
def test_every_date_format_is_the_same_day(text: str) -> None:
    assert parse_date(text) == MARCH_5


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "3/5/2026", "昨天", "12345", "2026-03", "99999"])
def test_a_bad_date_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(CellValueError, match="日期"):
        parse_date(text)


def test_an_empty_optional_date_is_none() -> None:
    assert optional_date("  ") is None
    assert optional_date("2026年3月5日") == MARCH_5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20000", "20000.00"),
        ("¥20,000.00", "20000.00"),
        ("￥20，000", "20000.00"),
        ("20000元", "20000.00"),
        ("1,234.5", "1234.50"),
        ("0.30000000000000004", "0.30"),  # binary float noise from Excel: the fen it shows
        ("19.999999999999996", "20.00"),  # a sum Excel computed in binary
        ("-0", "0.00"),
    ],
)
def test_money_to_the_fen(text: str, expected: str) -> None:
    amount = parse_money(text)
    assert amount == Decimal(expected) and str(amount) == expected


def test_money_refusals() -> None:
    with pytest.raises(CellValueError, match="两位小数"):
        parse_money("12.345")
    with pytest.raises(CellValueError, match="负数"):
        parse_money("-100")
    assert parse_money("-100", negative=True) == Decimal("-100.00")
    with pytest.raises(CellValueError, match="金额"):
        parse_money("二万")
    with pytest.raises(CellValueError, match="金额"):
        parse_money("NaN")


def test_counts() -> None:
    assert [parse_count(t) for t in ("12", "12.0", "1,200", "0")] == [12, 12, 1200, 0]
    for bad in ("-1", "1.5", "十二", "inf"):
        with pytest.raises(CellValueError):
            parse_count(bad)


def test_id_numbers_with_the_check_character() -> None:
    first17 = "11010119900307001"
    good = first17 + id_number_check_char(first17)
    assert parse_id_number(good) == good
    assert parse_id_number(f" {good[:6]} {good[6:].lower()} ") == good  # spaces, lower-case x
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    with pytest.raises(CellValueError, match="校验位"):
        parse_id_number(wrong)
    with pytest.raises(CellValueError, match="18 位"):
        parse_id_number("11010119900307")
    assert mask_id_number(good) == f"110101********{good[-4:]}"


def test_phones() -> None:
    assert parse_phone("138 1234 5678") == "13812345678"
    assert parse_phone("+86 138-1234-5678") == "13812345678"
    assert parse_phone("0914-1234567") == "0914-1234567"
    with pytest.raises(CellValueError, match="手机号"):
        parse_phone("0914-1234567", mobile_only=True)
    with pytest.raises(CellValueError):
        parse_phone("1381234567")  # ten digits
    assert mask_phone("13812345678") == "138****5678"


def test_a_choice_reads_by_its_label_in_every_language_or_by_its_value() -> None:
    """A file filled from the Chinese template reads the same on an English page (and the
    English label on a Chinese one)."""
    from django.utils import translation

    from gongjian.core.cells import choices_by_label
    from gongjian.orgs.models import OrgKind

    for language in ("zh-hans", "en"):
        with translation.override(language):
            mapping = choices_by_label(OrgKind.choices)
        with translation.override("en"):
            english = str(OrgKind.TOWN.label)
        assert english != "乡镇" and mapping["乡镇"] == mapping[english] == mapping["town"] == OrgKind.TOWN

"""One parser per kind of spreadsheet cell, used by every import: dates, money, counts, ID
numbers and phones — so a cell one import accepts, every import accepts.

Each parser takes the cell's text as :func:`gongjian.core.tabular.read_table` gives it (an
Excel date cell arrives as ``2026-03-05``, a number cell as ``12`` or ``12.5``) and returns
the value or raises :class:`CellValueError` (a ``ValueError``) with a Chinese message that
the import reports beside the row and column. The ``optional_*`` variants take an empty
cell as ``None``.

Personal data (masking for lists and exports, GB 11643 ID numbers) lives here too: the
registry, the members and the dispatch app all check and mask the same way.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import translation


class CellValueError(ValueError):
    """A cell's text is not a value of the kind asked for; the message says why, in Chinese."""


# ---------------------------------------------------------------- choices


def choices_by_label(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Label → value of a field's choices, in every language of the interface, and each value
    by itself: a file filled from the Chinese template (等级 "基层党委") reads the same whoever
    imports it, in whatever language their page (or the job running the import) is."""
    choices = list(choices)
    mapping: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            mapping.update({str(label): value for value, label in choices})
    mapping.update({value: value for value, _label in choices})
    return mapping


# ---------------------------------------------------------------- dates

# 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 (spaces allowed around the separators), and the
# text of an Excel date-time cell (2026-03-05 08:30:00).
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20260305
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")  # a date cell stored as a number (Excel's serial)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01, Excel's 1900 leap-year bug included
_SERIALS = range(18264, 73051)  # 1950-01-01 .. 2099-12-31: a five-digit number outside is not a date
DATE_FORMATS = "2026-03-05、2026/3/5、2026.3.5 或 2026年3月5日"


def parse_date(text: str) -> datetime.date:
    """A date as people type it in Excel and WPS, or as a date cell arrives."""
    value = text.strip().replace("／", "/").replace("－", "-").replace("．", ".")
    match = _DATE.match(value) or _COMPACT_DATE.match(value)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise CellValueError("不是有效的日期") from None
    if _SERIAL.match(value) and int(float(value)) in _SERIALS:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(float(value)))
    raise CellValueError(f"日期格式应为 {DATE_FORMATS}")


def optional_date(text: str) -> datetime.date | None:
    return parse_date(text) if text.strip() else None


# ---------------------------------------------------------------- money and counts

FEN = Decimal("0.01")
_MONEY_NOISE = re.compile(r"[¥￥,，元\s]")
# A number Excel stored in binary (0.30000000000000004) is the fen it shows; a real third
# decimal is refused, not rounded away.
_BINARY_NOISE = Decimal("0.000001")


def parse_money(text: str, *, negative: bool = False) -> Decimal:
    """An amount in yuan, to the fen: ``¥20,000.00``, ``20000``, ``20000元``, ``1,234.5``.
    Rounded half up to the fen when the rest is a binary artefact; more decimals and (unless
    ``negative``) amounts below zero are refused."""
    cleaned = _MONEY_NOISE.sub("", text)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellValueError("应为金额数字，如 20000.00") from None
    if not amount.is_finite():
        raise CellValueError("应为金额数字，如 20000.00")
    rounded = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    if abs(amount - rounded) > _BINARY_NOISE:
        raise CellValueError("金额最多精确到分（两位小数）")
    if rounded < 0 and not negative:
        raise CellValueError("金额不能为负数")
    return rounded + 0  # -0.00 -> 0.00


def optional_money(text: str, *, negative: bool = False) -> Decimal | None:
    return parse_money(text, negative=negative) if text.strip() else None


def parse_count(text: str) -> int:
    """A whole number ≥ 0, as Excel may write it (``12``, ``12.0``, ``1,200``)."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellValueError("应为整数") from None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise CellValueError("应为不小于 0 的整数")
    return int(number)


def optional_count(text: str) -> int | None:
    return parse_count(text) if text.strip() else None


# ---------------------------------------------------------------- ID numbers

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_number_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def id_number_problem(id_number: str) -> str | None:
    """Why an ID number is not valid (in Chinese), or None if it is."""
    if not _ID_PATTERN.match(id_number):
        return "身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X"
    if id_number_check_char(id_number[:17]) != id_number[17]:
        return "身份证号校验位不正确"
    return None


def parse_id_number(text: str) -> str:
    """An 18-character resident ID number (GB 11643) with a correct check character; a
    lower-case x and spaces typed in the middle are accepted."""
    value = re.sub(r"\s", "", text).upper()
    problem = id_number_problem(value)
    if problem:
        raise CellValueError(problem)
    return value


# ---------------------------------------------------------------- phones

_MOBILE = re.compile(r"^1\d{10}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")  # 区号-号码[-分机]


def parse_phone(text: str, *, mobile_only: bool = False) -> str:
    """A mainland mobile number (13812345678; +86 and spaces or dashes dropped) or, unless
    ``mobile_only``, a landline with its area code (0914-1234567)."""
    value = re.sub(r"[\s()（）]", "", text)
    if value.startswith("+86"):
        value = value[3:]
    digits = value.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if not mobile_only and _LANDLINE.match(value):
        return value
    if mobile_only:
        raise CellValueError("手机号码应为以 1 开头的 11 位数字（不能是打码后的号码）")
    raise CellValueError("应为以 1 开头的 11 位手机号码，或带区号的固定电话，如 0914-1234567")


def optional_phone(text: str, *, mobile_only: bool = False) -> str:
    return parse_phone(text, mobile_only=mobile_only) if text.strip() else ""


# ---------------------------------------------------------------- masking


def mask_phone(phone: str) -> str:
    """138****1234: keep the carrier prefix and the last four digits."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(id_number: str) -> str:
    """110101********1234: keep the region code and the last four characters."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return f"{id_number[:6]}{'*' * (len(id_number) - 10)}{id_number[-4:]}"

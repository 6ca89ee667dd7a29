"""Personal data: masking for lists and exports, and validation of Chinese ID numbers."""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


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

"""Template filters: masking of personal data and Chinese formats of money."""

from __future__ import annotations

from decimal import Decimal

from django import template

from gongjian.core.cells import mask_id_number as _mask_id_number
from gongjian.core.cells import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value or "")


@register.filter
def mask_id_number(value: str) -> str:
    return _mask_id_number(value or "")


@register.filter
def yuan(value: Decimal | int | None) -> str:
    """¥12,345.60 — the way Chinese finance staff write an amount."""
    if value is None or value == "":
        return ""
    return f"¥{Decimal(value):,.2f}"

"""Search by Chinese name, by full pinyin and by pinyin initials (``hjc`` finds 花家村)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

_LATIN = re.compile(r"^[a-zA-Z]+$")


def search_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a name, lower case, non-Chinese characters kept as they are."""
    syllables = lazy_pinyin(name, errors="default")
    full = "".join(syllables).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    return full[:512], initials[:128]


def filter_by_name(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Filter a queryset of a model with ``name``, ``name_pinyin`` and ``name_initials``."""
    query = query.strip()
    if not query:
        return queryset
    if _LATIN.match(query):
        text = query.lower()
        return queryset.filter(
            Q(name_initials__contains=text) | Q(name_pinyin__contains=text) | Q(name__icontains=text)
        )
    return queryset.filter(name__contains=query)

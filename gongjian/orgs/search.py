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


def name_condition(query: str, *, prefix: str = "") -> Q | None:
    """The condition matching ``query`` against a name, its full pinyin or its initials, on
    the model itself or through a relation (``prefix="village__"``); None for an empty query."""
    query = query.strip()
    if not query:
        return None
    if _LATIN.match(query):
        text = query.lower()
        return (
            Q(**{f"{prefix}name_initials__contains": text})
            | Q(**{f"{prefix}name_pinyin__contains": text})
            | Q(**{f"{prefix}name__icontains": text})
        )
    return Q(**{f"{prefix}name__contains": query})


def filter_by_name(queryset: QuerySet[Any], query: str, *, prefix: str = "") -> QuerySet[Any]:
    """Filter a queryset whose model (or ``prefix`` relation) has ``name``, ``name_pinyin``
    and ``name_initials``."""
    condition = name_condition(query, prefix=prefix)
    return queryset if condition is None else queryset.filter(condition)
